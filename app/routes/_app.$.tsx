import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../lib/meta";
import { RouteErrorPage } from "../components/not-found";

/** Any address no page answers: a 404 inside the app's layout (navigation kept). */
export function loader(): never {
  throw new Response("Page not found", { status: 404 });
}

export default function NoPage() {
  return null;
}

export const meta = (args: MetaArgs) => pageTitle(args, "common:notFound.pageTitle");

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <RouteErrorPage what={t("notFound.page")} back={{ to: "/", label: t("notFound.goHome") }} />;
}
