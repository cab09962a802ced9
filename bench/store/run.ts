/**
 * Artifact-store throughput: the local-folder backend vs the S3-compatible backend (s3rver on
 * loopback), side by side, on what the platform stores: a 20 MB upload (put, get, streamed get)
 * and a model folder (a Baseline version freshly trained through the training service: put its
 * three files, read them back, hand the checkpoint to a path-only library via withLocalFile).
 * A row of plain fs.writeFile/readFile on the same disk is the floor both backends are measured
 * against. Each operation runs ROUNDS times after one warm-up; medians and the spread are reported.
 *
 *   eval "$(bash scripts/dev-db.sh)" && npx tsx bench/store/run.ts
 * Env: STORE_ROUNDS (10). Writes bench/results/store.{json,md}.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { closeDb } from "../../db/db.js";
import { createTestUser } from "../../server/testing/users.js";
import { startTestS3 } from "../../server/testing/s3.js";
import { startTestWorker, trainBaselineVersion } from "../../server/testing/battery-fixtures.js";
import { modelKey, MODEL_FILES } from "../../server/services/training/versions.js";
import {
  artifacts,
  artifactKey,
  LocalArtifactStore,
  S3ArtifactStore,
  type ArtifactStore,
} from "../../server/storage/artifacts.js";
import { loadNote } from "../machine-note.js";

const ROUNDS = Number(process.env.STORE_ROUNDS ?? 10);
const UPLOAD_BYTES = 20 * 1024 * 1024;

/** A deterministic battery-style CSV of exactly 20 MiB (what a large upload looks like). */
function uploadCsv(): Buffer {
  const lines = ["cell_id,cycle,temp_c,ir_ohm,qd_ah"];
  let size = lines[0].length + 1;
  for (let i = 0; size < UPLOAD_BYTES; i++) {
    const l = `cell-${i % 97},${i},${(25 + (i % 50) / 10).toFixed(2)},${(0.016 + (i % 13) / 1e4).toFixed(5)},${(1.1 - (i % 1000) * 0.0003).toFixed(5)}`;
    lines.push(l);
    size += l.length + 1;
  }
  return Buffer.from(lines.join("\n") + "\n").subarray(0, UPLOAD_BYTES);
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const summary = (ms: number[]) => ({
  medianMs: +median(ms).toFixed(2),
  minMs: +Math.min(...ms).toFixed(2),
  maxMs: +Math.max(...ms).toFixed(2),
});

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

// The model folder: a real version trained through the service, read from the development store.
const user = await createTestUser("bench-store");
const w = startTestWorker("bench-store");
const versionId = await trainBaselineVersion(user.id, w);
await w.stop();
const folder = await Promise.all(
  Object.values(MODEL_FILES).map(async (name) => ({
    name,
    data: await artifacts().get(modelKey(user.id, versionId, name)),
  })),
);
const upload = uploadCsv();

const s3 = await startTestS3();
const localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-bench-store-"));
const rawRoot = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-bench-raw-"));
const backends: [string, ArtifactStore][] = [
  ["local folder", new LocalArtifactStore(localRoot)],
  ["S3 (s3rver, loopback)", new S3ArtifactStore(s3.settings)],
];

const rows: Record<string, Record<string, ReturnType<typeof summary>>> = {};
const up = artifactKey(1, "battery-uploads", 1, "source.csv");
const rawFile = path.join(rawRoot, "source.csv");
rows["plain fs (floor)"] = {
  putUpload: summary(await time(() => fsp.writeFile(rawFile, upload))),
  getUpload: summary(await time(() => fsp.readFile(rawFile))),
  streamUpload: summary(await time(() => pipeline(fs.createReadStream(rawFile), sink()))),
};
for (const [name, store] of backends) {
  const model = (n: string) => artifactKey(1, "battery-models", 1, n);
  rows[name] = {
    putUpload: summary(await time(() => store.put(up, upload))),
    getUpload: summary(
      await time(async () => {
        if ((await store.get(up)).length !== UPLOAD_BYTES) throw new Error("short read");
      }),
    ),
    streamUpload: summary(await time(async () => pipeline(await store.stream(up), sink()))),
    putModel: summary(
      await time(async () => {
        for (const f of folder) await store.put(model(f.name), f.data);
      }),
    ),
    getModel: summary(
      await time(async () => {
        const keys = await store.list(artifactKey(1, "battery-models", 1));
        if (keys.length !== folder.length) throw new Error("missing model files");
        for (const k of keys) await store.get(k);
      }),
    ),
    checkpointPath: summary(await time(() => store.withLocalFile(model(MODEL_FILES.checkpoint), (f) => fsp.stat(f)))),
  };
}

const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    note: `client, s3rver and disk on the same machine; ${loadNote()}`,
  },
  setup: {
    rounds: ROUNDS,
    uploadBytes: UPLOAD_BYTES,
    modelFolder: folder.map((f) => ({ name: f.name, bytes: f.data.length })),
    s3: "s3rver 3.7 (S3 REST API over a temporary folder), path-style, @aws-sdk/client-s3; put = PutObject to a staging key + CopyObject + DeleteObject",
  },
  rows,
};
fs.writeFileSync("bench/results/store.json", JSON.stringify(result, null, 2) + "\n");

const f = (s?: ReturnType<typeof summary>) =>
  s ? `${s.medianMs.toFixed(1)} (${s.minMs.toFixed(1)}–${s.maxMs.toFixed(1)})` : "–";
const mbps = (s?: ReturnType<typeof summary>) =>
  s ? `${(UPLOAD_BYTES / 2 ** 20 / (s.medianMs / 1000)).toFixed(0)} MiB/s` : "–";
const modelBytes = folder.reduce((n, x) => n + x.data.length, 0);
fs.writeFileSync(
  "bench/results/store.md",
  [
    "# Artifact store: local folder vs S3-compatible bucket",
    "",
    `Date: ${result.date}. Machine: ${result.machine.cpus} × ${result.machine.model}, ${result.machine.memGiB} GiB, Node ${result.machine.node} (${result.machine.note}).`,
    "",
    `Load: each operation ${ROUNDS} times after one warm-up, one at a time; milliseconds as median (min–max). ` +
      `Upload: a deterministic battery-style CSV of 20 MiB. Model folder: the ${folder.length} files of a Case A Baseline version trained for this run through the training service ` +
      `(${folder.map((x) => `${x.name} ${(x.data.length / 1024).toFixed(1)} KiB`).join(", ")}; ${(modelBytes / 1024).toFixed(1)} KiB in all). ` +
      `S3: ${result.setup.s3}. No setting is tuned on these figures (no development/test split applies): the store has no knobs; the product's defaults are the ones measured.`,
    "",
    "| backend | put 20 MiB upload | get 20 MiB | stream 20 MiB | put model folder | list + get model folder | checkpoint as a local path |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...Object.entries(rows).map(
      ([name, r]) =>
        `| ${name} | ${f(r.putUpload)} | ${f(r.getUpload)} | ${f(r.streamUpload)} | ${f(r.putModel)} | ${f(r.getModel)} | ${f(r.checkpointPath)} |`,
    ),
    "",
    "Upload throughput (median): " +
      Object.entries(rows)
        .map(([name, r]) => `${name} put ${mbps(r.putUpload)}, get ${mbps(r.getUpload)}`)
        .join("; ") +
      ".",
    "",
    "s3rver is a Node process on the same two cores, writing to the same disk: it measures the cost of the S3 path (HTTP, SigV4 signing, the staging copy) rather than what MinIO or AWS S3 would do over a network.",
    "",
    'Run: `eval "$(bash scripts/dev-db.sh)" && npx tsx bench/store/run.ts`.',
    "",
  ].join("\n"),
);
console.log(fs.readFileSync("bench/results/store.md", "utf8"));
await s3.close();
fs.rmSync(localRoot, { recursive: true, force: true });
fs.rmSync(rawRoot, { recursive: true, force: true });
await closeDb();
process.exit(0);
