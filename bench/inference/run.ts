/**
 * Inference benchmark: samples per second of onnxruntime-node (the platform's inference path,
 * used by battery.test) vs the addon's own LibTorch forward pass (`predict` in native/index.ts)
 * on the same model and the same raw inputs (normalisation inside both), for Baseline, BiLSTM
 * and DeepHPM at several batch sizes. Models: each algorithm trained for a few epochs on Case A
 * (PCL) through the training service at the default sizes (MLP 2 × 128; BiLSTM 2 × 64, window
 * 10), the ONNX graph from the platform's writer. Both runtimes single-threaded (THREADS).
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 19 npx tsx bench/inference/run.ts
 *
 * Environment: THREADS (default 1), BATCHES (default "1,256,4096"), MIN_MS per measurement
 * (default 1500). Writes bench/results/inference.json and inference.md.
 */
import fs from "node:fs";
import os from "node:os";
import * as ort from "onnxruntime-node";
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { nativeInfo, predict } from "../../native/index.js";
import { createTaskInput, SYSTEM_SETTINGS, type Algorithm, type TaskConfig } from "../../server/schemas/training.js";
import { buildTaskData, loadTaskCells } from "../../server/services/training/data.js";
import { trainAlgorithm, windowFor } from "../../server/services/training/trainer.js";
import { writeBatteryOnnx } from "../../server/ml/onnx/index.js";
import { loadNote } from "../machine-note.js";

const THREADS = Number(process.env.THREADS ?? 1);
const BATCHES = (process.env.BATCHES ?? "1,256,4096").split(",").map(Number);
const MIN_MS = Number(process.env.MIN_MS ?? 1500);
const ALGOS: Algorithm[] = ["baseline", "bilstm", "deephpm"];

/** Runs fn repeatedly for at least MIN_MS (after one warm-up call); returns samples per second. */
async function rate(
  batch: number,
  fn: () => unknown | Promise<unknown>,
): Promise<{ perSecond: number; calls: number; msPerCall: number }> {
  await fn();
  let calls = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS || calls < 3) {
    await fn();
    calls++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return { perSecond: (calls * batch) / (elapsed / 1000), calls, msPerCall: elapsed / calls };
}

async function main() {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  if (!ds) throw new Error("built-in dataset missing: run the seeds");
  const started = new Date();
  const rows: any[] = [];
  for (const algorithm of ALGOS) {
    const cfg: TaskConfig = {
      ...createTaskInput.parse({
        name: "bench",
        datasetId: ds.id,
        split: "case_a",
        target: "pcl",
        features: ["kong_slope", "kong_intercept", "tavg_c"],
        algorithms: [algorithm],
        epochs: 3,
        physicsLoss: "adaptive",
      }),
      system: SYSTEM_SETTINGS,
    };
    const loaded = await loadTaskCells(0, cfg); // the built-in dataset is readable by anyone
    const data = buildTaskData(loaded, cfg, windowFor(algorithm, cfg));
    const result = (await trainAlgorithm(algorithm, cfg, data, { threads: THREADS }))!;
    const onnx = writeBatteryOnnx({
      model: result.model,
      weights: result.weights,
      normalization: data.normalization,
      inputNames: data.inputNames,
      targetNames: data.targets,
    });
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: THREADS, interOpNumThreads: 1 });
    const w = data.window;
    const d = data.inputDim;
    const per = w * d;
    // Raw inputs: the training samples, repeated up to the largest batch.
    const maxB = Math.max(...BATCHES);
    const pool = new Float32Array(maxB * per);
    for (let i = 0; i < maxB; i++)
      pool.set(data.train.x.subarray((i % data.train.n) * per, ((i % data.train.n) + 1) * per), i * per);
    for (const batch of BATCHES) {
      const x = pool.subarray(0, batch * per);
      const shape = w > 1 ? [batch, w, d] : [batch, d];
      const tensor = new ort.Tensor("float32", x, shape);
      const onnxOut = (await session.run({ input: tensor })).output.data as Float32Array;
      const addonOut = predict(
        result.model,
        result.weights,
        { data: x, shape },
        { normalization: data.normalization, threads: THREADS },
      ).data;
      let maxDiff = 0;
      for (let i = 0; i < onnxOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(onnxOut[i] - addonOut[i]));
      const ortRate = await rate(batch, () => session.run({ input: tensor }));
      const addonRate = await rate(batch, () =>
        predict(
          result.model,
          result.weights,
          { data: x, shape },
          { normalization: data.normalization, threads: THREADS },
        ),
      );
      const row = {
        algorithm,
        batch,
        window: w,
        inputDim: d,
        onnxruntimePerSecond: Math.round(ortRate.perSecond),
        addonPerSecond: Math.round(addonRate.perSecond),
        ratio: ortRate.perSecond / addonRate.perSecond,
        onnxruntimeMsPerCall: ortRate.msPerCall,
        addonMsPerCall: addonRate.msPerCall,
        maxAbsDiff: maxDiff,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    await session.release();
  }
  const info = nativeInfo();
  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    onnxruntimeNode: (
      await import("onnxruntime-node/package.json", { with: { type: "json" } }).catch(() => ({
        default: { version: "?" },
      }))
    ).default.version,
    native: info,
    threads: THREADS,
    note: loadNote(),
  };
  const out = { date: started.toISOString(), machine, minMsPerMeasurement: MIN_MS, rows };
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync("bench/results/inference.json", JSON.stringify(out, null, 2) + "\n");
  const md = [
    "# Inference throughput: onnxruntime-node vs the addon's forward pass",
    "",
    `Date: ${out.date}. Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, onnxruntime-node ${machine.onnxruntimeNode}; ${THREADS} thread(s) each. ${machine.note}.`,
    "",
    "Same model (trained 3 epochs on Case A, PCL; default sizes), same raw inputs, normalisation inside both. Samples per second (higher is better), each figure from repeated calls for at least " +
      `${MIN_MS} ms after a warm-up. Run: \`eval "$(bash scripts/dev-db.sh)" && nice -n 19 npx tsx bench/inference/run.ts\`.`,
    "",
    "| model | batch | onnxruntime-node (samples/s) | addon predict (samples/s) | ort / addon | ms per call (ort / addon) | max abs diff |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.algorithm}${r.window > 1 ? ` (window ${r.window})` : ""} | ${r.batch} | ${r.onnxruntimePerSecond.toLocaleString("en")} | ${r.addonPerSecond.toLocaleString("en")} | ${r.ratio.toFixed(2)} | ${r.onnxruntimeMsPerCall.toFixed(3)} / ${r.addonMsPerCall.toFixed(3)} | ${r.maxAbsDiff.toExponential(1)} |`,
    ),
    "",
  ].join("\n");
  fs.writeFileSync("bench/results/inference.md", md);
  console.log(md);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
