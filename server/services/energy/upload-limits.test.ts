/**
 * #27 row 8: the energy upload limits at their edges, the way users send files.
 *  - 1,000,000 data rows are read, 1,000,001 are refused naming the limit, and a refused commit
 *    stores nothing (no asset, no upload);
 *  - the largest accepted file (exactly 20 MB, about 27 MB of base64) goes over real HTTP to the
 *    started server, as the browser sends it (tRPC POST with the session cookie), and is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../../db/db.js";
import { startTestServer } from "../../testing/server.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { UPLOAD_LIMITS } from "./types.js";

let user: TestUser;
beforeAll(async () => {
  user = await createTestUser("energy-upload-limits");
});
afterAll(() => closeDb());

/** A CSV of `rows` data rows: a number and a value (the row limit is checked before any mapping). */
function rowsCsv(rows: number): string {
  const parts = ["n,kwh\n"];
  for (let i = 0; i < rows; i++) parts.push(`${i},1\n`);
  return parts.join("");
}
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("energy upload limits", () => {
  it("reads 1,000,000 rows and refuses 1,000,001 naming the limit; a refused commit stores nothing", async () => {
    expect(UPLOAD_LIMITS.maxRows).toBe(1_000_000);
    const ok = await user.caller.energy.uploads.inspect({
      fileName: "rows.csv",
      contentBase64: b64(rowsCsv(1_000_000)),
    });
    expect(ok.ok, JSON.stringify(!ok.ok && ok.reasons)).toBe(true);
    const over = b64(rowsCsv(1_000_001));
    const refused = await user.caller.energy.uploads.inspect({ fileName: "rows.csv", contentBase64: over });
    expect(refused).toMatchObject({ ok: false, reasons: ["the file has more than 1,000,000 data rows"] });

    const name = `too-many-rows-${Date.now()}`;
    const commit = await user.caller.energy.uploads.commit({
      fileName: "rows.csv",
      contentBase64: over,
      mapping: { timestampColumn: "n", targetColumn: "kwh", covariates: [] },
      newAssetName: name,
    });
    expect(commit).toMatchObject({ ok: false, reasons: ["the file has more than 1,000,000 data rows"] });
    expect((await user.caller.energy.assets.list()).some((a) => a.name === name)).toBe(false);
    expect(await user.caller.energy.uploads.list({})).toHaveLength(0);
  }, 60_000);

  it("stores a 20 MB file (27 MB of base64) sent over real HTTP as the browser sends it", async () => {
    // 15-min rows with a long unmapped note column, padded to exactly the byte limit.
    const note = "x".repeat(2000);
    const start = Date.UTC(2024, 0, 1);
    const lines: string[] = ["time,kwh,note"];
    let size = lines[0].length + 1;
    for (let i = 0; ; i++) {
      const line = `${new Date(start + i * 900_000).toISOString().slice(0, 16).replace("T", " ")},${(i % 97) + 0.5},${note}`;
      if (size + line.length + 1 > UPLOAD_LIMITS.maxBytes) break;
      lines.push(line);
      size += line.length + 1;
    }
    const rows = lines.length - 1;
    lines[rows] += "y".repeat(UPLOAD_LIMITS.maxBytes - size); // the last note takes the remaining bytes
    const file = Buffer.from(lines.join("\n") + "\n");
    expect(file.length).toBe(UPLOAD_LIMITS.maxBytes);
    const contentBase64 = file.toString("base64");
    expect(contentBase64.length).toBeGreaterThan(27_900_000);

    const server = await startTestServer({ withRemix: false });
    try {
      const name = `twenty-mb-${Date.now()}`;
      const res = await fetch(`${server.url}/api/trpc/energy.uploads.commit`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `voltlab_session=${user.token}` },
        body: JSON.stringify({
          json: {
            fileName: "twenty-mb.csv",
            contentBase64,
            mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
            newAssetName: name,
          },
        }),
      });
      const body = (await res.json()) as { result?: { data: { json: Record<string, unknown> } }; error?: unknown };
      expect(res.status, JSON.stringify(body.error)).toBe(200);
      const result = body.result!.data.json;
      expect(result, JSON.stringify(result.reasons)).toMatchObject({ ok: true, pointsAdded: rows });
      const { asset } = await user.caller.energy.assets.get({ id: result.assetId as number });
      expect(asset).toMatchObject({ name, pointCount: rows, frequencySeconds: 900 });
      const uploads = await user.caller.energy.uploads.list({ assetId: asset.id });
      expect(uploads.map((u) => u.sizeBytes)).toEqual([UPLOAD_LIMITS.maxBytes]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
