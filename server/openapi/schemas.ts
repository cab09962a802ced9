/**
 * Response shapes of the REST API (documentation and REST-only output validation). Objects pass
 * through every field the procedure returns; the fields named here are the ones clients rely on.
 */
import { z } from "zod";

const id = z.number().int().describe("Id");
const status = z.string().describe("Task status: PENDING, RUNNING, SUCCEEDED, FAILED or CANCELED");

const obj = (description: string, shape: z.ZodRawShape) => z.object(shape).passthrough().describe(description);

export const out = {
  /** Anything (documented by its description only). */
  any: (description: string) => z.any().describe(description),
  dataset: obj("A battery dataset", { id }),
  batteryUpload: obj("ok: true with the upload and dataset, or ok: false with the problems found", { ok: z.boolean() }),
  task: obj("A training task with its runs", { id, status, runs: z.array(obj("A run (one algorithm)", { status, versionId: z.number().int().nullable().optional() })) }),
  version: obj("A battery model version", { id }),
  testJob: obj("A test job", { id, status }),
  job: obj("A job", { id }),
  asset: obj("An energy asset", { id, name: z.string() }),
  assetDetail: obj("An asset with its statistics, labelled windows and uploads", { asset: obj("An energy asset", { id, name: z.string() }), stats: obj("Statistics of the series", {}) }),
  series: obj("A range of an asset's series", { t: z.array(z.number()), v: z.array(z.number().nullable()), totalPoints: z.number().int() }),
  energyCommit: obj("ok: true with the asset, or ok: false with the reasons", { ok: z.boolean() }),
  csvFile: obj("A CSV file as text", { filename: z.string(), csv: z.string() }),
  energyVersion: obj("A forecasting model version", { id }),
  detector: obj("An anomaly detector", { id }),
  scored: obj("Scored points", {
    points: z.array(obj("A scored point", { ts: z.number(), flag: z.boolean() })),
  }),
};
