/**
 * What a user gets from anomaly detection with the defaults, through the product's own path:
 * on the built-in NAB machine-temperature asset, a bench user creates a streaming detector with
 * the form's defaults (anomaly.fitStreaming: probation the first 15 % capped at 750 points,
 * threshold from bench/nab), runs a batch detection over the whole asset (the energy.detect
 * handler's body, runDetection) and the alerts are scored against the asset's labelled windows
 * by NAB's rules (bench/nab/scoring.ts). Nothing is tuned here and labels are read only to score.
 * Comparison rows from the same run: the published detectors' raw scores on the same NAB file
 * (bench/data/nab/published_standard_scores.csv) and the null detector.
 * Note: the settings were chosen on NAB's 47 development files, this one among them (see
 * bench/results/nab.md), so this is a development-data figure.
 *
 *   eval "$(bash scripts/dev-db.sh)" && npx tsx bench/anomaly/run.ts
 * Writes bench/results/anomaly.{json,md}.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { closeDb, db } from "../../db/db.js";
import { AnomalyDetection } from "../../db/models/anomaly-detection.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import * as queue from "../../jobs/queue.js";
import { prefixOwnJobs } from "../../jobs/testing.js";
import { createTestUser } from "../../server/testing/users.js";
import { labelledWindows } from "../../server/services/anomaly/detectors.js";
import { runDetection } from "../../server/services/anomaly/detections.js";
import { BUILTIN_NAB_NAME } from "../../server/services/energy/types.js";
import { loadNote } from "../machine-note.js";
import { normalise, PROFILES, rowWindows, scoreFile } from "../nab/scoring.js";

const NAB_FILE = "realKnownCause/machine_temperature_system_failure.csv";

db();
prefixOwnJobs("bench-anomaly");
const asset = await EnergyAsset.query().findOne({ name: BUILTIN_NAB_NAME }).whereNull("userId");
if (!asset) throw new Error("the NAB asset is not seeded (npx tsx seeds/run.ts)");
const user = await createTestUser("bench-anomaly");

const t0 = performance.now();
const detector = await user.caller.anomaly.fitStreaming({ assetId: asset.id });
const fitSeconds = (performance.now() - t0) / 1000;
const det = await user.caller.anomaly.detect({ source: "range", detectorId: detector.id });
const t1 = performance.now();
await runDetection(det.id, async () => {});
const detectSeconds = (performance.now() - t1) / 1000;
await queue.cancel(det.jobId!, { userId: user.id });
const done = (await AnomalyDetection.query().findById(det.id))!;
const points = await user.caller.anomaly.detection({ id: det.id, maxPoints: 50_000 });

// Score the alerts (rows of the asset) against the labelled windows.
const ts = points.points.map((p) => p.ts);
if (points.totalPoints !== ts.length) throw new Error("expected every point in the detection");
const windows = rowWindows(ts, await labelledWindows(asset.id));
const alerts = (done.events ?? []).map((e) => ts.indexOf(e.start));
const scores = PROFILES.map((p) => ({ profile: p.name, raw: scoreFile(alerts, windows, ts.length, p) }));
const failure = windows[windows.length - 1];
const firstIn = alerts.find((i) => i >= failure.start && i <= failure.end);
const centre = Math.round((failure.start + failure.end) / 2);
const hours = (a: number, b: number) => +((ts[b] - ts[a]) / 3.6e6).toFixed(1);

const pub = readFileSync("bench/data/nab/published_standard_scores.csv", "utf8").trim().split("\n");
const head = pub[0].split(",");
const row = pub.find((l) => l.startsWith(`${NAB_FILE},`))!.split(",");
const published = head.slice(2).map((name, k) => ({ detector: name, raw: Number(row[k + 2]) }));

const result = {
  date: new Date().toISOString(),
  machine: loadNote(),
  split: "development: the detector's defaults were chosen on NAB's 47 development files, this file among them",
  asset: { name: asset.name, points: ts.length, windows: windows.length },
  detector: { id: detector.id, streaming: detector.streaming, fitSeconds: +fitSeconds.toFixed(2) },
  detection: {
    summary: done.summary,
    seconds: +detectSeconds.toFixed(2),
    alerts: alerts.map((i) => new Date(ts[i]).toISOString()),
  },
  nab: scores.map((s) => ({
    profile: s.profile,
    raw: +s.raw.score.toFixed(3),
    tp: s.raw.tp,
    fp: s.raw.fp,
    fn: s.raw.fn,
    normalisedOnThisFile: +normalise(
      s.raw.score,
      windows.length,
      PROFILES.find((p) => p.name === s.profile)!,
    ).toFixed(1),
  })),
  failure:
    firstIn === undefined
      ? { detected: false }
      : {
          detected: true,
          firstAlert: new Date(ts[firstIn]).toISOString(),
          hoursBeforeWindowEnd: hours(firstIn, failure.end),
          hoursAfterLabel: hours(centre, firstIn),
        },
  published,
};
writeFileSync("bench/results/anomaly.json", JSON.stringify(result, null, 1) + "\n");
const std = result.nab[0];
const md = [
  "# Anomaly detection with the defaults: NAB machine temperature through the product",
  "",
  `Run ${result.date} · ${result.machine}. Command: \`eval "$(bash scripts/dev-db.sh)" && npx tsx bench/anomaly/run.ts\`.`,
  "",
  `A bench user creates a streaming detector on the built-in asset "${asset.name}" (${ts.length} points, ${windows.length} labelled windows) with the form's defaults (threshold ${detector.streaming!.threshold}, probation ${detector.streaming!.probation} points) in ${result.detector.fitSeconds} s, and a batch detection over the whole asset (energy.detect's body) takes ${result.detection.seconds} s. Nothing is tuned here; labels are only read to score.`,
  "",
  `**Data split:** development. The defaults were chosen on NAB's 47 development files (bench/results/nab.md), this file among them.`,
  "",
  "| profile | raw score on this file | TP windows | FP alerts | missed windows |",
  "|---|---:|---:|---:|---:|",
  ...result.nab.map((s) => `| ${s.profile} | ${s.raw.toFixed(2)} | ${s.tp} | ${s.fp} | ${s.fn} |`),
  "",
  "Standard-profile raw scores on the same file (NAB's published detectors at their own corpus thresholds; null = never alerts):",
  "",
  "| detector | raw score |",
  "|---|---:|",
  `| **VoltLab streaming (this run)** | **${std.raw.toFixed(2)}** |`,
  ...published.map((p) => `| ${p.detector} | ${p.raw.toFixed(2)} |`),
  "",
  result.failure.detected
    ? `Failure window: first alert ${(result.failure as { firstAlert: string }).firstAlert}, ${(result.failure as { hoursBeforeWindowEnd: number }).hoursBeforeWindowEnd} h before the window's end and ${(result.failure as { hoursAfterLabel: number }).hoursAfterLabel} h after the labelled failure (the window's centre).`
    : "Failure window: no alert inside it.",
  "",
  `Alerts (${alerts.length}): ${result.detection.alerts.join(", ")}.`,
  "",
];
writeFileSync("bench/results/anomaly.md", md.join("\n"));
console.log(md.join("\n"));
await closeDb();
