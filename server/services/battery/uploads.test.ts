import { describe, it, expect, beforeAll, afterAll } from "vitest";
import ExcelJS from "exceljs";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { db, closeDb } from "../../../db/db.js";
import { UPLOAD_LIMITS } from "../../schemas/battery.js";
import { artifacts } from "../../storage/artifacts.js";
import { uploadKey } from "./uploads.js";
import { translateKey } from "../../i18n/translate.js";

let u: TestUser;
beforeAll(async () => {
  u = await createTestUser("battery-upload");
});
afterAll(() => closeDb());

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

async function footprint(userId: number) {
  const k = db();
  const [{ n: uploads }] = await k("batteryUploads").where({ userId }).count({ n: "*" });
  const [{ n: datasets }] = await k("batteryDatasets").where({ userId }).count({ n: "*" });
  const files = (await artifacts().list(`${userId}`)).filter((k) => k.startsWith(`${userId}/battery-uploads/`)).length;
  return { uploads: Number(uploads), datasets: Number(datasets), files };
}

describe("battery uploads", () => {
  const bad: [string, string, string | Buffer, RegExp, { row?: number; column?: string }?][] = [
    ["empty file", "e.csv", "", /empty/i],
    ["header only", "h.csv", "cell_id,cycle,pcl\n", /no data rows/i],
    ["missing cycle column", "m.csv", "cell_id,pcl\nA,0.1\n", /Missing column: cycle/, { column: "cycle" }],
    ["no target", "t.csv", "cell_id,cycle,temp\nA,1,30\n", /Missing target/],
    [
      "non-numeric value",
      "n.csv",
      "cell_id,cycle,temp,pcl\nA,1,30,0.1\nA,2,warm,0.2\n",
      /Not a finite number: "warm"/,
      { row: 3, column: "temp" },
    ],
    ["NaN", "nan.csv", "cell_id,cycle,temp,pcl\nA,1,NaN,0.1\n", /Not a finite number/, { row: 2, column: "temp" }],
    ["infinity", "inf.csv", "cell_id,cycle,temp,pcl\nA,1,30,inf\n", /Not a finite number/, { row: 2, column: "pcl" }],
    [
      "duplicate (cell, cycle)",
      "d.csv",
      "cell_id,cycle,pcl\nA,1,0.1\nA,2,0.2\nA,1,0.3\n",
      /Duplicate \(cell A, cycle 1\): also on row 2/,
      { row: 4 },
    ],
    ["capacity without nominal", "q.csv", "cell_id,cycle,qd\nA,1,1.05\n", /nominal capacity/],
    ["wrong type", "x.pdf", "%PDF-1.4", /Only \.csv and \.xlsx/],
    [
      "too many rows",
      "big.csv",
      "cell_id,cycle,pcl\n" + "A,1,0.1\n".repeat(UPLOAD_LIMITS.maxRows + 1),
      /limit is 500000/,
    ],
  ];
  for (const [title, name, content, message, at] of bad) {
    it(`rejects ${title} with its reason and stores nothing`, async () => {
      const before = await footprint(u.id);
      const r = await u.caller.battery.upload({ fileName: name, contentBase64: b64(content) });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const hit = r.problems.find((p) => message.test(p.message));
      expect(hit, JSON.stringify(r.problems)).toBeTruthy();
      if (at?.row) expect(hit!.row).toBe(at.row);
      if (at?.column) expect(hit!.column).toBe(at.column);
      expect(await footprint(u.id)).toEqual(before);
    });
  }

  it("names each problem by its code and parameters, so a Chinese page reads it in Chinese", async () => {
    const r = await u.caller.battery.upload({
      fileName: "dup.csv",
      contentBase64: b64("cell_id,cycle,temp,pcl\nA,1,30,0.1\nA,1,hot,0.2\n"),
    });
    if (r.ok) throw new Error("accepted a bad file");
    const texts = r.problems.map((p) => [p.message, translateKey("zh-CN", p.i18n!.key, p.i18n!.params)]);
    expect(texts).toContainEqual(['Not a finite number: "hot"', "不是有限数值：“hot”"]);
    expect(texts).toContainEqual([
      "Duplicate (cell A, cycle 1): also on row 2",
      "重复（电池 A，第 1 次循环）：第 2 行也有",
    ]);
  });

  it("rejects a file over 20 MB", async () => {
    const before = await footprint(u.id);
    const big = Buffer.alloc(UPLOAD_LIMITS.maxBytes + 10, "1");
    const err = await u.caller.battery.upload({ fileName: "huge.csv", contentBase64: b64(big) }).then(
      (r) => (r.ok ? null : r.problems[0].message),
      (e: Error) => e.message,
    );
    expect(err).toMatch(/20 MB/);
    expect(await footprint(u.id)).toEqual(before);
  });

  it("stores a valid CSV with derived PCL and RUL, lists it, analyses it and deletes rows and file", async () => {
    const csv = ["Cell ID,Cycle,Temp C,Discharge Capacity Ah"];
    for (const cell of ["c1", "c2"])
      for (let c = 1; c <= 50; c++) csv.push(`${cell},${c},${25 + c / 10},${(1.1 - c * 0.006).toFixed(4)}`);
    const r = await u.caller.battery.upload({
      fileName: "../../etc/My Cells.csv",
      contentBase64: b64(csv.join("\n")),
      nominalCapacityAh: 1.1,
      eolSoh: 0.8,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.cells).toBe(2);
    expect(r.features).toEqual(["temp_c"]);
    // What was derived: English for scripts, and a code the page shows in the user's language.
    expect(r.warnings).toEqual(["Derived PCL from the discharge capacity and RUL from end of life at SoH 0.8"]);
    expect(translateKey("zh-CN", r.notes[0].key, r.notes[0].params)).toBe(
      "已由放电容量推导 PCL，并按寿命终止 SoH 0.8 推导 RUL",
    );
    const ds = await u.caller.battery.getDataset({ datasetId: r.datasetId });
    expect(ds.targetDerived).toEqual(["qdischarge_ah"]);
    expect(ds.features.map((f) => f.key)).not.toContain("qdischarge_ah");
    const file = uploadKey(u.id, r.uploadId, "source.csv");
    expect((await artifacts().get(file)).toString()).toBe(csv.join("\n"));
    const list = await u.caller.battery.listUploads();
    expect(list.find((x) => x.id === r.uploadId)?.originalName).toBe("My Cells.csv");

    const { cells } = await u.caller.battery.listCells({ datasetId: r.datasetId });
    // SoH 0.8 at PCL 0.2: Qd = 0.88 = 1.1 − 0.006·c → c ≥ 36.67, so end of life at cycle 37.
    expect(cells[0].cycleLife).toBe(37);
    const a = await u.caller.battery.analysis({ datasetId: r.datasetId, cellIds: cells.map((c) => c.id) });
    const pcl = a.statistics.find((s) => s.key === "pcl")!;
    expect(pcl.count).toBe(100);
    const t = a.correlations.withTargets[0];
    expect(t.pearsonPcl).toBeCloseTo(1, 6);
    expect(t.spearmanRul).toBeCloseTo(-1, 6);

    await u.caller.battery.deleteUpload({ id: r.uploadId });
    expect(await artifacts().exists(file)).toBe(false);
    const [{ n }] = await db()("batteryCycles").where({ datasetId: r.datasetId }).count({ n: "*" });
    expect(Number(n)).toBe(0);
    await expect(u.caller.battery.getDataset({ datasetId: r.datasetId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stores a valid XLSX file", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("data");
    ws.addRow(["cell", "cycle", "ir_ohm", "pcl", "rul"]);
    for (let c = 1; c <= 5; c++) ws.addRow(["X", c, 0.016 + c / 1e4, c / 100, 5 - c]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await u.caller.battery.upload({ fileName: "cells.xlsx", contentBase64: buf.toString("base64") });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.features).toEqual(["ir_ohm"]);
    const row = await db()("batteryCycles").where({ datasetId: r.datasetId, cycle: 2 }).first();
    expect(row.irOhm).toBeCloseTo(0.0162, 10);
    expect(await artifacts().size(uploadKey(u.id, r.uploadId, "source.xlsx"))).toBe(buf.length);
    await u.caller.battery.deleteDataset({ datasetId: r.datasetId });
    expect(await artifacts().list(uploadKey(u.id, r.uploadId))).toEqual([]);
  });
});
