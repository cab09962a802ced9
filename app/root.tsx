import { useState } from "react";
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import {
  ColorSchemeScript,
  MantineProvider,
  createTheme,
  mantineHtmlProps,
  Container,
  Title,
  Text,
} from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import coreStyles from "@mantine/core/styles.css";
import chartStyles from "@mantine/charts/styles.css";
import notificationStyles from "@mantine/notifications/styles.css";
import dropzoneStyles from "@mantine/dropzone/styles.css";
import { trpc, makeTrpcClient } from "./lib/trpc";
import { useNonce } from "./lib/nonce";
import { localeOf } from "./i18n.server";
import { FALLBACK_LOCALE } from "../server/i18n/locales";

/** The page's language (app/i18n.server.ts): the html element and every page read it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return json({ locale: await localeOf(request, context.user as { locale?: string | null } | null) });
}

export const links: LinksFunction = () => [
  ...[coreStyles, chartStyles, notificationStyles, dropzoneStyles].map((href) => ({ rel: "stylesheet", href })),
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "VoltLab" },
  { name: "description", content: "Energy machine learning, self-hosted" },
];

const theme = createTheme({ primaryColor: "teal", defaultRadius: "md" });

function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }),
  );
  const [trpcClient] = useState(() => makeTrpcClient());
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const locale = useRouteLoaderData<typeof loader>("root")?.locale ?? FALLBACK_LOCALE;
  useChangeLanguage(locale);
  return (
    <html lang={locale} {...mantineHtmlProps}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <ColorSchemeScript nonce={nonce} />
      </head>
      <body>
        <MantineProvider theme={theme}>
          <Notifications />
          {children}
        </MantineProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Providers>
      <Outlet />
    </Providers>
  );
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? error.statusText || error.data
    : error instanceof Error
      ? error.message
      : t("error.unknown");
  return (
    <Container size="sm" py="xl">
      <Title order={2}>{status === 404 ? t("notFound.pageTitle") : t("error.title")}</Title>
      <Text c="dimmed" mt="sm">
        {String(message)}
      </Text>
    </Container>
  );
}
