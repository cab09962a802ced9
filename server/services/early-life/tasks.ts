/**
 * Early-life prediction tasks: create (validate the cells and that the feature set covers them,
 * then one queue job), run (the job handler: fit on the training cells, score each test group),
 * read, list and export. Every query is scoped to the caller; foreign ids are NOT_FOUND.
 */
import ExcelJS from "exceljs";
import { db } from "../../../db/db.js";
import { EarlyLifeTask } from "../../../db/models/early-life-task.js";
import * as queue from "../../../jobs/queue.js";
import { checkActiveJobs } from "../quotas.js";
import { jobName, jobSummaries, rowStatus } from "../../../jobs/lifecycle.js";
import { fieldError, userError } from "../../trpc/errors.js";
import { translator } from "../../i18n/translate.js";
import type { Locale } from "../../i18n/locales.js";
import { listCells, readableDataset } from "../battery/datasets.js";
import {
  createEarlyLifeInput,
  EARLY_LIFE_DEFAULTS,
  type EarlyLifeConfig,
  type EarlyLifeInput,
  type EarlyLifeResult,
} from "../../schemas/early-life.js";
import { loadEarlyCells } from "./data.js";
import { earlyFeature, FEATURE_SETS } from "./features.js";
import { checkCells, fitEarlyModel, predictEarly, scorePredictions } from "./model.js";
import { csvLine } from "../../csv.js";
import { ownedOrNotFound } from "../owned.js";

export const EARLY_LIFE_JOB = "battery.early-life";

export interface EarlyLifeJobData {
  taskId: number;
}

async function resolveConfig(
  userId: number,
  input: ReturnType<typeof createEarlyLifeInput.parse>,
): Promise<EarlyLifeConfig> {
  const ds = await readableDataset(input.datasetId, userId);
  const { cells } = await listCells({ datasetId: ds.id, userId });
  const base = {
    name: input.name,
    datasetId: ds.id,
    datasetName: ds.name,
    split: input.split,
    featureSet: input.featureSet,
    model: input.model,
    firstCycles: EARLY_LIFE_DEFAULTS.firstCycles,
  };
  if (input.split === "severson") {
    const of = (s: string) => cells.filter((c) => c.seversonSplit === s).map((c) => c.cellKey);
    if (!of("primary_train").length) throw fieldError("BAD_REQUEST", "split", "earlyLife:errors.noSeversonSplit");
    return {
      ...base,
      trainCells: of("primary_train"),
      testGroups: [
        { name: "primary_test", cells: of("primary_test") },
        { name: "secondary_test", cells: of("secondary_test") },
      ].filter((g) => g.cells.length),
    };
  }
  const known = new Set(cells.map((c) => c.cellKey));
  for (const field of ["trainCells", "testCells"] as const) {
    const unknown = input[field].filter((k) => !known.has(k));
    if (unknown.length)
      throw fieldError("BAD_REQUEST", field, "earlyLife:errors.unknownCells", {
        cells: unknown.slice(0, 10).join(", "),
      });
  }
  return { ...base, trainCells: input.trainCells, testGroups: [{ name: "test", cells: input.testCells }] };
}

/** Validates (same schema as the form), checks every cell has the feature set's data, enqueues the job. */
export async function createEarlyLifeTask(userId: number, raw: EarlyLifeInput, opts: { jobNamePrefix?: string } = {}) {
  const input = createEarlyLifeInput.parse(raw);
  const cfg = await resolveConfig(userId, input);
  const keys = [...cfg.trainCells, ...cfg.testGroups.flatMap((g) => g.cells)];
  const { cells } = await loadEarlyCells(userId, cfg.datasetId, cfg.firstCycles, keys);
  const byKey = new Map(cells.map((c) => [c.key, c]));
  try {
    const features = FEATURE_SETS[cfg.featureSet];
    checkCells(
      cfg.trainCells.map((k) => byKey.get(k)!),
      features,
      cfg.firstCycles,
      "Training",
    );
    for (const g of cfg.testGroups)
      checkCells(
        g.cells.map((k) => byKey.get(k)!),
        features,
        cfg.firstCycles,
        `Test (${g.name})`,
      );
  } catch (e) {
    throw fieldError("BAD_REQUEST", "featureSet", "earlyLife:errors.lacksData", { detail: (e as Error).message });
  }
  const taskId = await db().transaction(async (trx) => {
    await checkActiveJobs(trx, userId, 1);
    const task = await EarlyLifeTask.query(trx).insert({
      userId,
      datasetId: cfg.datasetId,
      name: cfg.name,
      config: cfg,
    });
    const data: EarlyLifeJobData = { taskId: task.id };
    const jobId = await queue.send(
      jobName(EARLY_LIFE_JOB, opts.jobNamePrefix),
      data,
      { userId, retryLimit: 1, expireIn: 300 },
      trx,
    );
    await EarlyLifeTask.query(trx).patch({ jobId }).where({ id: task.id });
    return task.id;
  });
  return getEarlyLifeTask(userId, taskId);
}

/** Fits the task's model on its training cells and scores every test group (the job's work). */
export async function runEarlyLifeTask(userId: number, taskId: number): Promise<EarlyLifeResult> {
  const t = await ownTask(userId, taskId);
  const cfg = t.config;
  const started = Date.now();
  const keys = [...cfg.trainCells, ...cfg.testGroups.flatMap((g) => g.cells)];
  const { cells } = await loadEarlyCells(userId, cfg.datasetId, cfg.firstCycles, keys);
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const pick = (ks: string[]) => ks.map((k) => byKey.get(k)!);
  const m = await fitEarlyModel(pick(cfg.trainCells), cfg.featureSet, cfg.model, cfg.firstCycles);
  const groups = cfg.testGroups.map((g) => {
    const cellsOut = predictEarly(m, pick(g.cells), `Test (${g.name})`);
    const s = scorePredictions(cellsOut);
    return { name: g.name, rmse: s.rmse, mape: s.mape, cells: cellsOut };
  });
  return {
    features: m.features.map((key, j) => ({
      key,
      label: earlyFeature(key).label,
      coef: m.linear ? m.linear.coef[j] : null,
    })),
    intercept: m.linear ? m.linear.intercept : null,
    cv: m.cv,
    train: scorePredictions(predictEarly(m, pick(cfg.trainCells), "Training")),
    groups,
    elapsedMs: Date.now() - started,
  };
}

function ownTask(userId: number, id: number): Promise<EarlyLifeTask> {
  return ownedOrNotFound(EarlyLifeTask, id, userId, "earlyLife:errors.taskNotFound");
}

async function describe(userId: number, tasks: EarlyLifeTask[]) {
  const jobs = await jobSummaries(
    userId,
    tasks.map((t) => t.jobId),
  );
  return tasks.map((t) => {
    const job = t.jobId ? jobs.get(t.jobId) : undefined;
    // The job's status; the result and SUCCEEDED are stored in the transaction that completes it.
    const status = rowStatus(job, t.finalStatus);
    return {
      id: t.id,
      name: t.name,
      datasetId: t.datasetId,
      config: t.config,
      result: t.result,
      status,
      error: job?.error ?? null,
      createdAt: t.createdAt,
    };
  });
}

export async function getEarlyLifeTask(userId: number, id: number) {
  const [view] = await describe(userId, [await ownTask(userId, id)]);
  // The row is read before its job: when the job completed in between (storing the result in the
  // same transaction), the row read first has no result yet. Read it again: now it has.
  if (view!.status === "SUCCEEDED" && !view!.result) return (await describe(userId, [await ownTask(userId, id)]))[0]!;
  return view!;
}
export type EarlyLifeTaskView = Awaited<ReturnType<typeof getEarlyLifeTask>>;

export async function listEarlyLifeTasks(userId: number, limit = 50) {
  const tasks = await EarlyLifeTask.query().where("userId", userId).orderBy("id", "desc").limit(limit);
  return (await describe(userId, tasks)).map(({ result, ...t }) => ({
    ...t,
    result: null,
    scores: result ? result.groups.map((g) => ({ name: g.name, rmse: g.rmse, mape: g.mape })) : [],
  }));
}

export const EXPORT_COLUMNS = [
  "group",
  "cell",
  "true_cycle_life",
  "predicted_cycle_life",
  "error",
  "abs_pct_error",
] as const;

function detailRows(r: EarlyLifeResult): (string | number)[][] {
  return r.groups.flatMap((g) =>
    g.cells.map((c) => [
      g.name,
      c.key,
      c.trueLife,
      Number(c.predictedLife.toFixed(3)),
      Number((c.predictedLife - c.trueLife).toFixed(3)),
      Number(((100 * Math.abs(c.predictedLife - c.trueLife)) / c.trueLife).toFixed(4)),
    ]),
  );
}

/**
 * The finished task's per-cell predictions as CSV (English machine headers), or XLSX with a
 * summary and a model sheet, its sheet names and headers in `locale`.
 */
export async function exportEarlyLifeTask(userId: number, id: number, format: "csv" | "xlsx", locale: Locale = "en") {
  const t = await ownTask(userId, id);
  if (!t.result) throw userError("PRECONDITION_FAILED", "earlyLife:errors.noResult");
  const r = t.result;
  const base = `early-life-${t.id}`;
  if (format === "csv") {
    const text = [EXPORT_COLUMNS.join(","), ...detailRows(r).map(csvLine)].join("\n") + "\n";
    return { fileName: `${base}.csv`, mime: "text/csv", contentBase64: Buffer.from(text).toString("base64") };
  }
  const tr = translator(locale);
  const x = (key: string) => String((tr as unknown as (k: string) => string)(`earlyLife:xlsx.${key}`));
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet(x("sheets.summary"));
  summary.addRows([
    [x("task"), t.name],
    [x("dataset"), t.config.datasetName],
    [x("featureSet"), t.config.featureSet],
    [x("model"), t.config.model],
    [x("firstCycles"), t.config.firstCycles],
    [x("trainingCells"), t.config.trainCells.length],
    [x("cvL1Ratio"), r.cv?.l1Ratio ?? ""],
    [x("cvLambda"), r.cv?.lambda ?? ""],
    [],
    [x("group"), x("cells"), x("rmse"), x("mape")],
    ...r.groups.map((g) => [g.name, g.cells.length, g.rmse, 100 * g.mape]),
  ]);
  const model = wb.addWorksheet(x("sheets.model"));
  model.addRows([
    [x("feature"), x("label"), x("coefficient")],
    [x("intercept"), "", r.intercept ?? ""],
    ...r.features.map((f) => [f.key, f.label, f.coef ?? ""]),
  ]);
  wb.addWorksheet(x("sheets.cells")).addRows([EXPORT_COLUMNS.map((c) => x(`columns.${c}`)), ...detailRows(r)]);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    fileName: `${base}.xlsx`,
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    contentBase64: buf.toString("base64"),
  };
}

/** Cancels the task's job while it waits or runs. */
export async function cancelEarlyLifeTask(userId: number, id: number) {
  const t = await ownTask(userId, id);
  const cancelled = t.jobId ? await queue.cancel(t.jobId, { userId }) : false;
  if (cancelled) await EarlyLifeTask.query().patch({ finalStatus: "CANCELED" }).where({ id: t.id });
  return { cancelled, task: await getEarlyLifeTask(userId, t.id) };
}
