/**
 * Real-time scoring load: 1,000 points/s for 30 s to anomaly.score over HTTP (typed @trpc/client,
 * API key) against a web server this script starts in a child process on a free loopback port.
 *
 * Shape: 10 streams (10 detectors of one GBDT version, as 10 machines would post). Run 1: each
 * stream sends a batch of 10 points every 100 ms, staggered 10 ms apart, so one request leaves
 * every 10 ms (100 requests/s, 1,000 points/s). Run 2: 100 points every 1 s per stream
 * (10 requests/s, 1,000 points/s). Before them, 200 sequential requests measure the cost of one. Requests are sent on schedule (open loop: a slow
 * answer does not delay the next request). Latency is measured from the scheduled send time to
 * the answer, so time spent behind schedule counts. Each point is forecast (ONNX), scored,
 * flagged and stored (anomaly_stream_points) before the answer.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/realtime/run.ts
 * Env: BENCH_SECONDS (30), BENCH_STREAMS (10). Writes bench/results/realtime.{json,md}.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { closeDb, db } from "../../db/db.js";
import { createTestUser } from "../../server/testing/users.js";
import { createSyntheticAsset, trainReadyVersion } from "../../server/testing/anomaly-fixtures.js";
import { loadSeries } from "../../server/services/energy/series.js";
import { apiClient } from "../../scripts/api-client.js";
import { loadNote } from "../machine-note.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 10);
const BATCH = 10,
  PERIOD_MS = 100; // per stream (first run); the second run sends 10× larger batches 10× less often

db();
const user = await createTestUser("bench-realtime");
const assetId = await createSyntheticAsset(user);
const version = await trainReadyVersion(user.id, assetId, { lookback: 96, horizon: 4, epochs: 50 });
const series = await loadSeries({ assetId, userId: user.id });
const lastTs = series.timestamps[series.timestamps.length - 1];
const detectors: number[] = [];
for (let s = 0; s < STREAMS; s++)
  detectors.push(
    (await user.caller.anomaly.fit({ modelVersionId: version.id, highQuantile: 0.995, name: `bench stream ${s}` })).id,
  );
console.log(`asset ${assetId}, version ${version.id} (GBDT, L 96), ${STREAMS} detectors`);

const child = spawn(process.execPath, ["--import", "tsx", "bench/realtime/server.ts"], {
  env: process.env,
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
    const m = out.match(/\{"url":"([^"]+)"\}/);
    if (m) resolve(m[1]);
  });
  child.on("exit", (c) => reject(new Error(`server exited (${c})`)));
});
const client = apiClient(url, user.apiKey);
console.log(`server ${url}; 1000 points/s for ${SECONDS} s per run`);

// Points continue the series after its last timestamp: daily cycle + noise, a spike now and then.
const stepMs = series.frequencySeconds! * 1000;
const pointAt = (k: number) => {
  const i = series.timestamps.length + k;
  const spike = k % 997 === 500 ? 40 : 0;
  return {
    ts: lastTs + (k + 1) * stepMs,
    value: 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + Math.sin(k * 12.9898) * 2 + spike,
  };
};

// Warm-up: one request per stream (seeds each buffer, loads the ONNX session).
const nextK = detectors.map(() => 0);
const batchOf = (s: number, n: number) => Array.from({ length: n }, () => pointAt(nextK[s]++));
for (let s = 0; s < STREAMS; s++)
  await client.anomaly.score.mutate({ assetId, detectorId: detectors[s], points: batchOf(s, 1) });

const pctl = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
};

// Calibration: one request of 10 points at a time (no concurrency): the server's cost per request.
const calib: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await client.anomaly.score.mutate({
    assetId,
    detectorId: detectors[i % STREAMS],
    points: batchOf(i % STREAMS, BATCH),
  });
  calib.push(performance.now() - t);
}
const calibration = {
  requests: 200,
  pointsPerRequest: BATCH,
  p50: pctl(calib, 0.5),
  p99: pctl(calib, 0.99),
  mean: calib.reduce((a, b) => a + b, 0) / calib.length,
};
console.log(`sequential: p50 ${calibration.p50.toFixed(1)} ms per request of ${BATCH} points`);

/** Open-loop load: every stream sends `batch` points every `periodMs`, streams staggered evenly. */
async function load(batch: number, periodMs: number) {
  const latencies: number[] = [];
  let errors = 0,
    points = 0,
    flagged = 0;
  const errorSamples: string[] = [];
  const rounds = (SECONDS * 1000) / periodMs;
  const t0 = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < rounds; k++) {
    for (let s = 0; s < STREAMS; s++) {
      const due = t0 + k * periodMs + (s * periodMs) / STREAMS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        client.anomaly.score.mutate({ assetId, detectorId: detectors[s], points: batchOf(s, batch) }).then(
          (r) => {
            latencies.push(performance.now() - due);
            points += r.points.length;
            flagged += r.points.filter((p) => p.flag).length;
          },
          (e: unknown) => {
            errors++;
            if (errorSamples.length < 3) errorSamples.push(e instanceof Error ? e.message : String(e));
          },
        ),
      );
    }
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  const run = {
    pointsPerRequest: batch,
    periodMsPerStream: periodMs,
    requestsPerSecond: (STREAMS * 1000) / periodMs,
    targetPointsPerSecond: (STREAMS * batch * 1000) / periodMs,
    requests: latencies.length + errors,
    points,
    flagged,
    errors,
    errorSamples,
    achievedPointsPerSecond: points / elapsed,
    latencyMs: latencies.length
      ? {
          p50: pctl(latencies, 0.5),
          p90: pctl(latencies, 0.9),
          p99: pctl(latencies, 0.99),
          max: Math.max(...latencies),
        }
      : null,
  };
  console.log(JSON.stringify(run));
  return run;
}
const runs = [await load(BATCH, PERIOD_MS), await load(BATCH * 10, PERIOD_MS * 10)];
child.kill("SIGTERM");

const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    note: `client and server on the same machine; ${loadNote()}`,
  },
  setup: {
    streams: STREAMS,
    seconds: SECONDS,
    transport: "HTTP (httpLink: one request per batch, API key)",
    model: "GBDT, lookback 96, horizon 4 (ONNX)",
    detector: "high quantile 0.995, raw score",
  },
  calibration,
  runs,
};
writeFileSync("bench/results/realtime.json", JSON.stringify(result, null, 2) + "\n");
const f = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(1));
writeFileSync(
  "bench/results/realtime.md",
  [
    "# Real-time anomaly scoring over HTTP",
    "",
    `Date: ${result.date}. Machine: ${result.machine.cpus} × ${result.machine.model}, ${result.machine.memGiB} GiB, Node ${result.machine.node} (${result.machine.note}).`,
    "",
    `Load: ${STREAMS} streams (detectors of one version, as ${STREAMS} machines would post), each sending one request every period, staggered evenly; ${SECONDS} s per run, open loop (a slow answer does not delay the next request), to \`anomaly.score\` over HTTP with an API key (typed @trpc/client). ` +
      "The server runs in a child process on a free loopback port. Each point is forecast with ONNX (GBDT, lookback 96), scored, flagged and stored before the answer. Latency runs from the scheduled send time to the answer. " +
      `Sequential calibration (one request of ${BATCH} points at a time): p50 ${f(calibration.p50)} ms, p99 ${f(calibration.p99)} ms per request.`,
    "",
    "| points/request | requests/s | target points/s | achieved points/s | requests | errors | p50 ms | p90 ms | p99 ms | max ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...runs.map(
      (r) =>
        `| ${r.pointsPerRequest} | ${r.requestsPerSecond} | ${r.targetPointsPerSecond} | ${f(r.achievedPointsPerSecond)} | ${r.requests} | ${r.errors} | ${f(r.latencyMs?.p50)} | ${f(r.latencyMs?.p90)} | ${f(r.latencyMs?.p99)} | ${f(r.latencyMs?.max)} |`,
    ),
    "",
    `Run: \`eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/realtime/run.ts\`.`,
    "",
  ].join("\n"),
);
console.log(JSON.stringify(result, null, 2));
await closeDb();
process.exit(0);
