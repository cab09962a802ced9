import { router, createCallerFactory } from "../trpc/init.js";
import { authRouter } from "./auth.js";
import { apiKeysRouter } from "./api-keys.js";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
