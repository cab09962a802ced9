/**
 * Time per epoch of each battery model in the addon, side by side with the same
 * architecture in PyTorch-in-Python (Debian python3-torch) when it is installed.
 *
 * Set-up: Wen's Case A (PCL; cells 91 and 100, 80/20 random train/validation
 * split of their cycles), features kong_slope, kong_intercept, tavg_c + cycle,
 * batch 1024 for the per-cycle models (BiLSTM: window 10, batch 256), 1 thread.
 * An epoch = one pass over the training samples + one validation pass.
 *
 * Run: npx tsx bench/train-speed/run.ts   (writes bench/results/train-speed.{json,md})
 * Env: TRAIN_SPEED_EPOCHS (measured epochs, default 100), VOLTLAB_PYTHON (default /usr/bin/python3).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { nativeInfo, train, type FloatTensor, type ModelSpec } from "../../native/index.js";
import { caseA } from "../../native/testing/battery-data.js";

const EPOCHS = Number(process.env.TRAIN_SPEED_EPOCHS ?? 100);
const WARMUP = 10;
const PYTHON = process.env.VOLTLAB_PYTHON ?? "/usr/bin/python3";
const here = fileURLToPath(new URL(".", import.meta.url));
const resultsDir = join(here, "../results");

interface BenchModel {
  label: string;
  model: Omit<ModelSpec, "inputDim">;
  batchSize: number;
  epochs: number;
}

const MODELS: BenchModel[] = [
  { label: "baseline", model: { kind: "baseline", hiddenLayers: 2, hiddenWidth: 128 }, batchSize: 1024, epochs: EPOCHS },
  {
    label: "deephpm-sum",
    model: { kind: "deephpm", hiddenLayers: 2, hiddenWidth: 128, physicsInputs: ["s", "t", "u"], physicsLoss: "sum" },
    batchSize: 1024,
    epochs: EPOCHS,
  },
  {
    label: "deephpm-adaptive",
    model: { kind: "deephpm", hiddenLayers: 2, hiddenWidth: 128, physicsInputs: ["s", "t", "u"], physicsLoss: "adaptive" },
    batchSize: 1024,
    epochs: EPOCHS,
  },
  {
    label: "bilstm",
    model: { kind: "bilstm", window: 10, lstmLayers: 2, lstmHidden: 64 },
    batchSize: 256,
    epochs: Math.max(10, Math.round(EPOCHS / 4)),
  },
];

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeAddon(m: BenchModel, data: ReturnType<typeof caseA>, threads: number) {
  const elapsed: number[] = [];
  const cpu: number[] = [];
  const wall: number[] = [];
  let last = performance.now();
  const result = await train(
    {
      model: { ...m.model, inputDim: data.inputDim, outputs: 1 },
      xTrain: data.train.x,
      yTrain: data.train.y,
      xVal: data.val.x,
      yVal: data.val.y,
      epochs: WARMUP + m.epochs,
      batchSize: m.batchSize,
      learningRate: 1e-3,
      seed: 1,
      threads,
    },
    (p) => {
      const now = performance.now();
      if (p.epoch > WARMUP) {
        elapsed.push(p.elapsedMs);
        cpu.push(p.cpuMs);
        wall.push(now - last);
      }
      last = now;
    },
  ).promise;
  return {
    msPerEpoch: median(elapsed),
    cpuMsPerEpoch: median(cpu),
    wallMsPerEpoch: median(wall),
    finalValLoss: result.history.at(-1)!.valLoss,
  };
}

function writeArray(dir: string, name: string, t: FloatTensor) {
  writeFileSync(join(dir, `${name}.f32`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ shape: t.shape }));
}

function runPython(perCycle: ReturnType<typeof caseA>, seq: ReturnType<typeof caseA>) {
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy; print(torch.__version__)"], { encoding: "utf8" });
  if (probe.status !== 0) return { available: false as const, reason: `${PYTHON} cannot import torch (apt-get install python3-torch)` };
  const dir = mkdtempSync(join(tmpdir(), "voltlab-train-speed-"));
  try {
    for (const [prefix, d] of [["", perCycle], ["seq_", seq]] as const) {
      writeArray(dir, `${prefix}x_train`, d.train.x);
      writeArray(dir, `${prefix}y_train`, d.train.y);
      writeArray(dir, `${prefix}x_val`, d.val.x);
      writeArray(dir, `${prefix}y_val`, d.val.y);
    }
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ models: MODELS.map((m) => ({ label: m.label, batchSize: m.batchSize, epochs: m.epochs, ...m.model })) }),
    );
    const out = spawnSync(PYTHON, [join(here, "pytorch_mirror.py"), dir, String(WARMUP), "1"], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
    });
    if (out.status !== 0) throw new Error(`pytorch_mirror.py failed: ${out.stderr}`);
    const parsed = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as {
      torch: string;
      threads: number;
      results: Record<string, { msPerEpoch: number; cpuMsPerEpoch: number; finalValLoss: number }>;
    };
    return { available: true as const, ...parsed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const perCycle = caseA({ target: "pcl", splitSeed: 1 });
  const seq = caseA({ target: "pcl", window: 10, splitSeed: 1 });
  const info = nativeInfo();
  const loadBefore = loadavg();
  const rows = [];
  for (const m of MODELS) {
    const data = m.model.kind === "bilstm" ? seq : perCycle;
    const one = await timeAddon(m, data, 1);
    const two = await timeAddon(m, data, 2);
    rows.push({
      model: m.label,
      batchSize: m.batchSize,
      trainSamples: data.train.x.shape[0],
      valSamples: data.val.x.shape[0],
      batchesPerEpoch: Math.ceil(data.train.x.shape[0] / m.batchSize),
      measuredEpochs: m.epochs,
      addon1Thread: one,
      addon2Threads: two,
    });
    console.log(`${m.label}: addon ${one.msPerEpoch.toFixed(2)} ms/epoch wall, ${one.cpuMsPerEpoch.toFixed(2)} CPU (1 thread); ${two.msPerEpoch.toFixed(2)} wall (2 threads)`);
  }
  const python = runPython(perCycle, seq);
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  const report = {
    date: new Date().toISOString(),
    machine: { cpu, cores: cpus().length, memoryGiB: Math.round(Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)![1]) / 2 ** 20) },
    loadAverage: { before: loadBefore, after: loadavg() },
    libtorch: info.torchVersion,
    blas: info.blas,
    setup:
      "Case A PCL: cells 91+100, 80/20 random split (seed 1); inputs kong_slope, kong_intercept, tavg_c, cycle; " +
      "MLPs 2x128 batch 1024; BiLSTM 2x64 window 10 batch 256; Adam lr 1e-3; median over measured epochs after 10 warm-up epochs",
    python: python.available ? { torch: python.torch, threads: python.threads } : { unavailable: python.reason },
    rows: rows.map((r) => {
      const py = python.available ? python.results[r.model] : undefined;
      return {
        ...r,
        pytorchPython1Thread: py ?? null,
        speedupWall: py ? py.msPerEpoch / r.addon1Thread.msPerEpoch : null,
        speedupCpu: py ? py.cpuMsPerEpoch / r.addon1Thread.cpuMsPerEpoch : null,
      };
    }),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "train-speed.json"), JSON.stringify(report, null, 2) + "\n");
  const md = [
    "# Train speed: addon vs PyTorch-in-Python",
    "",
    `Generated by \`npx tsx bench/train-speed/run.ts\` on ${report.date.slice(0, 10)}.`,
    "",
    `- Machine: ${cpu}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB`,
    `- LibTorch (addon): ${info.torchVersion}; BLAS: ${info.blas.split(" (")[0]}`,
    `- PyTorch-in-Python: ${python.available ? `${python.torch} (Debian python3-torch, same LibTorch build), 1 thread` : python.reason}`,
    `- Set-up: ${report.setup}`,
    `- Load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(1)).join("/")}, after: ${report.loadAverage.after.map((x) => x.toFixed(1)).join("/")}`,
    "- ms/epoch = median of one training pass + one validation pass, after 10 warm-up epochs. \"wall\" is elapsed time,",
    "  \"CPU\" the training thread's CPU time (with 1 torch thread and OPENBLAS_NUM_THREADS=1 all work runs on that thread,",
    "  so CPU time is the figure that other load on a shared machine disturbs least). \"Node wall\" is the interval between two",
    "  progress callbacks in Node (includes copying the validation predictions to JS).",
    "",
    "| model | batch | batches/epoch | addon wall | addon CPU | addon Node wall | addon 2 threads wall | PyTorch-Python wall | PyTorch-Python CPU | speed-up wall | speed-up CPU |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.rows.map((r) => {
      const py = r.pytorchPython1Thread;
      const x = (v: number | null) => (v ? `${v.toFixed(1)}×` : "–");
      return (
        `| ${r.model} | ${r.batchSize} | ${r.batchesPerEpoch} | ${r.addon1Thread.msPerEpoch.toFixed(2)} | ${r.addon1Thread.cpuMsPerEpoch.toFixed(2)} | ` +
        `${r.addon1Thread.wallMsPerEpoch.toFixed(2)} | ${r.addon2Threads.msPerEpoch.toFixed(2)} | ${py ? py.msPerEpoch.toFixed(2) : "–"} | ` +
        `${py ? py.cpuMsPerEpoch.toFixed(2) : "–"} | ${x(r.speedupWall)} | ${x(r.speedupCpu)} |`
      );
    }),
    "",
    "Anchors from the issue (Wen et al.'s own Python code, 1 thread, 2 batches of 1024): Baseline ~30 ms/epoch, DeepHPM ~65 ms/epoch.",
    "",
  ].join("\n");
  writeFileSync(join(resultsDir, "train-speed.md"), md);
  console.log(md);
}

await main();
