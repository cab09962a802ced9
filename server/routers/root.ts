import { router, createCallerFactory } from "../trpc/init.js";
import { authRouter } from "./auth.js";
import { apiKeysRouter } from "./api-keys.js";
import { energyRouter } from "./energy.js";
import { energyModelsRouter } from "./energy-models.js";
import { batteryRouter } from "./battery.js";
import { jobsRouter } from "./jobs.js";
import { trainingRouter } from "./training.js";
import { modelsRouter } from "./models.js";
import { testingRouter } from "./testing.js";
import { anomalyRouter } from "./anomaly.js";
import { earlyLifeRouter } from "./early-life.js";
import { quotasRouter } from "./quotas.js";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
  energy: energyRouter,
  energyModels: energyModelsRouter,
  battery: batteryRouter,
  jobs: jobsRouter,
  training: trainingRouter,
  models: modelsRouter,
  testJobs: testingRouter,
  earlyLife: earlyLifeRouter,
  anomaly: anomalyRouter,
  quotas: quotasRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
