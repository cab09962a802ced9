/**
 * Tests a Battery Lab model version and downloads the result: a typed @trpc/client (AppRouter)
 * with an API key creates the test job (testJobs.create), polls it (testJobs.get) until it ends,
 * then downloads GET /api/exports/:id/result.xlsx (or .csv) with the same Bearer key.
 *
 *   VOLTLAB_API_KEY=… npx tsx scripts/run-test-job.ts --version 12 [--targets pcl,rul]
 *       [--dataset <id>] [--cells b1c0,b1c1 | --preset <name>] [--horizon 0]
 *       [--format xlsx|csv] [--out result.xlsx] [--url http://localhost:3000] [--key …]
 *
 * Without --cells/--preset the built-in dataset's "test" cells of Case A are used when it has a
 * preset of that name, else every cell. Prints the overall metrics and the file it wrote; exits
 * 0 when the job SUCCEEDED and the file was downloaded, 1 otherwise.
 */
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { apiClient, FINAL, runCli } from "./api-client.js";

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: "string" },
      dataset: { type: "string" },
      cells: { type: "string" },
      preset: { type: "string" },
      targets: { type: "string", default: "pcl" },
      horizon: { type: "string" },
      name: { type: "string" },
      format: { type: "string", default: "xlsx" },
      out: { type: "string" },
      "poll-ms": { type: "string", default: "500" },
      url: { type: "string", default: process.env.VOLTLAB_URL ?? "http://localhost:3000" },
      key: { type: "string" },
    },
  });
  const key = values.key ?? process.env.VOLTLAB_API_KEY;
  if (!key) throw new Error("an API key is required: --key or VOLTLAB_API_KEY");
  if (!values.version) throw new Error("--version <model version id> is required");
  if (values.format !== "xlsx" && values.format !== "csv") throw new Error("--format is xlsx or csv");
  const url = values.url!.replace(/\/$/, "");
  const client = apiClient(url, key);

  const datasetId = values.dataset
    ? Number(values.dataset)
    : (await client.battery.listDatasets.query()).find((d) => d.builtin)?.id;
  if (!datasetId) throw new Error("no built-in dataset: pass --dataset <id>");
  let cellKeys: string[] = [];
  let preset: string | undefined = values.preset;
  if (values.cells)
    cellKeys = values.cells
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  else {
    const presets = await client.battery.presets.query({ datasetId });
    if (preset) {
      const p = presets.find((x) => x.key === preset);
      if (!p) throw new Error(`no preset ${preset}: one of ${presets.map((x) => x.key).join(", ")}`);
      cellKeys = p.cellKeys;
    } else {
      // Default: the test cells of Wen's Case A (the cells a Case A model has not seen).
      const a = presets.find((x) => x.key === "case_a");
      if (a?.roles?.test.length) {
        cellKeys = a.roles.test;
        preset = "case_a";
      }
    }
  }

  const created = await client.testJobs.create.mutate({
    name: values.name,
    versionId: Number(values.version),
    datasetId,
    cellKeys,
    preset,
    targets: values.targets!.split(",").map((s) => s.trim()) as ("pcl" | "rul")[],
    horizon: values.horizon !== undefined ? Number(values.horizon) : undefined,
  });
  console.log(
    `test job ${created.id} created: version ${values.version}, ${cellKeys.length || "all"} cells${preset ? ` (${preset}${values.preset ? "" : " test cells"})` : ""}`,
  );

  let last = "";
  let job = await client.testJobs.get.query({ id: created.id });
  for (;;) {
    if (job.status !== last) console.log(`status ${job.status}`);
    last = job.status;
    if (FINAL.has(job.status)) break;
    await new Promise((r) => setTimeout(r, Number(values["poll-ms"])));
    job = await client.testJobs.get.query({ id: created.id });
  }
  if (job.status !== "SUCCEEDED") {
    console.error(
      `test job ${job.id} ${job.status}${(job as { error?: string | null }).error ? `: ${(job as { error?: string | null }).error}` : ""}`,
    );
    return 1;
  }
  const overall = (job.result as { overall?: Record<string, Record<string, number>> } | null)?.overall;
  if (overall)
    for (const [target, m] of Object.entries(overall))
      console.log(
        `${target}: ${Object.entries(m)
          .map(([k, v]) => `${k} ${typeof v === "number" ? v.toPrecision(4) : v}`)
          .join(", ")}`,
      );

  const res = await fetch(`${url}/api/exports/${job.id}/result.${values.format}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (!res.ok) {
    console.error(`download failed: HTTP ${res.status} ${await res.text()}`);
    return 1;
  }
  const out = values.out ?? `test-job-${job.id}.${values.format}`;
  const bytes = Buffer.from(await res.arrayBuffer());
  await fs.writeFile(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes)`);
  return 0;
}

runCli(import.meta.url, () => main());
