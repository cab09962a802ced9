/**
 * Benchmark: statistics + correlations (Pearson, Spearman, full matrix) over all 124 built-in
 * cells, timed around the service call that the battery.analysis procedure makes (server time,
 * no HTTP). Writes bench/results/analysis.json and .md.
 * Run: eval "$(bash scripts/dev-db.sh)" && npx tsx bench/analysis/run.ts [repetitions]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db, closeDb } from "../../db/db.js";
import { analyse } from "../../server/services/battery/analysis.js";
import { listCells } from "../../server/services/battery/datasets.js";
import { createTestUser } from "../../server/testing/users.js";
import { seedBattery } from "../../seeds/battery.js";
import { BUILTIN_DATASET_NAME } from "../../server/services/battery/columns.js";
import { loadNote } from "../machine-note.js";

const reps = Number(process.argv[2] ?? 30);
const k = db();
await seedBattery(k);
const user = await createTestUser("bench-analysis");
const ds = await k("batteryDatasets")
  .where({ source: "builtin", name: BUILTIN_DATASET_NAME })
  .whereNull("userId")
  .first();
const { cells } = await listCells({ datasetId: ds.id, userId: user.id });
const cellIds = cells.map((c) => c.id);

const times: number[] = [];
let last: Awaited<ReturnType<typeof analyse>> | undefined;
for (let i = 0; i < reps + 3; i++) {
  const t0 = performance.now();
  last = await analyse({ datasetId: ds.id, userId: user.id, cellIds });
  const dt = performance.now() - t0;
  if (i >= 3) times.push(dt); // the first calls warm up the JIT and the connection pool
}
await k("users").where({ id: user.id }).delete();
await closeDb();

const sorted = [...times].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const result = {
  benchmark: "battery analysis: statistics + correlations, all 124 built-in cells, all 9 features + RUL + PCL",
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAvg1m: os.loadavg()[0],
    node: process.version,
  },
  cells: last!.cellCount,
  rows: last!.rowCount,
  variables: last!.statistics.length,
  repetitions: times.length,
  ms: { median: q(0.5), p95: q(0.95), min: sorted[0], max: sorted[sorted.length - 1] },
  targetMs: 300,
  pass: q(0.5) < 300 && q(0.95) < 300,
};
const dir = path.resolve("bench/results");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "analysis.json"), JSON.stringify(result, null, 2) + "\n");
fs.writeFileSync(
  path.join(dir, "analysis.md"),
  `# Battery analysis benchmark

${result.benchmark}: ${result.rows.toLocaleString("en")} rows, ${result.variables} variables
(count, mean, variance, std, quartiles, min/max, 30-bin histogram each; Pearson and Spearman
with RUL and PCL and the full ${result.variables}×${result.variables} matrix, pairwise-complete).
Timed around \`analyse()\` (server/services/battery/analysis.ts), the service behind
\`battery.analysis\`, including the database read; ${result.repetitions} repetitions after 3 warm-up calls.

| median | p95 | min | max | target |
| --- | --- | --- | --- | --- |
| ${result.ms.median.toFixed(1)} ms | ${result.ms.p95.toFixed(1)} ms | ${result.ms.min.toFixed(1)} ms | ${result.ms.max.toFixed(1)} ms | < 300 ms (${result.pass ? "met" : "NOT met"}) |

Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGb} GB, Node ${result.machine.node},
${loadNote()}. Date: ${result.date}.
`,
);
console.log(JSON.stringify(result, null, 2));
