/**
 * History-aware prognosis on unseen cells (issue #22): the training form's defaults (TASK_DEFAULTS)
 * through the product's code path (loadTaskCells → buildTaskData → trainAlgorithm, as
 * bench/accuracy does), scored on the test cells beside trivial baselines computed in the same run
 * on the very same samples:
 * - RUL: mean cycle life of the training cells − t;
 * - PCL at t + h: mean PCL of the training cells at cycle t + h (mean-at-cycle), and for h > 0
 *   persistence of the last observed PCL (PCL(t)).
 * Severson split: train on primary_train (a random 20 % of its anchors validates), test on
 * primary_test and secondary_test, reported separately. Case C (RUL with the fuller features),
 * Case A (RUL) and Case B (SoH) rows use the same history settings.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/generalise/prognosis.ts
 *
 * Environment: SEEDS (default 3), ONLY (comma list of setup keys), OUT (default
 * bench/results/generalise-prognosis); REWRITE=1 rewrites the .md from the .json without training.
 */
import fs from "node:fs";
import os from "node:os";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { nativeInfo } from "../../native/index.js";
import { rmse, rmspeSoh } from "../../server/ml/metrics.js";
import { listCells } from "../../server/services/battery/datasets.js";
import {
  CASE_C_SETTINGS,
  createTaskInput,
  historyLeak,
  SYSTEM_SETTINGS,
  TASK_DEFAULTS,
  type TaskConfig,
  type TaskInput,
} from "../../server/schemas/training.js";
import { buildTaskData, loadTaskCells, type TaskData, type TaskCell } from "../../server/services/training/data.js";
import { predictRaw, trainAlgorithm, windowFor } from "../../server/services/training/trainer.js";
import { loadNote } from "../machine-note.js";

const SEEDS = Number(process.env.SEEDS ?? 3);
const ONLY = process.env.ONLY?.split(",") ?? null;
const OUT = process.env.OUT ?? "bench/results/generalise-prognosis";

/** Summary v2 fields every Case C cell has over its whole life but cell 84 (first 100 cycles). */
const FULLER = [
  "kong_slope",
  "kong_intercept",
  "tavg_c",
  "ir_ohm",
  "qcharge_ah",
  "charge_time_min",
  "tavg_raw_c",
  "tmax_c",
];

interface Setup {
  key: string;
  label: string;
  target: "rul" | "pcl";
  horizon: number;
  extra?: Partial<TaskInput>;
  /** Goal: RUL RMSE at most this per test group; PCL: RMSPE at least this fraction below the best trivial baseline. */
  goal: Record<string, number>;
}

const SETUPS: Setup[] = [
  { key: "rul", label: "Severson, RUL", target: "rul", horizon: 0, goal: { secondary_test: 150, primary_test: 70 } },
  {
    key: "soh-0",
    label: "Severson, SoH at h = 0",
    target: "pcl",
    horizon: 0,
    goal: { secondary_test: 0.3, primary_test: 0.3 },
  },
  {
    key: "soh-50",
    label: "Severson, SoH at h = 50",
    target: "pcl",
    horizon: 50,
    goal: { secondary_test: 0.3, primary_test: 0.3 },
  },
  {
    key: "soh-100",
    label: "Severson, SoH at h = 100",
    target: "pcl",
    horizon: 100,
    goal: { secondary_test: 0.3, primary_test: 0.3 },
  },
  {
    key: "C-rul",
    label: "Case C, RUL (fuller features)",
    target: "rul",
    horizon: 0,
    extra: { split: "case_c", features: FULLER, coveredCyclesOnly: true, ...CASE_C_SETTINGS },
    goal: { case_c: 20 },
  },
  { key: "A-rul", label: "Case A, RUL", target: "rul", horizon: 0, extra: { split: "case_a" }, goal: {} },
  { key: "B-pcl", label: "Case B, SoH at h = 0", target: "pcl", horizon: 0, extra: { split: "case_b" }, goal: {} },
];

function config(datasetId: number, s: Setup, seed: number): TaskConfig {
  const base: TaskInput = {
    ...TASK_DEFAULTS,
    name: `bench ${s.key}`,
    datasetId,
    target: s.target,
    horizon: s.horizon,
    seed,
    repeats: 1,
    ...s.extra,
  };
  // The form turns observed PCL off where the one leak rule refuses it (horizon-0 PCL).
  if (historyLeak({ historyPcl: base.historyPcl, target: s.target, horizon: s.horizon })) base.historyPcl = false;
  return { ...createTaskInput.parse(base), system: SYSTEM_SETTINGS };
}

/** Trivial predictions for the test samples, from the training cells only. */
function trivial(s: Setup, data: TaskData, cells: TaskCell[], trainKeys: Set<string>) {
  const train = cells.filter((c) => trainKeys.has(c.cellKey));
  const test = data.test;
  const rowOf = cells.map((c) => new Map(Array.from(c.cycle, (t, i) => [t, i])));
  const persistence = Float64Array.from(
    { length: test.n },
    (_, i) => cells[test.cell[i]].pcl[rowOf[test.cell[i]].get(test.cycle[i])!],
  );
  if (s.target === "rul") {
    const lives = train.map((c) => c.cycle[0] + c.rul[0]);
    const life = mean(lives);
    return { meanAtCycle: Float64Array.from(test.cycle, (t) => life - t), persistence: null };
  }
  // Mean training PCL at each cycle; beyond the longest-lived training cell, the last mean.
  const sums = new Map<number, [number, number]>();
  for (const c of train)
    c.cycle.forEach((t, i) => {
      if (!Number.isFinite(c.pcl[i])) return;
      const e = sums.get(t) ?? [0, 0];
      sums.set(t, [e[0] + c.pcl[i], e[1] + 1]);
    });
  const cyclesSorted = [...sums.keys()].sort((a, b) => a - b);
  const at = (t: number) => {
    const e = sums.get(t);
    if (e) return e[0] / e[1];
    const below = cyclesSorted.filter((c) => c <= t).at(-1) ?? cyclesSorted[0];
    const b = sums.get(below)!;
    return b[0] / b[1];
  };
  return {
    meanAtCycle: Float64Array.from(test.cycle, (t) => at(t + s.horizon)),
    persistence: s.horizon > 0 ? persistence : null,
  };
}

const score = (s: Setup, pred: ArrayLike<number>, truth: ArrayLike<number>) =>
  s.target === "rul" ? rmse(pred, truth) : rmspeSoh(pred, truth);
const pick = (a: ArrayLike<number>, rows: number[]) => Float64Array.from(rows, (r) => a[r]);

async function main() {
  if (process.env.REWRITE) {
    // Rewrites the .md from the committed .json (no training): for report wording only.
    const j = JSON.parse(fs.readFileSync(`${OUT}.json`, "utf8"));
    write(j.rows, new Date(j.date), true, { machine: j.machine, finished: j.finished });
    return;
  }
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  if (!ds) throw new Error("built-in dataset missing: run the seeds");
  const { cells: cellInfo } = await listCells({ datasetId: ds.id, userId: 0 });
  const groupOf = new Map(cellInfo.map((c) => [c.cellKey, c.seversonSplit ?? "?"]));
  const started = new Date();
  const rows: any[] = [];
  for (const s of SETUPS) {
    if (ONLY && !ONLY.includes(s.key)) continue;
    const perSeed: { seed: number; bestEpoch: number; scores: Record<string, number>; wallS: number }[] = [];
    let base: Record<string, { n: number; meanAtCycle: number; persistence: number | null }> = {};
    let counts = { train: 0, val: 0, test: 0 };
    let cfg0: TaskConfig | null = null;
    let inputs: string[] = [];
    for (let r = 0; r < SEEDS; r++) {
      const cfg = config(ds.id, s, 1 + r);
      cfg0 ??= cfg;
      const loaded = await loadTaskCells(0, cfg);
      const data = buildTaskData(loaded, cfg, windowFor("baseline", cfg));
      inputs = data.inputNames;
      counts = data.lineage.counts;
      const t0 = Date.now();
      const res = await trainAlgorithm("baseline", cfg, data, { threads: 1 });
      if (!res) throw new Error("cancelled");
      const pred = predictRaw(res.model, res.weights, data.test, data.normalization, 1);
      const groups = new Map<string, number[]>();
      for (let i = 0; i < data.test.n; i++) {
        const key =
          s.extra?.split && s.extra.split !== "severson" ? s.extra.split : groupOf.get(data.cells[data.test.cell[i]])!;
        groups.set(key, [...(groups.get(key) ?? []), i]);
      }
      const scores: Record<string, number> = {};
      for (const [g, idx] of groups) scores[g] = score(s, pick(pred, idx), pick(data.test.y, idx));
      perSeed.push({ seed: cfg.seed, bestEpoch: res.seeds[0].bestEpoch, scores, wallS: (Date.now() - t0) / 1000 });
      if (r === 0) {
        // The trivial baselines depend on the split and samples only (the same for every seed).
        const tv = trivial(s, data, loaded.cells, new Set(loaded.spec.trainCells));
        base = {};
        for (const [g, idx] of groups) {
          const y = pick(data.test.y, idx);
          base[g] = {
            n: idx.length,
            meanAtCycle: score(s, pick(tv.meanAtCycle, idx), y),
            persistence: tv.persistence ? score(s, pick(tv.persistence, idx), y) : null,
          };
        }
      }
      console.log(
        `${s.key} seed ${cfg.seed}: ${JSON.stringify(scores)} (epoch ${res.seeds[0].bestEpoch}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
    for (const g of Object.keys(base).sort().reverse()) {
      const vs = perSeed.map((p) => p.scores[g]);
      const m = mean(vs);
      const b = base[g];
      const bestTrivial = Math.min(b.meanAtCycle, b.persistence ?? Infinity);
      const goal = s.goal[g];
      const met = goal === undefined ? null : s.target === "rul" ? m <= goal : m <= (1 - goal) * bestTrivial;
      rows.push({
        setup: s.key,
        label: s.label,
        group: g,
        target: s.target,
        horizon: s.horizon,
        metric: s.target === "rul" ? "RMSE (cycles)" : "SoH RMSPE",
        samples: { ...counts, testGroup: b.n },
        inputs,
        settings: {
          split: cfg0!.split,
          features: cfg0!.features,
          historyWindow: cfg0!.historyWindow,
          historyPcl: cfg0!.historyPcl,
          historyTrends: cfg0!.historyTrends,
          earlyLife: cfg0!.earlyLife,
          epochs: cfg0!.epochs,
          inputNoise: cfg0!.inputNoise,
          valMode: cfg0!.valMode,
          valFraction: cfg0!.valFraction,
          hidden: `${cfg0!.hiddenLayers} × ${cfg0!.hiddenWidth}`,
        },
        seeds: perSeed.map((p) => p.seed),
        bestEpochs: perSeed.map((p) => p.bestEpoch),
        wallSeconds: perSeed.map((p) => p.wallS),
        model: { mean: m, std: vs.length > 1 ? sampleStandardDeviation(vs) : 0, perSeed: vs },
        trivialMeanAtCycle: b.meanAtCycle,
        trivialPersistence: b.persistence,
        reduction: 1 - m / bestTrivial,
        goal: goal ?? null,
        met,
      });
    }
    write(rows, started, false);
  }
  write(rows, started, true);
  await closeDb();
}

const GROUP: Record<string, string> = {
  secondary_test: "secondary test (40 cells, batch 3)",
  primary_test: "primary test (43 cells)",
  case_c: "Case C test anchors (20 %)",
  case_a: "Case A test cell 124",
  case_b: "Case B test cell 116",
};

function fmt(r: any, v: number) {
  return r.target === "rul" ? v.toFixed(1) : `${(100 * v).toFixed(2)} %`;
}

function write(rows: any[], started: Date, done: boolean, measured?: { machine: any; finished: string }) {
  let torch = "?";
  try {
    torch = nativeInfo().torchVersion;
  } catch {}
  const machine = measured?.machine ?? {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    torch,
    load: loadNote(),
  };
  torch = machine.torch;
  fs.mkdirSync("bench/results", { recursive: true });
  if (!measured)
    fs.writeFileSync(
      `${OUT}.json`,
      JSON.stringify(
        { date: started.toISOString(), finished: done ? new Date().toISOString() : null, machine, seeds: SEEDS, rows },
        null,
        2,
      ) + "\n",
    );
  const d = TASK_DEFAULTS;
  const lines = [
    "# History-aware prognosis on unseen cells (issue #22)",
    "",
    `Date: ${started.toISOString()}${done ? "" : " (incomplete: still running)"}. Machine: ${machine.cpu}, ${machine.memGiB} GiB, Node ${machine.node}, LibTorch ${torch}, 1 torch thread. Load: ${machine.load}.`,
    "",
    `Settings: the training form's defaults (TASK_DEFAULTS) through the product's training path: Baseline MLP ${d.hiddenLayers} × ${d.hiddenWidth}, ${d.epochs} epochs, lr ${d.learningRate}, input noise σ ${d.inputNoise}, batch ${SYSTEM_SETTINGS.batchSize.baseline}; inputs: features ${(d.features ?? []).join(", ")} at t, observed PCL at t and its trend over the last ${d.historyWindow} cycles (RUL and h > 0 only; the one leak rule turns it off for h = 0), per-cell ΔQ₁₀₀₋₁₀ log₁₀ variance and log₁₀ |min| (known from cycle 100, so anchors start at t = 100), and the cycle number. Best-validation epoch kept. ${SEEDS} seeds (1..${SEEDS}); model scores are mean ± sample std over seeds.`,
    "",
    `How the settings were chosen: on primary_train cells only (bench/generalise/prognosis-explore.ts: fit on three in four primary_train cells, validate on every fourth; 2 seeds per candidate); the test cells (primary_test, secondary_test) were never scored while choosing. Candidates: history window 0/20/50/100, observed PCL on/off, feature trends on/off, ΔQ inputs none/variance/variance+min, σ 0/0.05/0.1/0.2/0.4/0.5, epochs 20/60/100/150/200, 2 × 128 / 3 × 128 / 2 × 64. Feature trends and σ > 0 scored worse on validation cells; 100 epochs matched 200. Case C rows use the form's Case C preset (CASE_C_SETTINGS: σ ${CASE_C_SETTINGS.inputNoise}, ${CASE_C_SETTINGS.epochs} epochs), chosen on Case C's own validation anchors (RMSE 26.8 cycles at 300 epochs, 14.9 at 1,000, seed 1), not its test anchors.`,
    "",
    "Data: development = primary_train (41 cells; 80 % of their anchors fit, a random 20 % validates for the kept epoch); test = primary_test (43 cells) and secondary_test (40 cells, batch 3), scored separately. Trivial baselines are fitted on the training cells and scored on exactly the model's test samples: RUL = mean training cycle life − t; PCL(t + h) = mean training PCL at cycle t + h (mean-at-cycle) and, for h > 0, PCL(t) (persistence). Case C: the 43 primary-test cells, 60/20/20 random anchors (test anchors come from the training cells), with the fuller summary-v2 features. Cases A (train 91, 100 → test 124) and B (train 101, 108, 120 → test 116): these cells (84–124) have no summary-v2 features after cycle 100, so their rows use the 3 smoothed features with the same history and ΔQ inputs (anchors from cycle 100).",
    "",
    "| setup | test cells | test samples | model | trivial: mean-at-cycle | trivial: persistence | below best trivial | goal | met |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | --- | --- |",
    ...rows.map((r) => {
      const goal =
        r.goal === null
          ? "–"
          : r.target === "rul"
            ? `RMSE ≤ ${r.goal}`
            : `≥ ${(100 * r.goal).toFixed(0)} % below best trivial`;
      return `| ${r.label} | ${GROUP[r.group] ?? r.group} | ${r.samples.testGroup} | ${fmt(r, r.model.mean)} ± ${fmt(r, r.model.std)} | ${fmt(r, r.trivialMeanAtCycle)} | ${r.trivialPersistence === null ? "–" : fmt(r, r.trivialPersistence)} | ${(100 * r.reduction).toFixed(0)} % | ${goal} | ${r.met === null ? "–" : r.met ? "yes" : "**no**"} |`;
    }),
    "",
    "## Notes",
    "",
    ...rows
      .filter((r) => r.reduction < 0)
      .map(
        (r) =>
          `- ${r.label} (${GROUP[r.group] ?? r.group}): the model is WORSE than the trivial baseline (${fmt(r, r.model.mean)} vs ${fmt(r, r.trivialMeanAtCycle)}); with ${r.samples.train + r.samples.val} anchors of its training cells it cannot learn what transfers to the test cell.`,
      ),
    ...rows
      .filter((r) => r.goal !== null && r.met === false)
      .map(
        (r) =>
          `- Goal not met: ${r.label}, ${GROUP[r.group] ?? r.group}: ${fmt(r, r.model.mean)} against ${r.target === "rul" ? `≤ ${r.goal}` : `${(100 * r.goal).toFixed(0)} % below the best trivial baseline`}.`,
      ),
    `- Kept epochs (best validation on the random 20 % of training anchors): ${[...new Set(rows.map((r) => r.setup))].map((k) => `${k} ${rows.find((r) => r.setup === k).bestEpochs.join("/")}`).join("; ")}. Most are near the budget's end: validation on the training cells' own anchors keeps improving, while the epoch budget itself was chosen on held-out validation cells, where 100 epochs matched 200.`,
    "",
    "References (not recomputed here): a quick untuned gradient-boosted tree on cycle + the 3 features + the observed PCL history + ΔQ variance and minimum, anchors from cycle 100, reached RUL RMSE 82 (primary) / 210 (secondary); without ΔQ 145 / 271 (issue #22). Wen et al., Case C RUL, 8 features: 15.2.",
    "",
  ];
  fs.writeFileSync(`${OUT}.md`, lines.join("\n"));
}

main().catch(async (e) => {
  console.error(e);
  await closeDb().catch(() => {});
  process.exit(1);
});
