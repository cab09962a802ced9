import type { MetaFunction } from "@remix-run/node";
import { RouteErrorPage } from "../components/not-found";

/** Any address no page answers: a 404 inside the app's layout (navigation kept). */
export function loader(): never {
  throw new Response("Page not found", { status: 404 });
}

export default function NoPage() {
  return null;
}

export const meta: MetaFunction = () => [{ title: "Page not found · VoltLab" }];

export function ErrorBoundary() {
  return <RouteErrorPage what="Page" back={{ to: "/", label: "Go to the home page" }} />;
}
