/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import type { createCaller } from "./server/routers/root";

declare module "@remix-run/node" {
  interface AppLoadContext {
    user: { id: number; email: string; displayName: string; createdAt: Date } | null;
    trpc: ReturnType<typeof createCaller>;
  }
}
