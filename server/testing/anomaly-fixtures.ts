/**
 * Test and bench helpers: a synthetic asset (daily cycle + noise + a few spikes) uploaded as a
 * user, and a small version of it (GBDT by default) trained in-process (no worker), stored like energy.train
 * stores one (model.onnx + config.json, status SUCCEEDED).
 */
import { EnergyModelVersion } from "../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../storage/artifacts.js";
import type { TestUser } from "./users.js";
import { trainForecaster, type TrainOptions } from "../services/energy/forecasting.js";
import { loadSeries } from "../services/energy/series.js";

export const SPIKES = [700, 701, 850];

/** A seeded series: 15-min steps from 2024-01-01, daily sine, noise, spikes at SPIKES. */
export function syntheticCsv(points = 1000, seed = 1): string {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = Date.UTC(2024, 0, 1);
  const lines = ["time,kwh"];
  for (let i = 0; i < points; i++) {
    const ts = new Date(start + i * 900_000).toISOString().replace("T", " ").slice(0, 16);
    let v = 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + (rnd() - 0.5) * 4;
    if (SPIKES.includes(i)) v += 40;
    lines.push(`${ts},${v.toFixed(3)}`);
  }
  return lines.join("\n") + "\n";
}

export async function createSyntheticAsset(user: TestUser, points = 1000): Promise<number> {
  const csv = syntheticCsv(points);
  const r = await user.caller.energy.uploads.commit({
    fileName: "synthetic.csv",
    contentBase64: Buffer.from(csv).toString("base64"),
    mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
    newAssetName: `anomaly-synth-${Math.random().toString(36).slice(2, 10)}`,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  return r.assetId;
}

/** Trains a version of an asset in-process (GBDT unless `opts.kind` says otherwise) and stores it as a ready version of `userId`. */
export async function trainReadyVersion(
  userId: number,
  assetId: number,
  opts: Partial<TrainOptions> = {},
): Promise<EnergyModelVersion> {
  const series = await loadSeries({ assetId, userId });
  const kind = opts.kind ?? "gbdt";
  const request = {
    kind,
    lookback: opts.lookback ?? 16,
    horizon: opts.horizon ?? 4,
    quantiles: [0.1, 0.5, 0.9],
    epochs: opts.epochs ?? 30,
    learningRate: kind === "gbdt" ? 0.3 : 1e-3,
    seed: 0,
  };
  const t = await trainForecaster(series, { ...request, threads: 1, ...opts, kind });
  const v = await EnergyModelVersion.query().insertAndFetch({
    userId,
    assetId,
    kind,
    status: "SUCCEEDED",
    config: { request, ...t.config },
    metrics: null,
    history: [],
    trainSeconds: t.trainSeconds,
    error: null,
    jobId: null,
  });
  await artifacts().put(artifactKey(userId, "energy-models", v.id, "model.onnx"), t.onnx);
  await artifacts().put(artifactKey(userId, "energy-models", v.id, "config.json"), JSON.stringify(t.config));
  return v;
}
