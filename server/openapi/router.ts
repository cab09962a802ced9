/**
 * The public REST API (/api/v1): user-facing tRPC procedures exposed through trpc-to-openapi.
 *
 * Each operation names a procedure of the app router (server/routers/root.ts), its HTTP method
 * and path, and the shape of its answer; they are listed per domain in operations/<domain>.ts
 * (one file per tag of the document). The REST procedure takes the procedure's own input schema
 * (read from the app router, so the two cannot drift) and calls the procedure with a caller for
 * the same context: authorization, ownership checks, validation and error mapping are the app
 * router's (procedure.ts builds it).
 *
 * Why a separate REST router instead of `.meta({ openapi })` on the app router's procedures:
 * the adapter coerces query strings by setting `_def.coerce = true` on the number and boolean
 * schemas of the input it is given, in place. On the app router's schemas (shared with tRPC and
 * the forms) that would change tRPC's validation after the first REST call; here it only touches
 * deep copies. Output schemas are REST's only: tRPC answers stay as they are.
 */
import type { RestOperation } from "./operation.js";
import { buildRestRouter } from "./procedure.js";
import { batteryOperations } from "./operations/battery.js";
import { trainingOperations } from "./operations/training.js";
import { testingOperations } from "./operations/testing.js";
import { earlyLifeOperations } from "./operations/early-life.js";
import { jobsOperations } from "./operations/jobs.js";
import { energyOperations } from "./operations/energy.js";
import { forecastOperations } from "./operations/forecast.js";
import { anomalyOperations } from "./operations/anomaly.js";

export type { ProcedurePath, RestOperation } from "./operation.js";
export { cloneZod } from "./procedure.js";

/**
 * Every REST operation. Query procedures are GET; mutations POST (create, actions), PATCH (rename),
 * DELETE. The order is the document's: procedures are grouped by their router (battery, training,
 * models, testJobs, …) in the order each router first appears here.
 */
export const REST_OPERATIONS: RestOperation[] = [
  ...batteryOperations,
  ...trainingOperations,
  ...testingOperations,
  ...earlyLifeOperations,
  ...jobsOperations,
  ...energyOperations,
  ...forecastOperations,
  ...anomalyOperations,
];

export const restRouter = buildRestRouter(REST_OPERATIONS);
