/**
 * Response shapes of the REST API (documentation and REST-only output validation). Objects pass
 * through every field the procedure returns; the fields named here are the ones clients rely on.
 */
import { z } from "zod";

const id = z.number().int().describe("Id");
const status = z.string().describe("Task status: PENDING, RUNNING, SUCCEEDED, FAILED or CANCELED");

const obj = (description: string, shape: z.ZodRawShape) => z.object(shape).passthrough().describe(description);

const num = z.number();
const earlyLifeConfig = obj("The request, resolved to cell lists", {
  datasetId: id,
  split: z.string(),
  featureSet: z.string(),
  model: z.string(),
  firstCycles: z.number().int(),
  trainCells: z.array(z.string()),
  testGroups: z.array(obj("A group of test cells", { name: z.string(), cells: z.array(z.string()) })),
});
const earlyLifeScore = {
  name: z.string().describe("Test group"),
  rmse: num.describe("Cycles"),
  mape: num.describe("A fraction"),
};
const earlyLifeResult = obj("The fitted model and its predictions (null until SUCCEEDED)", {
  features: z.array(obj("A model input", { key: z.string(), label: z.string(), coef: num.nullable() })),
  intercept: num.nullable(),
  train: obj("On the training cells", { rmse: num, mape: num, cells: z.number().int() }),
  groups: z.array(
    obj("A test group", {
      ...earlyLifeScore,
      cells: z.array(obj("A cell", { key: z.string(), trueLife: num, predictedLife: num })),
    }),
  ),
  elapsedMs: num,
});
const earlyLifeTask = {
  id,
  name: z.string(),
  datasetId: id,
  status,
  error: z.string().nullable(),
  config: earlyLifeConfig,
};
const quantiles = { ts: num, q10: num, q50: num, q90: num };

export const out = {
  /** Anything (documented by its description only). */
  any: (description: string) => z.any().describe(description),
  dataset: obj("A battery dataset", { id }),
  batteryUpload: obj("ok: true with the upload and dataset, or ok: false with the problems found", { ok: z.boolean() }),
  task: obj("A training task with its runs", {
    id,
    status,
    runs: z.array(obj("A run (one algorithm)", { status, versionId: z.number().int().nullable().optional() })),
  }),
  version: obj("A battery model version", { id, name: z.string(), algorithm: z.string() }),
  testJob: obj("A test job", { id, status }),
  job: obj("A job", { id, name: z.string(), status }),
  asset: obj("An energy asset", { id, name: z.string() }),
  assetDetail: obj("An asset with its statistics, labelled windows and uploads", {
    asset: obj("An energy asset", { id, name: z.string() }),
    stats: obj("Statistics of the series", {}),
  }),
  series: obj("A range of an asset's series", {
    t: z.array(z.number()),
    v: z.array(z.number().nullable()),
    totalPoints: z.number().int(),
  }),
  energyCommit: obj("ok: true with the asset, or ok: false with the reasons", { ok: z.boolean() }),
  csvFile: obj("A CSV file as text", { filename: z.string(), csv: z.string() }),
  energyVersion: obj("A forecasting model version", { id, assetId: id, kind: z.string(), status: z.string() }),
  detector: obj("An anomaly detector", { id, kind: z.string(), assetId: id }),
  batteryUploadRow: obj("A battery upload", { id, originalName: z.string(), datasetId: id.nullable() }),
  deleted: obj("Deleted", { deleted: z.literal(true) }),
  deletedId: obj("Deleted: the row's id", { id }),
  deletedRow: obj("Deleted: the row's id", { id, deleted: z.literal(true) }),
  cancelledTask: obj("How many runs were cancelled, and the task", {
    cancelled: z.number().int(),
    task: obj("A training task", { id, status }),
  }),
  cancelledTestJob: obj("Whether it was cancelled, and the test job", {
    cancelled: z.boolean(),
    testJob: obj("A test job", { id, status }),
  }),
  onnxFile: obj("The ONNX file as base64", { fileName: z.string(), base64: z.string(), bytes: z.number().int() }),
  cellList: obj("The dataset and its cells", {
    dataset: obj("A battery dataset", { id }),
    cells: z.array(obj("A cell", { id, cellKey: z.string() })),
  }),
  presets: z
    .array(
      obj("A preset (split)", {
        key: z.string(),
        label: z.string(),
        cellIds: z.array(id),
        cellKeys: z.array(z.string()),
      }),
    )
    .describe("Presets"),
  analysis: obj("Statistics per feature and target, correlations", {
    datasetId: id,
    cellCount: z.number().int(),
    rowCount: z.number().int(),
    statistics: z.array(
      obj("Statistics of one variable", { key: z.string(), count: z.number().int(), missing: z.number().int() }),
    ),
    correlations: obj("Correlations", {}),
  }),
  cellLines: (description: string, lines: "lines" | "groups") =>
    obj(description, {
      [lines]: z.array(obj("One cell's points", { cellId: id, cellKey: z.string(), points: z.array(z.unknown()) })),
    }),
  testCell: obj("One cell's predicted vs true and residuals", {
    cellKey: z.string(),
    n: z.number().int(),
    metrics: obj("Metrics per target", {}),
    targets: z.array(obj("One target's points", { target: z.string(), points: z.array(z.unknown()) })),
  }),
  residuals: obj("Residual histogram and per-cell boxes", {
    target: z.string(),
    n: z.number().int(),
    histogram: z.array(obj("A bin", { x0: z.number(), x1: z.number(), count: z.number().int() })),
    perCell: z.array(obj("A cell's residual box", { cellKey: z.string(), n: z.number().int(), median: z.number() })),
  }),
  baseline: obj("The seasonal-naive baseline on the held-out tail", {
    forecaster: z.string(),
    horizon: z.number().int(),
    metrics: obj("Forecast metrics", { mae: z.number(), rmse: z.number() }),
  }),
  comparisonRow: obj("A ready version (or the seasonal-naive row, id null) with tail metrics", {
    id: id.nullable(),
    name: z.string(),
    kind: z.string(),
    baseline: z.boolean(),
  }),
  inspection: obj("ok: true with columns, inferred types and a preview, or ok: false with the reasons", {
    ok: z.boolean(),
  }),
  energyUpload: obj("An energy upload with its report", { id, assetId: id, originalName: z.string() }),
  forecast: obj("History and the forecast's quantiles", {
    versionId: id,
    history: z.array(obj("A past point", { ts: z.number(), value: z.number().nullable() })),
    forecast: z.array(obj("A forecast step", { ts: z.number(), q50: z.number() })),
  }),
  detection: obj("A detection (jobId for progress)", {
    id,
    detectorId: id,
    status,
    jobId: z.number().int().nullable(),
  }),
  detectorPoints: obj("A detector and its latest scored points", {
    detector: obj("An anomaly detector", { id }),
    points: z.array(obj("A scored point", { ts: z.number(), flag: z.boolean() })),
  }),
  earlyLifeTask: obj("An early-life task: status, and predicted vs true cycle life per cell once SUCCEEDED", {
    ...earlyLifeTask,
    result: earlyLifeResult.nullable(),
  }),
  earlyLifeTaskRow: obj("An early-life task with its scores per test group", {
    ...earlyLifeTask,
    scores: z.array(obj("A test group's scores", earlyLifeScore)),
  }),
  cancelledEarlyLifeTask: obj("Whether it was cancelled, and the task", {
    cancelled: z.boolean(),
    task: obj("An early-life task", { ...earlyLifeTask, result: earlyLifeResult.nullable() }),
  }),
  historyForecast: obj("The forecast after the history's last point, with its band, and as CSV", {
    versionId: id,
    kind: z.string(),
    targetName: z.string(),
    unit: z.string().nullable(),
    calibrated: z.boolean().describe("Whether the 10–90 % band is calibrated (split-conformal)"),
    history: z.array(obj("A point of the history read", { ts: num, value: num.nullable() })),
    forecast: z.array(obj("A forecast step: median and the 10–90 % band", quantiles)),
    filename: z.string(),
    csv: z.string().describe("timestamp,q10,q50,q90"),
  }),
  streamingDetector: obj("A streaming detector", {
    id,
    kind: z.literal("streaming"),
    assetId: id,
    name: z.string(),
    highThreshold: num.describe("The alert threshold on the anomaly score (0–1)"),
    streaming: obj("Its settings: threshold, probation (points, from startTs to probationEndTs)", {
      threshold: num,
      probation: z.number().int(),
      startTs: num,
      probationEndTs: num,
      stepSeconds: num.nullable(),
    }),
  }),
  scored: obj("Scored points", {
    points: z.array(obj("A scored point", { ts: z.number(), flag: z.boolean() })),
  }),
};
