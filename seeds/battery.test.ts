import { describe, it, expect, afterAll } from "vitest";
import { db, closeDb } from "../db/db.js";
import { seedBattery, EXPECTED } from "./battery.js";
import { sampleCorrelation } from "simple-statistics";
import { BUILTIN_DATASET_NAME } from "../server/services/battery/columns.js";
import { readSeries } from "../server/services/battery/store.js";

afterAll(() => closeDb());

describe("battery seed", () => {
  it("loads the built-in 124-cell dataset with summary v2, dQ/dV and ΔQ curves once, and is idempotent", async () => {
    const k = db();
    await seedBattery(k);
    expect(await seedBattery(k)).toMatch(/skipped/);

    const ds = await k("batteryDatasets")
      .where({ source: "builtin", name: BUILTIN_DATASET_NAME })
      .whereNull("userId")
      .first();
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

    const splits: { seversonSplit: string; n: number }[] = (await k("batteryCells")
      .where({ datasetId: ds.id })
      .groupBy("seversonSplit")
      .select("seversonSplit")
      .count({ n: "*" })) as never;
    const bySplit = Object.fromEntries(splits.map((r) => [r.seversonSplit, Number(r.n)]));
    expect(bySplit).toEqual({ primary_train: 41, primary_test: 43, secondary_test: 40 });

    // Summary v2: every cell has raw summary fields; cells 1–83 over their whole life, 84–124 over cycles ≤ 100.
    const withSummary = await k("batteryCycles")
      .where({ datasetId: ds.id })
      .whereNotNull("irOhm")
      .countDistinct({ n: "cellId" });
    expect(Number(withSummary[0].n)).toBe(124);
    const [{ n: summaryRows }] = await k("batteryCycles")
      .where({ datasetId: ds.id })
      .whereNotNull("qdischargeAh")
      .count({ n: "*" });
    expect(Number(summaryRows)).toBe(EXPECTED.summaryRows);
    const [{ n: tminRows }] = await k("batteryCycles")
      .where({ datasetId: ds.id })
      .whereNotNull("tminC")
      .count({ n: "*" });
    expect(Number(tminRows)).toBe(EXPECTED.tminRows);
    const late = await k("batteryCycles as y")
      .join("batteryCells as c", "c.id", "y.cellId")
      .where("y.datasetId", ds.id)
      .where("y.cycle", ">", 100)
      .whereNotNull("y.irOhm")
      .max({ cell: k.raw("CAST(c.cell_key AS UNSIGNED)") });
    expect(Number(late[0].cell)).toBe(83);
    const cell50 = await k("batteryCells").where({ datasetId: ds.id, cellKey: "50" }).first();
    const lastOf50 = await k("batteryCycles").where({ cellId: cell50.id, cycle: cell50.lastCycle }).first();
    expect(lastOf50.irOhm).toBeGreaterThan(0);

    // dQ/dV statistics: cycles 2–100 of every cell, nothing later.
    const [{ n: dqdvRows, lo, hi }] = await k("batteryCycles")
      .where({ datasetId: ds.id })
      .whereNotNull("dqdvVar")
      .count({ n: "*" })
      .min({ lo: "cycle" })
      .max({ hi: "cycle" });
    expect([Number(dqdvRows), lo, hi]).toEqual([EXPECTED.dqdvRows, 2, 100]);
    const d2 = await k("batteryCycles").where({ cellId: cell1.id, cycle: 2 }).first();
    expect(d2.dqdvMin).toBeCloseTo(-6.306187, 6);
    expect(d2.dqdvVar).toBeCloseTo(3.169743, 6);

    // ΔQ₁₀₀₋₁₀: one curve per cell with Severson's summary statistics; log variance tracks log cycle life (r ≈ −0.93).
    const early = await k("batteryCellEarlyLife as e")
      .join("batteryCells as c", "c.id", "e.cellId")
      .where("e.datasetId", ds.id)
      .select("e.*", "c.cycleLife");
    expect(early).toHaveLength(124);
    const curve1 = early.find((e: { cellId: number }) => e.cellId === cell1.id);
    expect(curve1.deltaQ.byteLength).toBe(8 * EXPECTED.deltaQPoints);
    expect(new Float64Array(new Uint8Array(curve1.deltaQ).buffer)[0]).toBeCloseTo(5.477e-5, 12);
    const r = sampleCorrelation(
      early.map((e: { dqLogVar: number }) => e.dqLogVar),
      early.map((e: { cycleLife: number }) => Math.log10(e.cycleLife)),
    );
    expect(r).toBeCloseTo(-0.927, 3);

    // Raw faults: stored as recorded in battery_cycles, missing from the series training reads.
    const [{ n: irZero }] = await k("batteryCycles").where({ datasetId: ds.id, irOhm: 0 }).count({ n: "*" });
    expect(Number(irZero)).toBe(21);
    const zeroRow = await k("batteryCycles").where({ datasetId: ds.id, irOhm: 0 }).first();
    const series = await readSeries(k, ds.id, [zeroRow.cellId], ["cycle", "ir_ohm"]);
    const cyc = series.get(zeroRow.cellId)!.get("cycle")!;
    const ir = series.get(zeroRow.cellId)!.get("ir_ohm")!;
    const at = cyc.indexOf(zeroRow.cycle);
    expect(Number.isNaN(ir[at])).toBe(true);
    expect(ir.filter((v) => v === 0)).toHaveLength(0);
    expect(ir.filter(Number.isFinite).length).toBeGreaterThan(90);

    // Case roles as in Wen et al.
    const caseA = await k("batteryCells")
      .where({ datasetId: ds.id })
      .whereNotNull("caseA")
      .orderBy("position")
      .select("cellKey", "caseA");
    expect(caseA).toEqual([
      { cellKey: "91", caseA: "train" },
      { cellKey: "100", caseA: "train" },
      { cellKey: "124", caseA: "test" },
    ]);

    // The discharge capacity is stored but never offered as an input feature.
    const features = typeof ds.features === "string" ? JSON.parse(ds.features) : ds.features;
    expect(features).not.toContain("qdischarge_ah");
    expect(features).toContain("kong_slope");
  });
});
