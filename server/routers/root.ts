import { router, createCallerFactory } from "../trpc/init.js";
import { authRouter } from "./auth.js";
import { apiKeysRouter } from "./api-keys.js";
import { jobsRouter } from "./jobs.js";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
