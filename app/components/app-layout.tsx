import { AppShell, Burger, Group, NavLink, Text, Button, Title, Stack } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, useLocation, useNavigate } from "@remix-run/react";
import { trpc } from "../lib/trpc";

export interface NavItem {
  label: string;
  to: string;
  children?: NavItem[];
}

export const NAV: NavItem[] = [
  { label: "Dashboard", to: "/" },
  {
    label: "Battery Lab",
    to: "/battery",
    children: [
      { label: "Data & analysis", to: "/battery/analysis" },
      { label: "Uploads", to: "/battery/uploads" },
      { label: "Train models", to: "/battery/train" },
      { label: "Training tasks", to: "/battery/tasks" },
      { label: "Model library", to: "/battery/models" },
      { label: "Test models", to: "/battery/tests" },
      { label: "Early-life prediction", to: "/battery/early-life" },
    ],
  },
  {
    label: "Energy Lab",
    to: "/energy",
    children: [
      { label: "Assets", to: "/energy" },
      { label: "Upload a series", to: "/energy/upload" },
      { label: "Models", to: "/energy/models" },
      { label: "Forecast", to: "/energy/forecast" },
      { label: "Anomaly detection", to: "/energy/anomaly" },
      { label: "Live anomalies", to: "/energy/anomaly/live" },
    ],
  },
  { label: "Account & API keys", to: "/account" },
];

function isActive(pathname: string, to: string) {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

export function AppLayout({
  user,
  children,
}: {
  user: { displayName: string; email: string };
  children: React.ReactNode;
}) {
  const [opened, { toggle }] = useDisclosure();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const logout = trpc.auth.logout.useMutation({ onSuccess: () => navigate("/login") });

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Title order={3} c="teal.7">
              VoltLab
            </Title>
          </Group>
          <Group>
            <Text size="sm" data-testid="current-user">
              {user.displayName}
            </Text>
            <Button
              variant="light"
              size="xs"
              onClick={() => logout.mutate()}
              loading={logout.isPending}
              data-testid="logout"
            >
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Stack gap={2}>
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={isActive(pathname, item.to)}
            >
              {item.children?.map((c) => (
                <NavLink key={c.to} component={Link} to={c.to} label={c.label} active={isActive(pathname, c.to)} />
              ))}
            </NavLink>
          ))}
          {/* Served by the API, not a page of the app: a full page load. */}
          <NavLink component="a" href="/docs" label="API reference (/docs)" data-testid="nav-docs" />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
