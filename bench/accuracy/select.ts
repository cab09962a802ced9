/**
 * Model selection for Case B PCL without looking at its test cell: leave-one-cell-out
 * cross-validation over Case B's three training cells (101, 108, 120). Each fold trains a
 * candidate on two of them (their own 80/20 random cycle split decides the kept epoch, as in
 * Case B) and scores SoH RMSPE on the third; a candidate's score is the mean over folds of the
 * seed-mean. The best candidate per algorithm is the one to report on the test cell (116) with
 * bench/accuracy/run.ts; this script never loads cell 116.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 19 npx tsx bench/accuracy/select.ts
 *
 * Environment: CANDIDATES ("algorithm[:G inputs:loss[*physics weight]]@σ" separated by ";", e.g.
 * "baseline@0.2;deephpm:s,t,u,u_t:sum@0.1;deephpm:s,t,u:sum*0.3@0.2;baseline@0.2#500", where #n sets the
 * candidate's epoch budget), SEEDS (default 2), EPOCHS (default 2000),
 * SHARD=i/n (run every n-th fold job from i, to use both cores), OUT (path prefix, default
 * bench/results/accuracy-select). MERGE=a.json,b.json combines shard outputs into OUT.
 */
import path from "node:path";
import fs from "node:fs";
import { mean, sampleVariance } from "simple-statistics";
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { BatteryCell } from "../../db/models/battery-cell.js";
import type { TaskInput } from "../../server/schemas/training.js";
import { buildTaskData, loadTaskCells } from "../../server/services/training/data.js";
import { trainAlgorithm, windowFor } from "../../server/services/training/trainer.js";
import { loadNote } from "../machine-note.js";
import { parseCandidate, scoreCandidates, type FoldRow, type ScoredCandidate } from "./selection.js";
import { SETUPS, setupConfig } from "./setups.js";

/** The grid of bench/results/accuracy-select.md: Baseline over σ; DeepHPM over G inputs × loss × σ
 * (sum extended to σ 0.5 once σ 0.3 came out best), the slower u_s variants at σ 0.2, and the
 * sum loss's physics weight w ∈ {0.1, 0.3, 3} at σ 0.2 and 0.3 (w 1 is the plain sum), and epoch
 * budgets of 500 and 1000 for the best few of each algorithm. */
const DEFAULT_CANDIDATES = [
  ...[0, 0.1, 0.2, 0.3, 0.4, 0.5].map((σ) => `baseline@${σ}`),
  ...[0.1, 0.2, 0.3].flatMap((σ) =>
    ["s,t,u", "s,t,u,u_t"].flatMap((g) => ["sum", "adaptive"].map((l) => `deephpm:${g}:${l}@${σ}`)),
  ),
  ...[0.4, 0.5].flatMap((σ) => ["s,t,u", "s,t,u,u_t"].map((g) => `deephpm:${g}:sum@${σ}`)),
  ...["sum", "adaptive"].map((l) => `deephpm:s,t,u,u_s,u_t:${l}@0.2`),
  ...[0.2, 0.3].flatMap((σ) =>
    ["s,t,u", "s,t,u,u_t"].flatMap((g) => [0.1, 0.3, 3].map((w) => `deephpm:${g}:sum*${w}@${σ}`)),
  ),
  ...[
    "baseline@0.2",
    "baseline@0.3",
    "deephpm:s,t,u:sum*0.3@0.3",
    "deephpm:s,t,u,u_t:sum*3@0.3",
    "deephpm:s,t,u,u_t:sum@0.2",
  ].flatMap((c) => [500, 1000].map((n) => `${c}#${n}`)),
].join(";");
const CANDIDATES = (process.env.CANDIDATES ?? DEFAULT_CANDIDATES).split(";").filter(Boolean).map(parseCandidate);
const SEEDS = Number(process.env.SEEDS ?? 2);
const EPOCHS = Number(process.env.EPOCHS ?? 2000);
const [SHARD_I, SHARD_N] = (process.env.SHARD ?? "0/1").split("/").map(Number);
const OUT = process.env.OUT ?? "bench/results/accuracy-select";
const B = SETUPS.find((s) => s.key === "B-pcl")!;

async function main() {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  if (!ds) throw new Error("built-in dataset missing: run the seeds");
  const train = (await BatteryCell.query().where({ datasetId: ds.id, caseB: "train" }).orderBy("cellKey")).map(
    (c) => c.cellKey,
  );
  if (train.length !== 3) throw new Error(`expected Case B's 3 training cells, found ${train.join(", ")}`);
  const started = new Date();
  const rows: FoldRow[] = [];
  let job = 0;
  for (const c of CANDIDATES) {
    for (const heldOut of train) {
      if (job++ % SHARD_N !== SHARD_I) continue;
      const fit = train.filter((k) => k !== heldOut);
      const cfg = setupConfig(ds.id, B, {
        split: "custom",
        trainCells: fit,
        testCells: [heldOut],
        valMode: "fraction",
        valFraction: 0.2,
        algorithms: [c.algorithm],
        physicsLoss: c.physicsLoss ?? "sum",
        physicsInputs: (c.physicsInputs ?? ["s", "t", "u"]) as TaskInput["physicsInputs"],
        physicsWeight: c.physicsWeight ?? 1,
        learningRate: 1e-3,
        inputNoise: c.inputNoise,
        hiddenLayers: 2,
        hiddenWidth: 128,
        epochs: c.epochs ?? EPOCHS,
        repeats: SEEDS,
      });
      const data = buildTaskData(await loadTaskCells(0, cfg), cfg, windowFor(c.algorithm, cfg));
      const t0 = Date.now();
      const r = await trainAlgorithm(c.algorithm, cfg, data, { threads: 1 });
      if (!r) throw new Error("cancelled?");
      const perSeed = r.seeds.map((s) => s.test.pcl!.rmspe);
      const row: FoldRow = {
        candidate: c.key,
        algorithm: c.algorithm,
        heldOut,
        trainCells: fit,
        seeds: r.seeds.map((s) => s.seed),
        bestEpochs: r.seeds.map((s) => s.bestEpoch),
        perSeed,
        mean: mean(perSeed),
        msPerEpoch: (Date.now() - t0) / r.seeds.reduce((a, s) => a + s.epochsRun, 0),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
      write(rows, started, false);
    }
  }
  write(rows, started, true);
  await closeDb();
}

/** The runs a merge joins: their files and machine notes, each note labelled with its file. */
interface Sources {
  files: string[];
  machine: string;
}

function write(rows: FoldRow[], started: Date, done: boolean, sources?: Sources) {
  // A merge reports the machine notes of the runs it joins, not the load while merging.
  const machine = sources?.machine ?? loadNote();
  const out = {
    date: started.toISOString(),
    finished: done ? new Date().toISOString() : null,
    machine,
    seeds: SEEDS,
    epochs: EPOCHS,
    mergedFrom: sources?.files ?? null,
    rows,
  };
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(`${OUT}.json`, JSON.stringify(out, null, 2) + "\n");
  fs.writeFileSync(`${OUT}.md`, report(rows, started, done, machine).join("\n"));
}

/** Candidates scored over the folds they have; the best per algorithm among the complete ones. */
function report(rows: FoldRow[], started: Date, done: boolean, machine: string): string[] {
  const { folds, scored, best } = scoreCandidates(rows);
  const lines = [
    "# Case B model selection: leave-one-cell-out over its training cells",
    "",
    `Date: ${started.toISOString()}${done ? "" : " (incomplete: still running)"}. Machine: ${machine}. Wall ms per epoch are indicative only (several runs shared the 2 cores).`,
    "",
    `Each fold trains on two of Case B's training cells (80/20 random cycle split of them picks the kept epoch) and scores SoH RMSPE on the third; ${EPOCHS} epochs, seeds 1..${SEEDS}, lr 1e-3, 2 × 128, batch 1024, features kong_slope, kong_intercept, tavg_c (+ cycle number). The test cell (116) is never loaded. Candidate notation: algorithm, DeepHPM's G inputs and loss (sum*w: physics terms weighted by w), @ input noise σ, #n an epoch budget other than the default.`,
    "",
    `| candidate | ${folds.map((f) => `held out ${f}`).join(" | ")} | mean over folds | ms / epoch |`,
    `| --- | ${folds.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...scored.map(
      (s) =>
        `| ${s.key} | ${folds.map((f) => (s.byFold[f] ? s.byFold[f].mean.toFixed(5) : "–")).join(" | ")} | ${s.complete ? "" : "(partial) "}${s.score.toFixed(5)} | ${s.ms.toFixed(0)} |`,
    ),
    "",
    "## Selected (lowest mean over folds, per algorithm)",
    "",
  ];
  const b = best("baseline");
  const d = best("deephpm");
  if (b) lines.push(`- baseline: ${b.key} (${b.score.toFixed(5)})`);
  if (d) lines.push(`- deephpm: ${d.key} (${d.score.toFixed(5)})`);
  if (b && d) {
    lines.push(
      `- Selected DeepHPM vs selected Baseline on held-out training cells: ${d.score <= b.score ? "DeepHPM at or below Baseline" : "Baseline lower"} (${d.score.toFixed(5)} vs ${b.score.toFixed(5)}).`,
    );
    // Seed noise of a score (mean over folds of seed means), from the candidate's own seed
    // variance within each fold: var(score) = Σ_folds var_fold / seeds / folds².
    const scoreVariance = (c: ScoredCandidate) => {
      const rs = Object.values(c.byFold);
      if (rs.some((r) => r.perSeed.length < 2)) return NaN;
      return rs.reduce((a, r) => a + sampleVariance(r.perSeed) / r.perSeed.length, 0) / rs.length ** 2;
    };
    const se = Math.sqrt(scoreVariance(b) + scoreVariance(d));
    if (Number.isFinite(se)) {
      lines.push(
        `- Difference (DeepHPM − Baseline) ${(d.score - b.score).toFixed(5)} ± ${se.toFixed(5)} (one standard error from the seeds' scatter within each fold): ` +
          `${Math.abs(d.score - b.score) < se ? "within seed noise, the selection does not tell them apart" : d.score < b.score ? "DeepHPM lower beyond seed noise" : "Baseline lower beyond seed noise"}.`,
      );
    }
  }
  lines.push("");
  return lines;
}

if (process.env.MERGE) {
  const files = process.env.MERGE.split(",");
  const runs = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
  const all: FoldRow[] = runs.flatMap((r) => r.rows);
  // Candidates in CANDIDATES order, any others in the order they first appear; folds by cell.
  const seen = [...new Set(all.map((r) => r.candidate))];
  const rank = (k: string) => {
    const i = CANDIDATES.findIndex((c) => c.key === k);
    return i >= 0 ? i : CANDIDATES.length + seen.indexOf(k);
  };
  const rows = all.sort((a, b) => rank(a.candidate) - rank(b.candidate) || a.heldOut.localeCompare(b.heldOut));
  // A source that was itself a merge (the committed accuracy-select.json) contributes the runs it
  // lists, and its note already names them. Shards are named by file name, not the machine's path.
  const sources = runs.map((r, i) =>
    Array.isArray(r.mergedFrom)
      ? { files: r.mergedFrom as string[], machine: r.machine }
      : { files: [path.basename(files[i]!)], machine: `${path.basename(files[i]!)}: ${r.machine}` },
  );
  write(rows, new Date(Math.min(...runs.map((r) => Date.parse(r.date)))), true, {
    files: sources.flatMap((x) => x.files),
    machine: sources.map((x) => x.machine).join(" | "),
  });
} else {
  main().catch(async (e) => {
    console.error(e);
    await closeDb();
    process.exit(1);
  });
}
