/**
 * Replays the tail of an asset's series to the real-time anomaly procedure (anomaly.score),
 * as a client script would post live readings: a typed @trpc/client over HTTP with an API key.
 *
 *   VOLTLAB_API_KEY=… npx tsx scripts/stream-points.ts --detector 12 [--asset 3] [--points 500]
 *       [--batch 10] [--interval-ms 100] [--url http://localhost:3000] [--key …]
 *
 * The detector's asset is used when --asset is not given. The tail's points are read with
 * energy.assets.series (the last week by default, --range 1w|1m), so the script needs nothing
 * but the API. Replaying points the server already holds re-scores them (the buffer reseeds).
 * Prints one line per flagged point and a summary; exits 1 on an error.
 */
import { parseArgs } from "node:util";
import { apiClient, runCli } from "./api-client.js";

async function main() {
  const { values } = parseArgs({
    options: {
      detector: { type: "string" },
      asset: { type: "string" },
      points: { type: "string", default: "500" },
      batch: { type: "string", default: "10" },
      "interval-ms": { type: "string", default: "100" },
      url: { type: "string", default: process.env.VOLTLAB_URL ?? "http://localhost:3000" },
      key: { type: "string" },
      range: { type: "string", default: "1w" },
    },
  });
  const key = values.key ?? process.env.VOLTLAB_API_KEY;
  if (!key) throw new Error("an API key is required: --key or VOLTLAB_API_KEY");
  if (!values.detector) throw new Error("--detector <id> is required");
  const client = apiClient(values.url!, key);
  const detector = await client.anomaly.detector.query({ id: Number(values.detector) });
  const assetId = values.asset ? Number(values.asset) : detector.assetId;
  const n = Number(values.points),
    batch = Number(values.batch),
    interval = Number(values["interval-ms"]);
  // The last week (or month) at full resolution: fewer points than the chart's cap, so nothing is thinned.
  const s = await client.energy.assets.series.query({
    id: assetId,
    range: values.range as "1w" | "1m",
    maxPoints: 20_000,
  });
  if (s.totalPoints > 20_000) throw new Error("the range holds more than 20,000 points: choose --range 1w");
  const pts = s.t.map((t, i) => ({ ts: t, value: s.v[i] })).slice(-n);
  console.log(
    `replaying ${pts.length} points of asset ${assetId} to detector ${detector.id} (${detector.name}), ${batch} per request every ${interval} ms`,
  );
  let flagged = 0,
    sent = 0;
  for (let i = 0; i < pts.length; i += batch) {
    const started = Date.now();
    const chunk = pts.slice(i, i + batch);
    const r = await client.anomaly.score.mutate({ assetId, detectorId: detector.id, points: chunk });
    sent += chunk.length;
    for (const p of r.points) {
      if (!p.flag) continue;
      flagged++;
      console.log(
        `FLAG ${new Date(p.ts).toISOString()} value ${p.value} forecast ${p.q50?.toFixed(3)} [${p.q10?.toFixed(3)}, ${p.q90?.toFixed(3)}] score ${p.score?.toFixed(4)}`,
      );
    }
    const wait = interval - (Date.now() - started);
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  console.log(`sent ${sent} points, ${flagged} flagged`);
}

runCli(import.meta.url, () => main());
