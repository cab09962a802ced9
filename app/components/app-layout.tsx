import { AppShell, Burger, Group, NavLink, Text, Button, Title, Stack } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, useLocation, useNavigate } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { trpc } from "../lib/trpc";
import { LanguageSwitch } from "./language-switch";
import type { en } from "../../server/i18n/catalogs";

type NavKey = Extract<keyof (typeof en)["common"]["nav"], string>;

export interface NavItem {
  /** The item's key under the common namespace's nav. */
  label: NavKey;
  to: string;
  children?: NavItem[];
}

export const NAV: NavItem[] = [
  { label: "dashboard", to: "/" },
  {
    label: "batteryLab",
    to: "/battery",
    children: [
      { label: "batteryAnalysis", to: "/battery/analysis" },
      { label: "batteryUploads", to: "/battery/uploads" },
      { label: "batteryTrain", to: "/battery/train" },
      { label: "batteryTasks", to: "/battery/tasks" },
      { label: "batteryModels", to: "/battery/models" },
      { label: "batteryTests", to: "/battery/tests" },
      { label: "batteryEarlyLife", to: "/battery/early-life" },
    ],
  },
  {
    label: "energyLab",
    to: "/energy",
    children: [
      { label: "energyAssets", to: "/energy" },
      { label: "energyUpload", to: "/energy/upload" },
      { label: "energyModels", to: "/energy/models" },
      { label: "energyForecast", to: "/energy/forecast" },
      { label: "energyAnomaly", to: "/energy/anomaly" },
      { label: "energyLive", to: "/energy/anomaly/live" },
    ],
  },
  { label: "jobs", to: "/jobs" },
  { label: "account", to: "/account" },
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
  const { t } = useTranslation();
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
              {t("appName")}
            </Title>
          </Group>
          <Group>
            <LanguageSwitch signedIn />
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
              {t("header.logout")}
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
              label={t(`nav.${item.label}`)}
              active={isActive(pathname, item.to)}
            >
              {item.children?.map((c) => (
                <NavLink
                  key={c.to}
                  component={Link}
                  to={c.to}
                  label={t(`nav.${c.label}`)}
                  active={isActive(pathname, c.to)}
                />
              ))}
            </NavLink>
          ))}
          {/* Served by the API, not a page of the app: a full page load. */}
          <NavLink component="a" href="/docs" label={t("nav.apiDocs")} data-testid="nav-docs" />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
