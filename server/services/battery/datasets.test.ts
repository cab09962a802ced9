import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as ss from "simple-statistics";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { closeDb } from "../../../db/db.js";
import { loadCycles, listPresets } from "./datasets.js";

let u: TestUser;
let builtinId: number;
beforeAll(async () => {
  u = await createTestUser("battery-data");
  builtinId = (await u.caller.battery.listDatasets()).find((d) => d.builtin)!.id;
});
afterAll(() => closeDb());

describe("battery datasets", () => {
  it("offers Severson splits and Wen cases as presets", async () => {
    const presets = await listPresets({ datasetId: builtinId, userId: u.id });
    const by = Object.fromEntries(presets.map((p) => [p.key, p]));
    expect(by.primary_train.cellIds.length).toBe(41);
    expect(by.primary_test.cellIds.length).toBe(43);
    expect(by.secondary_test.cellIds.length).toBe(40);
    expect(by.case_a.roles).toEqual({ train: ["91", "100"], test: ["124"] });
    expect(by.case_b.roles).toEqual({ train: ["101", "108", "120"], test: ["116"] });
    expect(by.case_c.cellKeys).toEqual(by.primary_test.cellKeys);
  });

  it("loads per-cell typed arrays by cell key, NaN where a cell lacks a feature", async () => {
    const r = await loadCycles({
      datasetId: builtinId,
      userId: u.id,
      cellKeys: ["124", "42"],
      features: ["tavg_c", "ir_ohm"],
    });
    expect(r.cells.map((c) => c.cellKey)).toEqual(["124", "42"]);
    const [c124, c42] = r.cells;
    expect(c124.cycle.length).toBe(1800);
    expect(c124.rul[0]).toBe(1800);
    // Summary v2: cell 124 (secondary test) has IR for its first 100 cycles only.
    expect(c124.features.ir_ohm.filter(Number.isFinite).length).toBe(100);
    expect(c124.features.ir_ohm.filter((_, i) => c124.cycle[i] > 100).every(Number.isNaN)).toBe(true);
    expect(c42.features.ir_ohm.every(Number.isFinite)).toBe(true);
    await expect(
      loadCycles({ datasetId: builtinId, userId: u.id, cellKeys: ["1"], features: ["qdischarge_ah"] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      loadCycles({ datasetId: builtinId, userId: u.id, cellKeys: ["999"], features: [] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("computes statistics and correlations on the full data, matching simple-statistics", async () => {
    const { cells } = await u.caller.battery.listCells({ datasetId: builtinId });
    const pick = cells.filter((c) => ["42", "43", "91"].includes(c.cellKey)).map((c) => c.id);
    const a = await u.caller.battery.analysis({ datasetId: builtinId, cellIds: pick });
    const raw = await loadCycles({ datasetId: builtinId, userId: u.id, cellIds: pick, features: ["tavg_c", "ir_ohm"] });
    const tavg = raw.cells.flatMap((c) => Array.from(c.features.tavg_c));
    const rul = raw.cells.flatMap((c) => Array.from(c.rul));
    const s = a.statistics.find((x) => x.key === "tavg_c")!;
    expect(s.count).toBe(tavg.length);
    expect(s.mean).toBeCloseTo(ss.mean(tavg), 10);
    expect(s.median).toBeCloseTo(ss.median(tavg), 10);
    expect(s.histogram.reduce((n, b) => n + b.count, 0)).toBe(tavg.length);
    const t = a.correlations.withTargets.find((x) => x.feature === "tavg_c")!;
    expect(t.pearsonRul).toBeCloseTo(ss.sampleCorrelation(tavg, rul), 8);
    expect(t.spearmanRul).toBeCloseTo(ss.sampleRankCorrelation(tavg, rul), 8);
    // ir_ohm covers cells 42 and 43 whole but cell 91 only to cycle 100: pairwise-complete rows.
    const ir = a.correlations.withTargets.find((x) => x.feature === "ir_ohm")!;
    const irAll = raw.cells.flatMap((c) => Array.from(c.features.ir_ohm));
    const keep = irAll.map((v, i) => Number.isFinite(v) && Number.isFinite(rul[i]));
    const irv = irAll.filter((_, i) => keep[i]);
    const rulv = rul.filter((_, i) => keep[i]);
    expect(ir.nRul).toBe(irv.length);
    expect(ir.spearmanRul).toBeCloseTo(ss.sampleRankCorrelation(irv, rulv), 8);
    const m = a.correlations.matrix;
    expect(m.variables).toContain("pcl");
    expect(m.pearson[0][0]).toBe(1);
  });

  it("fits a degradation rate per cell and downsamples only the drawn lines", async () => {
    const { cells } = await u.caller.battery.listCells({ datasetId: builtinId });
    const c1 = cells.find((c) => c.cellKey === "1")!;
    const t = await u.caller.battery.trends({
      datasetId: builtinId,
      cellIds: [c1.id],
      variable: "soh",
      maxPoints: 100,
    });
    expect(t.lines[0].points.length).toBe(100);
    expect(t.lines[0].total).toBe(1850);
    // Cell 1 loses ~17 points of capacity over ~1850 cycles: about 1 %/100 cycles.
    expect(t.rates[0].ratePctPer100!).toBeGreaterThan(0.5);
    expect(t.rates[0].ratePctPer100!).toBeLessThan(2);
    const sc = await u.caller.battery.scatter({ datasetId: builtinId, cellIds: [c1.id], feature: "kong_slope" });
    expect(sc.groups[0].points.length).toBe(150);
  });
});
