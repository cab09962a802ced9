import { describe, it, expect, afterAll } from "vitest";
import { db, closeDb } from "../db/db.js";
import { seedEnergy, EXPECTED } from "./energy.js";
import { BUILTIN_NAB_NAME, BUILTIN_STEEL_NAME, POINT_FLAGS } from "../server/services/energy/types.js";

afterAll(() => closeDb());

describe("energy seed", () => {
  it("loads the Steel and NAB assets once, on a fixed grid, and is idempotent", async () => {
    const k = db();
    await seedEnergy(k);
    expect(await seedEnergy(k)).toMatch(/skipped/);

    const steel = await k("energyAssets").whereNull("userId").where({ name: BUILTIN_STEEL_NAME }).first();
    expect(steel.frequencySeconds).toBe(900);
    const ts: { ts: Date }[] = await k("energySeriesPoints").where({ assetId: steel.id }).orderBy("ts").select("ts");
    expect(ts.length).toBe(35_040);
    expect(ts[0].ts.toISOString()).toBe(EXPECTED.steelFirst);
    expect(ts.at(-1)!.ts.toISOString()).toBe(EXPECTED.steelLast);
    // A regular 900 s grid: every step exactly 15 minutes (no backwards 00:00 rows, no gaps).
    const bad = ts.slice(1).filter((r, i) => r.ts.getTime() - ts[i].ts.getTime() !== 900_000);
    expect(bad).toEqual([]);

    // The 00:00 row stamped 01/01/2018 is 2018-01-02 00:00 with value 3.42.
    const midnight = await k("energySeriesPoints")
      .where({ assetId: steel.id, ts: new Date("2018-01-02T00:00:00Z") })
      .first();
    expect(midnight.value).toBeCloseTo(3.42, 10);
    const covs = typeof midnight.covariates === "string" ? JSON.parse(midnight.covariates) : midnight.covariates;
    expect(covs).toEqual([3.46, 0, 0, 70.3, 100, "Light_Load"]);

    // The one dropout keeps its value (0) and is flagged; nothing else is.
    const flagged = await k("energySeriesPoints")
      .where({ assetId: steel.id })
      .whereRaw("flags & ? <> 0", [POINT_FLAGS.DROPOUT])
      .select("ts", "value");
    expect(flagged.map((r) => [r.ts.toISOString(), r.value])).toEqual([[EXPECTED.steelDropout, 0]]);

    const nab = await k("energyAssets").whereNull("userId").where({ name: BUILTIN_NAB_NAME }).first();
    const [{ n }] = await k("energySeriesPoints").where({ assetId: nab.id }).count({ n: "*" });
    expect(Number(n)).toBe(22_695 - 12);
    const notes = typeof nab.notes === "string" ? JSON.parse(nab.notes) : nab.notes;
    expect(notes.droppedRows).toHaveLength(12);
    expect(notes.droppedRows[0]).toMatchObject({ line: 10151, timestamp: "2014-01-07 02:00:00" });
    // First occurrence kept: the value at 02:00 is the one from file line 10139.
    const kept = await k("energySeriesPoints")
      .where({ assetId: nab.id, ts: new Date("2014-01-07T02:00:00Z") })
      .first();
    expect(kept.value).toBe(notes.droppedRows[0].keptValue);

    const windows = await k("energyAnomalyWindows").where({ assetId: nab.id }).orderBy("startTs");
    expect(windows).toHaveLength(4);
    expect(windows[0].startTs.toISOString()).toBe("2013-12-10T06:25:00.000Z");
    expect(windows[0].labelTs.toISOString()).toBe("2013-12-11T06:00:00.000Z");
    expect(windows[3].endTs.toISOString()).toBe("2014-02-09T14:05:00.000Z");
  });
});
