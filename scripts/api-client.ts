/**
 * What the API scripts share: a typed @trpc/client (AppRouter) that sends the API key as a Bearer
 * token (and, when asked, a WebSocket link for subscriptions, with the key as connectionParams),
 * the job states that end a run, and the command-line entry that prints an error with the field
 * the server named and exits 1.
 */
import WebSocket from "ws";
import superjson from "superjson";
import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../server/routers/root.js";

/** Job and task states after which nothing changes. */
export const FINAL = new Set(["SUCCEEDED", "FAILED", "CANCELED"]);

/** A client over HTTP, and over WebSocket for subscriptions when `withWs`; close() ends the socket. */
export function apiClients(url: string, key: string, withWs = false) {
  const base = url.replace(/\/$/, "");
  const http = httpLink({
    url: `${base}/api/trpc`,
    transformer: superjson,
    headers: () => ({ authorization: `Bearer ${key}` }),
  });
  if (!withWs) return { client: createTRPCClient<AppRouter>({ links: [http] }), close: async () => {} };
  const ws = createWSClient({
    url: `${base.replace(/^http/, "ws")}/api/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token: key },
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: ws, transformer: superjson }),
        false: http,
      }),
    ],
  });
  return { client, close: () => ws.close() };
}

/** An HTTP-only client. */
export const apiClient = (url: string, key: string) => apiClients(url, key).client;

/** Runs `main` when `moduleUrl` is the script node was started with: exit with its code (0 when
 * it returns nothing), or print the error (and the field a server error names) and exit 1. */
export function runCli(moduleUrl: string, main: () => Promise<number | void>) {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  main().then(
    (code) => process.exit(code ?? 0),
    (e) => {
      const field = e instanceof TRPCClientError ? (e.data as { field?: string } | undefined)?.field : undefined;
      console.error(`error: ${e instanceof Error ? e.message : e}${field ? ` (field ${field})` : ""}`);
      process.exit(1);
    },
  );
}
