/**
 * Creates a Battery Lab training task and follows it in the terminal until it ends: a typed
 * @trpc/client (AppRouter) with an API key, live progress from the jobs.events subscription over
 * WebSocket (connectionParams { token: key }), or by polling training.get with --poll.
 *
 *   VOLTLAB_API_KEY=… npx tsx scripts/train-and-follow.ts [--split case_a] [--target pcl]
 *       [--algorithms baseline] [--epochs 5] [--features kong_slope,kong_intercept,tavg_c]
 *       [--hidden-width 32] [--dataset <id>] [--name …] [--seed 42] [--poll]
 *       [--url http://localhost:3000] [--key …]
 *
 * Prints one line per run when it ends (status, model version) and exits 0 when the task
 * SUCCEEDED, 1 otherwise (FAILED, CANCELED, or an error such as a field error from the server).
 */
import { parseArgs } from "node:util";
import { apiClients, FINAL, runCli } from "./api-client.js";

function bar(done: number, total: number, width = 30): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${"#".repeat(n)}${"-".repeat(width - n)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

type Client = ReturnType<typeof apiClients>["client"];
type Task = Awaited<ReturnType<Client["training"]["get"]["query"]>>;

/** Renders per-algorithm progress: one redrawn line on a terminal, a line per 10 % otherwise. */
function progressPrinter(unit = "epochs") {
  const tty = Boolean(process.stdout.isTTY);
  const state = new Map<string, { done: number; total: number }>();
  const printedTenths = new Map<string, number>();
  return (algorithm: string, done: number, total: number) => {
    state.set(algorithm, { done, total });
    const line = [...state].map(([a, p]) => `${a} ${bar(p.done, p.total, 20)} ${p.done}/${p.total}`).join("  ");
    if (tty) process.stdout.write(`\r${line}`);
    else {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 0;
      if ((printedTenths.get(algorithm) ?? -1) < tenth) {
        printedTenths.set(algorithm, tenth);
        console.log(`progress ${algorithm} ${bar(done, total)} (${done}/${total} ${unit})`);
      }
    }
  };
}

/** Follows the task's jobs over the WebSocket subscription; resolves with the finished task. */
async function followLive(client: Client, task: Task): Promise<Task> {
  const show = progressPrinter();
  return new Promise<Task>((resolve, reject) => {
    let finished = false;
    const check = async () => {
      if (finished) return;
      const t = await client.training.get.query({ id: task.id });
      if (FINAL.has(t.status)) {
        finished = true;
        clearInterval(timer);
        sub.unsubscribe();
        resolve(t);
      }
    };
    // A safety net: a status event missed while reconnecting still ends the follow.
    const timer = setInterval(() => void check().catch(reject), 5000);
    const sub = client.jobs.events.subscribe(
      { groupId: task.groupId },
      {
        onData: (e) => {
          const ev = e.data;
          if (ev.type === "progress" && ev.payload?.total)
            show(String(ev.payload.algorithm ?? `job ${ev.jobId}`), Number(ev.payload.done), Number(ev.payload.total));
          if (ev.type === "status" && ev.status && FINAL.has(ev.status)) void check().catch(reject);
        },
        onError: (err) => {
          clearInterval(timer);
          reject(err);
        },
      },
    );
  });
}

/** Polls training.get once a second (no WebSocket): the bar counts finished runs, status changes are printed. */
async function followPolling(client: Client, task: Task): Promise<Task> {
  const show = progressPrinter("finished");
  const seen = new Map<number, string>();
  for (;;) {
    const t = await client.training.get.query({ id: task.id });
    for (const r of t.runs) {
      if (seen.get(r.id) !== r.status) console.log(`run ${r.algorithm}: ${r.status}`);
      seen.set(r.id, r.status);
    }
    show("runs", t.runs.filter((r) => FINAL.has(r.status)).length, t.runs.length);
    if (FINAL.has(t.status)) return t;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: "string" },
      dataset: { type: "string" },
      split: { type: "string", default: "case_a" },
      target: { type: "string", default: "pcl" },
      algorithms: { type: "string", default: "baseline" },
      features: { type: "string", default: "kong_slope,kong_intercept,tavg_c" },
      epochs: { type: "string", default: "5" },
      "hidden-width": { type: "string", default: "32" },
      seed: { type: "string", default: "42" },
      poll: { type: "boolean", default: false },
      url: { type: "string", default: process.env.VOLTLAB_URL ?? "http://localhost:3000" },
      key: { type: "string" },
    },
  });
  const key = values.key ?? process.env.VOLTLAB_API_KEY;
  if (!key) throw new Error("an API key is required: --key or VOLTLAB_API_KEY");
  const { client, close } = apiClients(values.url!, key, !values.poll);
  try {
    const datasetId = values.dataset
      ? Number(values.dataset)
      : (await client.battery.listDatasets.query()).find((d) => d.builtin)?.id;
    if (!datasetId) throw new Error("no built-in dataset: pass --dataset <id>");
    const created = await client.training.create.mutate({
      name: values.name ?? `script ${new Date().toISOString().slice(0, 19)}`,
      datasetId,
      split: values.split as "case_a",
      target: values.target as "pcl",
      algorithms: values.algorithms!.split(",").map((s) => s.trim()) as ("baseline" | "bilstm" | "deephpm")[],
      features: values.features!.split(",").map((s) => s.trim()),
      epochs: Number(values.epochs),
      hiddenWidth: Number(values["hidden-width"]),
      seed: Number(values.seed),
    });
    console.log(
      `task ${created.id} created (${created.runs.length} run${created.runs.length === 1 ? "" : "s"}; group ${created.groupId})`,
    );
    const task = values.poll ? await followPolling(client, created) : await followLive(client, created);
    if (process.stdout.isTTY) process.stdout.write("\n");
    for (const r of task.runs) {
      console.log(
        `run ${r.algorithm}: ${r.status}${r.versionId ? ` → model version ${r.versionId}` : ""}${r.error ? ` (${r.error})` : ""}`,
      );
    }
    console.log(`task ${task.id} ${task.status}`);
    return task.status === "SUCCEEDED" ? 0 : 1;
  } finally {
    await close();
  }
}

runCli(import.meta.url, () => main());
