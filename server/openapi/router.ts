/**
 * The public REST API (/api/v1): user-facing tRPC procedures exposed through trpc-to-openapi.
 *
 * Each operation below names a procedure of the app router (server/routers/root.ts), its HTTP
 * method and path, and the shape of its answer. The REST procedure takes the procedure's own
 * input schema (read from the app router, so the two cannot drift) and calls the procedure with
 * a caller for the same context: authorization, ownership checks, validation and error mapping
 * are the app router's.
 *
 * Why a separate REST router instead of `.meta({ openapi })` on the app router's procedures:
 * the adapter coerces query strings by setting `_def.coerce = true` on the number and boolean
 * schemas of the input it is given, in place. On the app router's schemas (shared with tRPC and
 * the forms) that would change tRPC's validation after the first REST call; here it only touches
 * deep copies. Output schemas are REST's only: tRPC answers stay as they are.
 */
import { initTRPC, TRPCError, type AnyProcedure } from "@trpc/server";
import { z, ZodType, type ZodTypeAny } from "zod";
import type { OpenApiMeta, OpenApiMethod } from "trpc-to-openapi";
import { appRouter, createCaller, type AppRouter } from "../routers/root.js";
import type { Context } from "../trpc/context.js";
import { out } from "./schemas.js";
import { describeIssues } from "../trpc/init.js";
import { historyField, historyFile, historyInput } from "./history.js";

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // As the app router's formatter: no stack traces outside development; the field a fieldError names.
    errorFormatter({ shape, error }) {
      const cause = error.cause as { field?: unknown } | undefined;
      return {
        ...shape,
        data: {
          ...shape.data,
          stack: process.env.NODE_ENV === "development" ? shape.data.stack : undefined,
          field: typeof cause?.field === "string" ? cause.field : null,
        },
      };
    },
  });

/**
 * Authentication runs before input validation: no key is 401 whatever the body. REST is for
 * scripts: only the Authorization header counts (an API key, or a session JWT as a bearer
 * token); the browser's session cookie alone is refused, so no other site can ride on it.
 */
const restProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user || ctx.authMethod === "cookie") {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.authProblem ? `Not signed in: ${ctx.authProblem}` : "Send an API key: Authorization: Bearer <key>",
    });
  }
  return next({ ctx });
});

/** "training.create", "energy.assets.list", …: every procedure path of the app router (a rename fails the type check). */
type Paths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends AnyProcedure ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type ProcedurePath = Paths<AppRouter["_def"]["record"]>;

export interface RestOperation {
  /** The app router procedure, e.g. "training.create". */
  procedure: ProcedurePath;
  method: OpenApiMethod;
  /** Under /api/v1; `{name}` path parameters are input fields of the procedure. */
  path: `/${string}`;
  summary: string;
  tag: string;
  output: ZodTypeAny;
  /**
   * Replaces the procedure's input schema (e.g. one variant of a union); `toProcedure` maps it back
   * (with the caller, for what the mapping must look up). The raw body is validated against it as sent.
   */
  input?: z.AnyZodObject | z.ZodEffects<z.AnyZodObject>;
  toProcedure?: (input: any, ctx: { userId: number; caller: any }) => unknown;
  /** The field a refusal names, as the REST input calls it (when `input` renames what the procedure reads). */
  renameField?: (field: string, input: any) => string;
  /** Statuses beyond the usual ones (400, 401, 404 with an id, 500), e.g. 409 for cancelling a finished job. */
  errors?: number[];
}

const ID_CODES = [400, 401, 404, 500];
const LIST_CODES = [400, 401, 500];

/** A deep copy of a zod schema (new instances all the way down), so coercion stays on the copy. */
export function cloneZod<T extends ZodTypeAny>(schema: T, seen = new Map<ZodTypeAny, ZodTypeAny>()): T {
  const hit = seen.get(schema);
  if (hit) return hit as T;
  const def: Record<string, unknown> = { ...(schema as any)._def };
  const Ctor = (schema as any).constructor as new (d: unknown) => T;
  const copy = new Ctor(def);
  seen.set(schema, copy);
  for (const [k, v] of Object.entries(def)) {
    if (v instanceof ZodType) def[k] = cloneZod(v as ZodTypeAny, seen);
    else if (Array.isArray(v) && v.some((x) => x instanceof ZodType))
      def[k] = v.map((x) => (x instanceof ZodType ? cloneZod(x, seen) : x));
    else if (k === "shape" && typeof v === "function") {
      const shape = Object.fromEntries(
        Object.entries((v as () => Record<string, ZodTypeAny>)()).map(([n, s]) => [n, cloneZod(s, seen)]),
      );
      def[k] = () => shape;
    } else if (k === "getter" && typeof v === "function") {
      let c: ZodTypeAny | undefined;
      def[k] = () => (c ??= cloneZod((v as () => ZodTypeAny)(), seen));
    }
  }
  return copy;
}

function procedureInput(path: string): ZodTypeAny {
  const proc = (appRouter._def.procedures as Record<string, any>)[path];
  if (!proc) throw new Error(`REST: no procedure ${path}`);
  const inputs = proc._def.inputs as ZodTypeAny[];
  if (inputs.length === 0) return z.void();
  if (inputs.length > 1) throw new Error(`REST: ${path} has several input parsers`);
  return cloneZod(inputs[0]);
}

/** Every REST operation. Query procedures are GET; mutations POST (create, actions), PATCH (rename), DELETE. */
export const REST_OPERATIONS: RestOperation[] = [
  // Battery Lab: datasets and uploads
  {
    procedure: "battery.listDatasets",
    method: "GET",
    path: "/battery/datasets",
    summary: "Datasets (built-in and own uploads)",
    tag: "Battery datasets",
    output: z.array(out.dataset),
  },
  {
    procedure: "battery.getDataset",
    method: "GET",
    path: "/battery/datasets/{datasetId}",
    summary: "One dataset",
    tag: "Battery datasets",
    output: out.dataset,
  },
  {
    procedure: "battery.listCells",
    method: "GET",
    path: "/battery/datasets/{datasetId}/cells",
    summary: "Cells of a dataset",
    tag: "Battery datasets",
    output: out.cellList,
  },
  {
    procedure: "battery.presets",
    method: "GET",
    path: "/battery/datasets/{datasetId}/presets",
    summary: "Cell presets (splits) of a dataset",
    tag: "Battery datasets",
    output: out.presets,
  },
  {
    procedure: "battery.analysis",
    method: "GET",
    path: "/battery/datasets/{datasetId}/analysis",
    summary: "Statistics per feature and target, correlations (cellIds repeated: ?cellIds=1&cellIds=2)",
    tag: "Battery datasets",
    output: out.analysis,
  },
  {
    procedure: "battery.trends",
    method: "GET",
    path: "/battery/datasets/{datasetId}/trends",
    summary: "Per-cell lines of a variable and PCL degradation rates",
    tag: "Battery datasets",
    output: out.cellLines("Per-cell lines and degradation rates", "lines"),
  },
  {
    procedure: "battery.scatter",
    method: "GET",
    path: "/battery/datasets/{datasetId}/scatter",
    summary: "A feature against RUL or PCL, per cell",
    tag: "Battery datasets",
    output: out.cellLines("A feature against a target, per cell", "groups"),
  },
  {
    procedure: "battery.deleteDataset",
    method: "DELETE",
    path: "/battery/datasets/{datasetId}",
    summary: "Delete an uploaded dataset (the built-in one is 403)",
    tag: "Battery datasets",
    output: out.deleted,
    errors: [403],
  },
  {
    procedure: "battery.upload",
    method: "POST",
    path: "/battery/uploads",
    summary: "Upload a CSV/XLSX file (base64 JSON body); an invalid file answers ok: false with problems",
    tag: "Battery datasets",
    output: out.batteryUpload,
  },
  {
    procedure: "battery.listUploads",
    method: "GET",
    path: "/battery/uploads",
    summary: "Own uploads",
    tag: "Battery datasets",
    output: z.array(out.batteryUploadRow).describe("Uploads"),
  },
  {
    procedure: "battery.deleteUpload",
    method: "DELETE",
    path: "/battery/uploads/{id}",
    summary: "Delete an upload and its dataset",
    tag: "Battery datasets",
    output: out.deleted,
  },
  // Training tasks and model versions
  {
    procedure: "training.create",
    method: "POST",
    path: "/training/tasks",
    summary: "Create a training task (one run per algorithm)",
    tag: "Training",
    output: out.task,
    errors: [404],
  },
  {
    procedure: "training.list",
    method: "GET",
    path: "/training/tasks",
    summary: "Training tasks",
    tag: "Training",
    output: z.array(out.task).describe("Tasks"),
  },
  {
    procedure: "training.get",
    method: "GET",
    path: "/training/tasks/{id}",
    summary: "A task with its runs, results and curves",
    tag: "Training",
    output: out.task,
  },
  {
    procedure: "training.cancel",
    method: "POST",
    path: "/training/tasks/{id}/cancel",
    summary: "Cancel a task, or one run (runId)",
    tag: "Training",
    output: out.cancelledTask,
    errors: [409],
  },
  {
    procedure: "models.list",
    method: "GET",
    path: "/models",
    summary: "Model versions",
    tag: "Model versions",
    output: z.array(out.version).describe("Versions"),
  },
  {
    procedure: "models.get",
    method: "GET",
    path: "/models/{id}",
    summary: "A model version (config, lineage, metrics)",
    tag: "Model versions",
    output: out.version,
  },
  {
    procedure: "models.rename",
    method: "PATCH",
    path: "/models/{id}",
    summary: "Rename a model version",
    tag: "Model versions",
    output: out.version,
  },
  {
    procedure: "models.delete",
    method: "DELETE",
    path: "/models/{id}",
    summary: "Delete a model version and its files",
    tag: "Model versions",
    output: out.deletedRow,
  },
  {
    procedure: "models.downloadOnnx",
    method: "GET",
    path: "/models/{id}/onnx",
    summary: "The ONNX file as base64",
    tag: "Model versions",
    output: out.onnxFile,
  },
  // Test jobs (exports: GET /test-jobs/{id}/result.{csv|xlsx}, added in document.ts)
  {
    procedure: "testJobs.create",
    method: "POST",
    path: "/test-jobs",
    summary: "Test a model version on cells or an upload",
    tag: "Test jobs",
    output: out.testJob,
    errors: [404],
  },
  {
    procedure: "testJobs.list",
    method: "GET",
    path: "/test-jobs",
    summary: "Test jobs",
    tag: "Test jobs",
    output: z.array(out.testJob).describe("Test jobs"),
  },
  {
    procedure: "testJobs.get",
    method: "GET",
    path: "/test-jobs/{id}",
    summary: "Status, request and metrics",
    tag: "Test jobs",
    output: out.testJob,
  },
  {
    procedure: "testJobs.cell",
    method: "GET",
    path: "/test-jobs/{id}/cells/{cellKey}",
    summary: "One cell's predicted vs true and residuals over cycles",
    tag: "Test jobs",
    output: out.testCell,
  },
  {
    procedure: "testJobs.residuals",
    method: "GET",
    path: "/test-jobs/{id}/residuals",
    summary: "Residual histogram and per-cell boxes of one target",
    tag: "Test jobs",
    output: out.residuals,
  },
  {
    procedure: "testJobs.cancel",
    method: "POST",
    path: "/test-jobs/{id}/cancel",
    summary: "Cancel a test job",
    tag: "Test jobs",
    output: out.cancelledTestJob,
    errors: [409],
  },
  {
    procedure: "testJobs.delete",
    method: "DELETE",
    path: "/test-jobs/{id}",
    summary: "Delete a test job and its exports",
    tag: "Test jobs",
    output: out.deletedRow,
  },
  // Early-life cycle-life prediction (exports: GET /early-life/tasks/{id}/result.{csv|xlsx}, added in document.ts)
  {
    procedure: "earlyLife.create",
    method: "POST",
    path: "/early-life/tasks",
    summary: "Create an early-life task: predict each cell's cycle life from its first 100 cycles (queued job)",
    tag: "Early-life prediction",
    output: out.earlyLifeTask,
    errors: [404],
  },
  {
    procedure: "earlyLife.list",
    method: "GET",
    path: "/early-life/tasks",
    summary: "Early-life tasks (RMSE and MAPE per test group; per-cell results from GET /early-life/tasks/{id})",
    tag: "Early-life prediction",
    output: z.array(out.earlyLifeTaskRow).describe("Early-life tasks"),
  },
  {
    procedure: "earlyLife.get",
    method: "GET",
    path: "/early-life/tasks/{id}",
    summary: "Status, and once SUCCEEDED predicted vs true cycle life per cell with RMSE and MAPE per group",
    tag: "Early-life prediction",
    output: out.earlyLifeTask,
  },
  {
    procedure: "earlyLife.cancel",
    method: "POST",
    path: "/early-life/tasks/{id}/cancel",
    summary: "Cancel an early-life task while it waits or runs (cancelled: false once it has ended)",
    tag: "Early-life prediction",
    output: out.cancelledEarlyLifeTask,
  },
  // Jobs (the queue's view of tasks)
  {
    procedure: "jobs.list",
    method: "GET",
    path: "/jobs",
    summary: "Own jobs (training, tests, energy)",
    tag: "Jobs",
    output: z.array(out.job).describe("Jobs"),
  },
  {
    procedure: "jobs.get",
    method: "GET",
    path: "/jobs/{id}",
    summary: "A job's status and progress",
    tag: "Jobs",
    output: out.job,
  },
  {
    procedure: "jobs.cancel",
    method: "POST",
    path: "/jobs/{id}/cancel",
    summary: "Cancel a job (409 when it has already finished)",
    tag: "Jobs",
    output: out.job,
    errors: [409],
  },
  // Energy Lab: assets and uploads
  {
    procedure: "energy.assets.list",
    method: "GET",
    path: "/energy/assets",
    summary: "Assets (own and built-in)",
    tag: "Energy assets",
    output: z.array(out.asset),
  },
  {
    procedure: "energy.assets.get",
    method: "GET",
    path: "/energy/assets/{id}",
    summary: "One asset with its statistics, windows and uploads",
    tag: "Energy assets",
    output: out.assetDetail,
  },
  {
    procedure: "energy.assets.create",
    method: "POST",
    path: "/energy/assets",
    summary: "Create an empty asset",
    tag: "Energy assets",
    output: out.asset,
  },
  {
    procedure: "energy.assets.rename",
    method: "PATCH",
    path: "/energy/assets/{id}",
    summary: "Rename an asset",
    tag: "Energy assets",
    output: out.asset,
  },
  {
    procedure: "energy.assets.delete",
    method: "DELETE",
    path: "/energy/assets/{id}",
    summary: "Delete an asset and its data",
    tag: "Energy assets",
    output: out.deletedId,
  },
  {
    procedure: "energy.assets.series",
    method: "GET",
    path: "/energy/assets/{id}/series",
    summary: "A range of the series (downsampled to maxPoints)",
    tag: "Energy assets",
    output: out.series,
  },
  {
    procedure: "energy.assets.evaluateBaseline",
    method: "GET",
    path: "/energy/assets/{id}/baseline",
    summary: "The seasonal-naive baseline on the held-out tail",
    tag: "Forecasting",
    output: out.baseline,
  },
  {
    procedure: "energyModels.compare",
    method: "GET",
    path: "/energy/assets/{assetId}/model-comparison",
    summary: "Ready versions of an asset with tail metrics, and the seasonal-naive row",
    tag: "Forecasting",
    output: z.array(out.comparisonRow).describe("Comparison"),
  },
  {
    procedure: "energy.uploads.inspect",
    method: "POST",
    path: "/energy/uploads/inspect",
    summary: "Columns, inferred types and a preview of a file (stores nothing)",
    tag: "Energy assets",
    output: out.inspection,
  },
  {
    procedure: "energy.uploads.commit",
    method: "POST",
    path: "/energy/uploads",
    summary: "Store a file into an asset with a column mapping (all or nothing)",
    tag: "Energy assets",
    output: out.energyCommit,
    errors: [404],
  },
  {
    procedure: "energy.uploads.list",
    method: "GET",
    path: "/energy/uploads",
    summary: "Own energy uploads",
    tag: "Energy assets",
    output: z.array(out.energyUpload).describe("Uploads"),
  },
  // Energy Lab: forecasting models
  {
    procedure: "energyModels.train",
    method: "POST",
    path: "/energy/models",
    summary: "Train a forecasting model (queued job)",
    tag: "Forecasting",
    output: out.energyVersion,
    errors: [404],
  },
  {
    procedure: "energyModels.list",
    method: "GET",
    path: "/energy/models",
    summary: "Forecasting model versions",
    tag: "Forecasting",
    output: z.array(out.energyVersion).describe("Versions"),
  },
  {
    procedure: "energyModels.get",
    method: "GET",
    path: "/energy/models/{id}",
    summary: "A forecasting model version",
    tag: "Forecasting",
    output: out.energyVersion,
  },
  {
    procedure: "energyModels.forecast",
    method: "GET",
    path: "/energy/models/{id}/forecast",
    summary: "Forecast of the next steps from the asset's latest data",
    tag: "Forecasting",
    output: out.forecast,
  },
  {
    procedure: "energyModels.forecastCsv",
    method: "GET",
    path: "/energy/models/{id}/forecast-csv",
    summary: "The forecast as CSV text ({ filename, csv })",
    tag: "Forecasting",
    output: out.csvFile,
  },
  {
    procedure: "energyModels.forecastFromFile",
    method: "POST",
    path: "/energy/models/{id}/forecast-from-history",
    summary:
      "Forecast of the steps after the last point of a history you send (csv text, points, or a base64 file); " +
      "refused naming the problem: missing columns, another frequency, too short a history, a gap",
    tag: "Forecasting",
    output: out.historyForecast,
    input: historyInput,
    toProcedure: historyFile,
    renameField: historyField,
  },
  {
    procedure: "energyModels.delete",
    method: "DELETE",
    path: "/energy/models/{id}",
    summary: "Delete a forecasting model version",
    tag: "Forecasting",
    output: out.deletedId,
  },
  // Anomaly detection
  {
    procedure: "anomaly.fit",
    method: "POST",
    path: "/anomaly/detectors",
    summary: "Fit a quantile detector on a ready forecasting version",
    tag: "Anomaly detection",
    output: out.detector,
    errors: [404],
  },
  {
    procedure: "anomaly.fitStreaming",
    method: "POST",
    path: "/anomaly/streaming-detectors",
    summary:
      "Create a streaming detector on an asset (learns during probation, then scores each point from earlier ones " +
      "and raises one alert per anomaly); detect and score with it as with any detector",
    tag: "Anomaly detection",
    output: out.streamingDetector,
    errors: [404],
  },
  {
    procedure: "anomaly.detectors",
    method: "GET",
    path: "/anomaly/detectors",
    summary: "Detectors",
    tag: "Anomaly detection",
    output: z.array(out.detector).describe("Detectors"),
  },
  {
    procedure: "anomaly.detector",
    method: "GET",
    path: "/anomaly/detectors/{id}",
    summary: "A detector",
    tag: "Anomaly detection",
    output: out.detector,
  },
  {
    procedure: "anomaly.deleteDetector",
    method: "DELETE",
    path: "/anomaly/detectors/{id}",
    summary: "Delete a detector",
    tag: "Anomaly detection",
    output: out.deletedId,
  },
  {
    procedure: "anomaly.detect",
    method: "POST",
    path: "/anomaly/detectors/{detectorId}/detections",
    summary: "Detect anomalies over a range of the detector's asset (queued job)",
    tag: "Anomaly detection",
    output: out.detection,
    input: z.object({
      detectorId: z.number().int().positive(),
      from: z.number().int().min(0).nullish(),
      to: z.number().int().min(0).nullish(),
      mergeGap: z.number().int().min(1).max(10_000).optional(),
    }),
    toProcedure: (i) => ({ source: "range", ...i }),
  },
  {
    procedure: "anomaly.detections",
    method: "GET",
    path: "/anomaly/detections",
    summary: "Detections",
    tag: "Anomaly detection",
    output: z.array(out.detection).describe("Detections"),
  },
  {
    procedure: "anomaly.detection",
    method: "GET",
    path: "/anomaly/detections/{id}",
    summary: "A detection with events and chart points",
    tag: "Anomaly detection",
    output: out.detection,
  },
  {
    procedure: "anomaly.detectionCsv",
    method: "GET",
    path: "/anomaly/detections/{id}/csv",
    summary: "A detection's events or points as CSV text ({ filename, csv })",
    tag: "Anomaly detection",
    output: out.csvFile,
  },
  {
    procedure: "anomaly.deleteDetection",
    method: "DELETE",
    path: "/anomaly/detections/{id}",
    summary: "Delete a detection",
    tag: "Anomaly detection",
    output: out.deletedId,
  },
  {
    procedure: "anomaly.score",
    method: "POST",
    path: "/anomaly/score",
    summary: "Real time: score new points (forecast band, score and flag per point)",
    tag: "Anomaly detection",
    output: out.scored,
    errors: [404],
  },
  {
    procedure: "anomaly.stream",
    method: "GET",
    path: "/anomaly/detectors/{detectorId}/points",
    summary: "The latest scored points of a detector",
    tag: "Anomaly detection",
    output: out.detectorPoints,
  },
];

/**
 * The adapter coerces strings to numbers and booleans for every operation (needed for query
 * strings and path parameters); a JSON body must not be: its fields go to the procedure as sent,
 * so `"epochs": "5"` is refused as over tRPC. Path parameters keep their coerced values.
 */
function uncoerced(op: RestOperation, ctx: Context, input: unknown): unknown {
  const body = ctx.restBody;
  if (
    op.method === "GET" ||
    !body ||
    typeof body !== "object" ||
    Array.isArray(body) ||
    !input ||
    typeof input !== "object"
  )
    return input;
  const pathKeys = new Set([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const raw = Object.fromEntries(Object.entries(body).filter(([k]) => !pathKeys.has(k)));
  return { ...input, ...raw };
}

/** A refusal naming a field, renamed by `rename`; anything else as it was. */
function withField(e: unknown, rename: (field: string) => string): unknown {
  const cause = e instanceof TRPCError ? (e.cause as ({ field?: unknown } & Error) | undefined) : undefined;
  if (!(e instanceof TRPCError) || typeof cause?.field !== "string") return e;
  const field = rename(cause.field);
  return new TRPCError({
    code: e.code,
    message: e.message,
    cause: Object.assign(new Error(e.message), cause, { field }),
  });
}

function buildProcedure(op: RestOperation) {
  const input = op.input ? cloneZod(op.input) : procedureInput(op.procedure);
  const hasId = /\{/.test(op.path);
  const meta: OpenApiMeta = {
    openapi: {
      method: op.method,
      path: op.path,
      summary: op.summary,
      tags: [op.tag],
      protect: true,
      errorResponses: [...new Set([...(hasId ? ID_CODES : LIST_CODES), ...(op.errors ?? [])])].sort(),
    },
  };
  const resolve = async ({ ctx, input }: { ctx: Context; input: unknown }) => {
    const caller = createCaller(ctx) as unknown as Record<string, any>;
    const fn = op.procedure.split(".").reduce((acc, k) => acc[k], caller) as unknown as (
      i: unknown,
    ) => Promise<unknown>;
    let raw = uncoerced(op, ctx, input);
    if (op.input) {
      // The adapter validated a coerced copy; what the mapping reads is the body as sent.
      const parsed = op.input.safeParse(raw);
      if (!parsed.success)
        throw new TRPCError({ code: "BAD_REQUEST", message: describeIssues(parsed.error.issues), cause: parsed.error });
      raw = parsed.data;
    }
    try {
      return await fn(op.toProcedure ? await op.toProcedure(raw, { userId: ctx.user!.id, caller }) : raw);
    } catch (e) {
      throw op.renameField ? withField(e, (f) => op.renameField!(f, raw)) : e;
    }
  };
  const base = restProcedure.meta(meta).input(input).output(op.output);
  return op.method === "GET" ? base.query(resolve) : base.mutation(resolve);
}

/** The object under refinements and defaults (what the adapter maps to parameters and bodies). */
function restShape(schema: ZodTypeAny): ZodTypeAny {
  const def = (schema as any)._def;
  if (def.typeName === "ZodEffects") return restShape(def.schema);
  if (def.typeName === "ZodDefault" || def.typeName === "ZodOptional") return restShape(def.innerType);
  return schema;
}

/**
 * A procedure whose input stopped being an object (e.g. became a union) is left out with a
 * warning rather than stopping the web server; server/openapi/openapi.test.ts then fails.
 */
function usable(op: RestOperation): boolean {
  const kind = (restShape(op.input ?? procedureInput(op.procedure)) as any)._def.typeName;
  if (kind === "ZodObject" || kind === "ZodVoid") return true;
  console.warn(`[openapi] ${op.method} ${op.path} left out: the input of ${op.procedure} is a ${kind}, not an object`);
  return false;
}

function nest(ops: RestOperation[]) {
  const record: Record<string, any> = {};
  for (const op of ops.filter(usable)) {
    const keys = op.procedure.split(".");
    let at = record;
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    at[keys[keys.length - 1]] = buildProcedure(op);
  }
  return record;
}

export const restRouter = t.router(nest(REST_OPERATIONS));
