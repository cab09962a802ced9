import { describe, it, expect, afterAll } from "vitest";
import { db, closeDb } from "../db/db.js";
import { seedBattery, EXPECTED } from "./battery.js";
import { BUILTIN_DATASET_NAME } from "../server/services/battery/columns.js";

afterAll(() => closeDb());

describe("battery seed", () => {
  it("loads the built-in 124-cell dataset once and is idempotent", async () => {
    const k = db();
    await seedBattery(k);
    expect(await seedBattery(k)).toMatch(/skipped/);

    const ds = await k("batteryDatasets").where({ source: "builtin", name: BUILTIN_DATASET_NAME }).whereNull("userId").first();
    expect(ds).toBeTruthy();
    const [{ n: cells }] = await k("batteryCells").where({ datasetId: ds.id }).count({ n: "*" });
    const [{ n: cycles }] = await k("batteryCycles").where({ datasetId: ds.id }).count({ n: "*" });
    expect(Number(cells)).toBe(124);
    expect(Number(cycles)).toBe(99_281);

    const cell1 = await k("batteryCells").where({ datasetId: ds.id, cellKey: "1" }).first();
    expect(cell1.cycleLife).toBe(1852);
    expect(cell1.firstCycle).toBe(2);
    const first = await k("batteryCycles").where({ cellId: cell1.id, cycle: 2 }).first();
    expect(first.rul).toBe(1850);
    expect(first.pcl).toBeCloseTo(0.02664618182, 10);
    expect(first.tavgC).toBeCloseTo(31.87501078, 7);

    const splits: { seversonSplit: string; n: number }[] = await k("batteryCells").where({ datasetId: ds.id }).groupBy("seversonSplit").select("seversonSplit").count({ n: "*" }) as never;
    const bySplit = Object.fromEntries(splits.map((r) => [r.seversonSplit, Number(r.n)]));
    expect(bySplit).toEqual({ primary_train: 41, primary_test: 43, secondary_test: 40 });

    const withSummary = await k("batteryCycles").where({ datasetId: ds.id }).whereNotNull("irOhm").countDistinct({ n: "cellId" });
    expect(Number(withSummary[0].n)).toBe(EXPECTED.summaryCells);
    const [{ n: summaryRows }] = await k("batteryCycles").where({ datasetId: ds.id }).whereNotNull("qdischargeAh").count({ n: "*" });
    expect(Number(summaryRows)).toBe(23_028);

    // Case roles as in Wen et al.
    const caseA = await k("batteryCells").where({ datasetId: ds.id }).whereNotNull("caseA").orderBy("position").select("cellKey", "caseA");
    expect(caseA).toEqual([{ cellKey: "91", caseA: "train" }, { cellKey: "100", caseA: "train" }, { cellKey: "124", caseA: "test" }]);

    // The discharge capacity is stored but never offered as an input feature.
    const features = typeof ds.features === "string" ? JSON.parse(ds.features) : ds.features;
    expect(features).not.toContain("qdischarge_ah");
    expect(features).toContain("kong_slope");
  });
});
