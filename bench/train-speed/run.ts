/**
 * Time per epoch of each battery model in the addon, side by side with the same
 * architecture in PyTorch-in-Python (Debian python3-torch) when it is installed.
 *
 * Set-up: Wen's Case A (PCL; cells 91 and 100, 80/20 random train/validation
 * split of their cycles), features kong_slope, kong_intercept, tavg_c + cycle,
 * batch 1024 for the per-cycle models (BiLSTM: window 10, batch 256), 1 thread.
 * An epoch = one pass over the training samples + one validation pass.
 *
 * The machine is a shared VM whose speed drifts by tens of per cent over minutes,
 * so the two sides are measured in ROUNDS: in each round every model runs in the
 * addon and then, straight after, in Python; the speed-up is taken per round
 * (addon and Python seconds apart) and the table gives the median over rounds
 * with the range.
 *
 * Run: npx tsx bench/train-speed/run.ts   (writes bench/results/train-speed.{json,md})
 * Env: TRAIN_SPEED_EPOCHS (measured epochs, default 100), TRAIN_SPEED_ROUNDS (default 3),
 *      TRAIN_SPEED_ONLY (comma-separated labels, e.g. deephpm-sum,deephpm-adaptive; default all),
 *      VOLTLAB_PYTHON (default /usr/bin/python3).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { nativeInfo, train, type FloatTensor, type ModelSpec } from "../../native/index.js";
import { caseA } from "../../native/testing/battery-data.js";

const EPOCHS = Number(process.env.TRAIN_SPEED_EPOCHS ?? 100);
const ROUNDS = Math.max(1, Number(process.env.TRAIN_SPEED_ROUNDS ?? 3));
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

const ALL_MODELS: BenchModel[] = [
  {
    label: "baseline",
    model: { kind: "baseline", hiddenLayers: 2, hiddenWidth: 128 },
    batchSize: 1024,
    epochs: EPOCHS,
  },
  {
    label: "deephpm-sum",
    model: { kind: "deephpm", hiddenLayers: 2, hiddenWidth: 128, physicsInputs: ["s", "t", "u"], physicsLoss: "sum" },
    batchSize: 1024,
    epochs: EPOCHS,
  },
  {
    label: "deephpm-adaptive",
    model: {
      kind: "deephpm",
      hiddenLayers: 2,
      hiddenWidth: 128,
      physicsInputs: ["s", "t", "u"],
      physicsLoss: "adaptive",
    },
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
const ONLY = (process.env.TRAIN_SPEED_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const MODELS = ONLY.length ? ALL_MODELS.filter((m) => ONLY.includes(m.label)) : ALL_MODELS;
if (MODELS.length === 0)
  throw new Error(`TRAIN_SPEED_ONLY matches none of ${ALL_MODELS.map((m) => m.label).join(", ")}`);

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

type PythonResult = { msPerEpoch: number; cpuMsPerEpoch: number; finalValLoss: number };

function probePython() {
  const probe = spawnSync(PYTHON, ["-c", "import torch, numpy; print(torch.__version__)"], { encoding: "utf8" });
  if (probe.status !== 0)
    return { available: false as const, reason: `${PYTHON} cannot import torch (apt-get install python3-torch)` };
  return { available: true as const };
}

/** Writes the data once; `run(model)` times one model in a fresh Python process. */
function pythonRunner(perCycle: ReturnType<typeof caseA>, seq: ReturnType<typeof caseA>) {
  const dir = mkdtempSync(join(tmpdir(), "voltlab-train-speed-"));
  for (const [prefix, d] of [
    ["", perCycle],
    ["seq_", seq],
  ] as const) {
    writeArray(dir, `${prefix}x_train`, d.train.x);
    writeArray(dir, `${prefix}y_train`, d.train.y);
    writeArray(dir, `${prefix}x_val`, d.val.x);
    writeArray(dir, `${prefix}y_val`, d.val.y);
  }
  const run = (m: BenchModel) => {
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ models: [{ label: m.label, batchSize: m.batchSize, epochs: m.epochs, ...m.model }] }),
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
      results: Record<string, PythonResult>;
    };
    return { torch: parsed.torch, threads: parsed.threads, result: parsed.results[m.label] };
  };
  return { run, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main() {
  const perCycle = caseA({ target: "pcl", splitSeed: 1 });
  const seq = caseA({ target: "pcl", window: 10, splitSeed: 1 });
  const info = nativeInfo();
  const loadBefore = loadavg();
  const probe = probePython();
  const py = probe.available ? pythonRunner(perCycle, seq) : null;
  let pythonVersion: { torch: string; threads: number } | null = null;
  type Round = { addon: Awaited<ReturnType<typeof timeAddon>>; python: PythonResult | null };
  const rounds = new Map<string, Round[]>(MODELS.map((m) => [m.label, []]));
  const twoThreads = new Map<string, Awaited<ReturnType<typeof timeAddon>>>();
  try {
    for (let round = 1; round <= ROUNDS; ++round) {
      for (const m of MODELS) {
        const data = m.model.kind === "bilstm" ? seq : perCycle;
        const addon = await timeAddon(m, data, 1);
        let python: PythonResult | null = null;
        if (py) {
          const out = py.run(m);
          pythonVersion = { torch: out.torch, threads: out.threads };
          python = out.result;
        }
        rounds.get(m.label)!.push({ addon, python });
        console.log(
          `round ${round} ${m.label}: addon ${addon.cpuMsPerEpoch.toFixed(2)} ms CPU/epoch` +
            (python
              ? `, Python ${python.cpuMsPerEpoch.toFixed(2)} (${(python.cpuMsPerEpoch / addon.cpuMsPerEpoch).toFixed(2)}x)`
              : ""),
        );
        if (round === 1) twoThreads.set(m.label, await timeAddon(m, data, 2));
      }
    }
  } finally {
    py?.dispose();
  }
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  const med = (rs: Round[], f: (r: Round) => number) => median(rs.map(f));
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu,
      cores: cpus().length,
      memoryGiB: Math.round(Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)![1]) / 2 ** 20),
    },
    loadAverage: { before: loadBefore, after: loadavg() },
    libtorch: info.torchVersion,
    blas: info.blas,
    rounds: ROUNDS,
    setup:
      "Case A PCL: cells 91+100, 80/20 random split (seed 1); inputs kong_slope, kong_intercept, tavg_c, cycle; " +
      "MLPs 2x128 batch 1024; BiLSTM 2x64 window 10 batch 256; Adam lr 1e-3; median over measured epochs after 10 warm-up epochs",
    python: pythonVersion ?? { unavailable: probe.available ? "not run" : probe.reason },
    rows: MODELS.map((m) => {
      const rs = rounds.get(m.label)!;
      const data = m.model.kind === "bilstm" ? seq : perCycle;
      const withPy = rs.filter((r) => r.python);
      const ratios = (f: (x: { msPerEpoch: number; cpuMsPerEpoch: number }) => number) =>
        withPy.map((r) => f(r.python!) / f(r.addon));
      const wallRatios = ratios((x) => x.msPerEpoch);
      const cpuRatios = ratios((x) => x.cpuMsPerEpoch);
      return {
        model: m.label,
        batchSize: m.batchSize,
        trainSamples: data.train.x.shape[0],
        valSamples: data.val.x.shape[0],
        batchesPerEpoch: Math.ceil(data.train.x.shape[0] / m.batchSize),
        measuredEpochs: m.epochs,
        addon1Thread: {
          msPerEpoch: med(rs, (r) => r.addon.msPerEpoch),
          cpuMsPerEpoch: med(rs, (r) => r.addon.cpuMsPerEpoch),
          wallMsPerEpoch: med(rs, (r) => r.addon.wallMsPerEpoch),
        },
        addon2Threads: twoThreads.get(m.label)!,
        pytorchPython1Thread: withPy.length
          ? {
              msPerEpoch: med(withPy, (r) => r.python!.msPerEpoch),
              cpuMsPerEpoch: med(withPy, (r) => r.python!.cpuMsPerEpoch),
            }
          : null,
        speedupWall: withPy.length ? median(wallRatios) : null,
        speedupCpu: withPy.length ? median(cpuRatios) : null,
        speedupCpuRange: withPy.length ? [Math.min(...cpuRatios), Math.max(...cpuRatios)] : null,
        perRound: rs,
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
    `- PyTorch-in-Python: ${pythonVersion ? `${pythonVersion.torch} (Debian python3-torch, same LibTorch build), 1 thread` : (report.python as { unavailable: string }).unavailable}`,
    `- Set-up: ${report.setup}`,
    `- Load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(1)).join("/")}, after: ${report.loadAverage.after.map((x) => x.toFixed(1)).join("/")}`,
    '- ms/epoch = median of one training pass + one validation pass, after 10 warm-up epochs. "wall" is elapsed time,',
    '  "CPU" the training thread\'s CPU time (with 1 torch thread and OPENBLAS_NUM_THREADS=1 all work runs on that thread,',
    '  so CPU time is the figure that other load on a shared machine disturbs least). "Node wall" is the interval between two',
    "  progress callbacks in Node (includes copying the validation predictions to JS).",
    `- ${ROUNDS} round(s): in each, every model runs in the addon and straight after in Python. Times are medians over rounds;`,
    "  the speed-up is the median of the per-round ratios (addon and Python measured seconds apart), with its range over rounds.",
    "",
    "| model | batch | batches/epoch | addon wall | addon CPU | addon Node wall | addon 2 threads wall | PyTorch-Python wall | PyTorch-Python CPU | speed-up wall | speed-up CPU | CPU speed-up range |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.rows.map((r) => {
      const py = r.pytorchPython1Thread;
      const x = (v: number | null) => (v ? `${v.toFixed(2)}×` : "–");
      return (
        `| ${r.model} | ${r.batchSize} | ${r.batchesPerEpoch} | ${r.addon1Thread.msPerEpoch.toFixed(2)} | ${r.addon1Thread.cpuMsPerEpoch.toFixed(2)} | ` +
        `${r.addon1Thread.wallMsPerEpoch.toFixed(2)} | ${r.addon2Threads.msPerEpoch.toFixed(2)} | ${py ? py.msPerEpoch.toFixed(2) : "–"} | ` +
        `${py ? py.cpuMsPerEpoch.toFixed(2) : "–"} | ${x(r.speedupWall)} | ${x(r.speedupCpu)} | ` +
        `${r.speedupCpuRange ? `${r.speedupCpuRange[0].toFixed(1)}–${r.speedupCpuRange[1].toFixed(1)}×` : "–"} |`
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
