import { createTRPCReact, type inferReactQueryProcedureOptions } from "@trpc/react-query";
import { createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import type { AppRouter } from "../../server/routers/root";

export const trpc = createTRPCReact<AppRouter>();
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ReactQueryOptions = inferReactQueryProcedureOptions<AppRouter>;

/** HTTP for queries and mutations, a lazily opened WebSocket for subscriptions (cookie-authenticated). */
export function makeTrpcClient() {
  // During server rendering queries never fire; a plain HTTP link keeps the hooks' context valid.
  if (typeof window === "undefined") {
    return trpc.createClient({ links: [httpBatchLink({ url: "http://127.0.0.1/api/trpc", transformer: superjson })] });
  }
  const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/api/trpc`;
  const wsClient = createWSClient({ url: wsUrl, lazy: { enabled: true, closeMs: 10_000 } });
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient, transformer: superjson }),
        false: httpBatchLink({ url: "/api/trpc", transformer: superjson }),
      }),
    ],
  });
}
