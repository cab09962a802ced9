/**
 * Battery upload limits at their edges, through battery.upload as a user sends a file:
 * 2,000 cells and 50 feature columns are accepted, one more of either is refused with a
 * problem naming the count and the limit, and a refused file stores nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { closeDb } from "../../../db/db.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { UPLOAD_LIMITS } from "../../schemas/battery.js";

let user: TestUser;
beforeAll(async () => {
  user = await createTestUser("upload-limits");
});
afterAll(() => closeDb());

/** A CSV with `cells` cells of two cycles each and `features` feature columns. */
function csv(cells: number, features: number): string {
  const names = Array.from({ length: features }, (_, i) => `f${i + 1}`);
  const lines = [["cell_id", "cycle", ...names, "pcl"].join(",")];
  for (let c = 1; c <= cells; c++) {
    for (const cycle of [1, 2])
      lines.push([`C${c}`, cycle, ...names.map((_, i) => (i + cycle) / 10), cycle / 100].join(","));
  }
  return lines.join("\n") + "\n";
}

const upload = (text: string, tag: string) =>
  user.caller.battery.upload({
    fileName: `${tag}.csv`,
    contentBase64: Buffer.from(text).toString("base64"),
    name: `${tag}-${Date.now()}`,
  });

describe("battery upload limits", () => {
  it("accepts 2,000 cells and refuses 2,001, naming the count and the limit; nothing is stored", async () => {
    expect(UPLOAD_LIMITS.maxCells).toBe(2_000);
    const ok = await upload(csv(2_000, 1), "cells-2000");
    if (!ok.ok) throw new Error(JSON.stringify(ok.problems));
    expect(ok.cells).toBe(2_000);
    const before = (await user.caller.battery.listUploads()).length;
    const refused = await upload(csv(2_001, 1), "cells-2001");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems.map((p) => p.message)).toContain("2001 cells; the limit is 2000");
    expect((await user.caller.battery.listUploads()).length).toBe(before);
  });

  it("accepts 50 feature columns and refuses 51, naming the count and the limit", async () => {
    expect(UPLOAD_LIMITS.maxFeatures).toBe(50);
    const ok = await upload(csv(2, 50), "features-50");
    if (!ok.ok) throw new Error(JSON.stringify(ok.problems));
    expect(ok.features).toHaveLength(50);
    const refused = await upload(csv(2, 51), "features-51");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems.map((p) => p.message)).toContain("51 feature columns; the limit is 50");
  });
});
