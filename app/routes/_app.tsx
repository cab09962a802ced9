import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { AppLayout } from "../components/app-layout";

/** Every page under this layout needs a signed-in user. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  if (!context.user) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return json({ user: context.user });
}

export default function AppRoute() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <AppLayout user={user}>
      <Outlet />
    </AppLayout>
  );
}
