import { describe, it, expect, beforeAll, afterAll } from "vitest";
import ExcelJS from "exceljs";
import { closeDb, db } from "../../../db/db.js";
import { artifacts } from "../../storage/artifacts.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { commitUpload } from "./uploads.js";
import { uploadKey } from "./storage.js";
import { loadSeries } from "./series.js";
import { POINT_FLAGS } from "./types.js";

let user: TestUser;
beforeAll(async () => {
  user = await createTestUser("energy-upload");
});
afterAll(() => closeDb());

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const mapping = {
  timestampColumn: "time",
  targetColumn: "kwh",
  covariates: [] as { column: string; kind: "numeric" | "categorical" }[],
};
const noOptions = { resampleSeconds: null, fill: "none" as const, maxGapSteps: 0 };

async function nothingStored() {
  const [{ n: uploads }] = await db()("energyUploads").where({ userId: user.id }).count({ n: "*" });
  const [{ n: assets }] = await db()("energyAssets")
    .where({ userId: user.id })
    .where("name", "like", "bad-%")
    .count({ n: "*" });
  expect(Number(uploads)).toBe(0);
  expect(Number(assets)).toBe(0);
  expect((await artifacts().list(String(user.id))).filter((k) => k.includes("/energy-uploads/"))).toEqual([]);
}

/** A CSV of `n` 1-minute rows from 2024-03-01 00:00, value i (rows may be edited after). */
function minuteRows(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `2024-03-01 00:${String(i).padStart(2, "0")}:00,${i}`);
}

describe("upload validation: an invalid file stores nothing (no rows, no files)", () => {
  const cases: [string, string, RegExp][] = [
    ["no parsable timestamps", "time,kwh\nyesterday,1\nsoon,2\n", /no parsable timestamps/],
    ["no numeric target", "time,kwh\n2024-01-01 00:00,\n2024-01-01 00:15,NaN\n", /has no numeric values/],
    [
      "text in the target beyond 5 %",
      ["time,kwh", ...minuteRows(30).map((r, i) => (i % 5 === 0 ? r.replace(/,\d+$/, ",n/a") : r))].join("\n"),
      /"kwh": 6 of 30 non-empty cells are not numbers \(tolerance 5 %\)/,
    ],
    [
      "non-timestamps beyond 5 %",
      ["time,kwh", ...minuteRows(30).map((r, i) => (i % 4 === 0 ? r.replace(/^[^,]+/, "31/02/2024 10:00") : r))].join(
        "\n",
      ),
      /"time": 8 of 30 rows are not timestamps/,
    ],
    ["a mapped column the file lacks", "when,kwh\n2024-01-01 00:00,1\n", /column "time" is not in the file/],
    ["header only", "time,kwh\n", /no data rows/],
  ];
  for (const [title, csv, reason] of cases) {
    it(title, async () => {
      const r = await commitUpload(user.id, {
        fileName: "x.csv",
        contentBase64: b64(csv),
        mapping,
        options: noOptions,
        newAssetName: `bad-${title}`,
      });
      expect(r.ok).toBe(false);
      expect((r as { reasons: string[] }).reasons.join("; ")).toMatch(reason);
      await nothingStored();
    });
  }

  it("too large (over 20 MB)", async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 0x31);
    const r = await commitUpload(user.id, {
      fileName: "big.csv",
      contentBase64: big.toString("base64"),
      mapping,
      options: noOptions,
      newAssetName: "bad-big",
    });
    expect(r).toMatchObject({ ok: false, reasons: ["the file is larger than 20 MB"] });
    await nothingStored();
  });

  it("a .xlsx name on a file that is not a workbook", async () => {
    const r = await commitUpload(user.id, {
      fileName: "x.xlsx",
      contentBase64: b64("time,kwh\n"),
      mapping,
      options: noOptions,
      newAssetName: "bad-xlsx",
    });
    expect(r).toMatchObject({ ok: false, reasons: [expect.stringMatching(/not an XLSX workbook/)] });
    await nothingStored();
  });
});

describe("upload report, resampling and gap filling", () => {
  it("reports duplicates, order, unparsable rows, NaN and gaps; forward-fills short gaps", async () => {
    const rows = minuteRows(40);
    rows[5] = "2024-03-01 00:04:00,99"; // duplicate of 00:04 (row 6 in the file): the first (value 4) is kept
    rows[9] = "not a time,9"; // unparsable timestamp, file row 11
    rows[12] = "2024-03-01 00:12:00,NaN";
    rows.splice(20, 3); // 00:20–00:22 missing: a gap of 3 steps
    const tmp = rows[30];
    rows[30] = rows[31];
    rows[31] = tmp; // one step back in time
    const csv = ["time,kwh", ...rows].join("\r\n");
    const r = await commitUpload(user.id, {
      fileName: "minutes.csv",
      contentBase64: b64(csv),
      mapping,
      options: { resampleSeconds: null, fill: "ffill", maxGapSteps: 5 },
      newAssetName: "minutes",
    });
    if (!r.ok) throw new Error(r.reasons.join("; "));
    const rep = r.report;
    expect(rep.inferredFrequencySeconds).toBe(60);
    expect(rep.duplicates).toMatchObject({
      count: 1,
      first: [{ row: 7, firstRow: 6, timestamp: "2024-03-01T00:04:00.000Z" }],
    });
    expect(rep.unparsable.first).toEqual([
      { row: 11, column: "time", value: "not a time", reason: "not a recognised timestamp" },
    ]);
    expect(rep.nanInf.count).toBe(1);
    expect(rep.nonMonotonic.count).toBe(1);
    // 00:05 (overwritten by the duplicate) and 00:09 (unparsable row) are 1-step gaps; 00:19 → 00:23 a 3-step gap.
    expect(rep.gaps.count).toBe(3);
    expect(rep.gaps.missingSteps).toBe(5);
    expect(rep.gaps.largest).toEqual({
      from: "2024-03-01T00:19:00.000Z",
      to: "2024-03-01T00:23:00.000Z",
      seconds: 240,
    });
    // Filled: 00:05, 00:09, 00:20, 00:21, 00:22 (inserted) and 00:12 (NaN) → 6 points.
    expect(rep.filled).toBe(6);

    const s = await loadSeries({ assetId: r.assetId, userId: user.id });
    expect(s.values.length).toBe(40);
    expect(s.frequencySeconds).toBe(60);
    const at = (m: number) => s.values[s.timestamps.indexOf(Date.UTC(2024, 2, 1, 0, m))];
    expect(at(4)).toBe(4);
    expect(at(5)).toBe(4);
    expect(at(12)).toBe(11);
    expect([at(20), at(21), at(22)]).toEqual([19, 19, 19]);
    expect(s.flags[s.timestamps.indexOf(Date.UTC(2024, 2, 1, 0, 21))] & POINT_FLAGS.FILLED).toBeTruthy();

    // The original file is kept under our name, not the user's.
    const up = await db()("energyUploads").where({ id: r.uploadId }).first();
    expect(up.originalName).toBe("minutes.csv");
    expect(up.storedName).toBe(`energy-${r.uploadId}.csv`);
    const file = uploadKey(user.id, r.uploadId, up.storedName);
    expect((await artifacts().get(file)).toString("utf8")).toBe(csv);

    // Deleting the asset removes its points, uploads and the file.
    await user.caller.energy.assets.delete({ id: r.assetId });
    expect(await artifacts().exists(file)).toBe(false);
    const [{ n }] = await db()("energySeriesPoints").where({ assetId: r.assetId }).count({ n: "*" });
    expect(Number(n)).toBe(0);
    expect(await db()("energyUploads").where({ id: r.uploadId }).first()).toBeUndefined();
  });

  it("resamples an XLSX to 20 min (mean / last) and interpolates linearly", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("data");
    ws.addRow(["time", "kwh", "temp", "mode"]);
    const t0 = Date.UTC(2024, 0, 1);
    const data: [number, number, number, string][] = [
      [0, 1, 10, "a"],
      [10, 3, 20, "b"], // bucket 00:00 → kwh 2, temp 15, mode b
      [20, 5, 30, "b"],
      [30, 7, 40, "c"], // bucket 00:20 → 6, 35, c
      // 00:40 and 01:00 have no rows
      [80, 12, 50, "d"], // bucket 01:20 → 12
    ];
    for (const [m, kwh, temp, mode] of data) ws.addRow([new Date(t0 + m * 60_000), kwh, temp, mode]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const inspected = await user.caller.energy.uploads.inspect({
      fileName: "r.xlsx",
      contentBase64: buf.toString("base64"),
    });
    if (!inspected.ok) throw new Error("inspect failed");
    expect(inspected.columns.map((c) => c.inferredType)).toEqual(["timestamp", "numeric", "numeric", "categorical"]);

    const r = await user.caller.energy.uploads.commit({
      fileName: "r.xlsx",
      contentBase64: buf.toString("base64"),
      mapping: {
        timestampColumn: "time",
        targetColumn: "kwh",
        covariates: [
          { column: "temp", kind: "numeric" },
          { column: "mode", kind: "categorical" },
        ],
      },
      options: { resampleSeconds: 1200, fill: "linear", maxGapSteps: 2 },
      newAssetName: `resampled-${Date.now()}`,
    });
    if (!r.ok) throw new Error(r.reasons.join("; "));
    expect(r.report).toMatchObject({
      frequencySeconds: 1200,
      inferredFrequencySeconds: 600,
      resampled: true,
      filled: 2,
    });
    const s = await loadSeries({ assetId: r.assetId, userId: user.id });
    expect(Array.from(s.timestamps, (t) => (t - t0) / 60_000)).toEqual([0, 20, 40, 60, 80]);
    expect(Array.from(s.values)).toEqual([2, 6, 8, 10, 12]);
    const temp = s.covariates[0],
      mode = s.covariates[1];
    expect(temp.kind === "numeric" && Array.from(temp.values)).toEqual([15, 35, 40, 45, 50]);
    expect(mode.kind === "categorical" && mode.values).toEqual(["b", "c", "c", "c", "d"]);
    expect(Array.from(s.flags)).toEqual([0, 0, POINT_FLAGS.FILLED, POINT_FLAGS.FILLED, 0]);

    // Appending the same file again adds nothing new (every timestamp overlaps).
    const again = await user.caller.energy.uploads.commit({
      fileName: "r.xlsx",
      contentBase64: buf.toString("base64"),
      mapping: {
        timestampColumn: "time",
        targetColumn: "kwh",
        covariates: [
          { column: "temp", kind: "numeric" },
          { column: "mode", kind: "categorical" },
        ],
      },
      options: { resampleSeconds: 1200, fill: "linear", maxGapSteps: 2 },
      assetId: r.assetId,
    });
    expect(again).toMatchObject({ ok: true, pointsAdded: 0, overlapping: 5 });
    // A different frequency is refused for an asset that has points.
    const other = await user.caller.energy.uploads.commit({
      fileName: "r.xlsx",
      contentBase64: buf.toString("base64"),
      mapping: {
        timestampColumn: "time",
        targetColumn: "kwh",
        covariates: [
          { column: "temp", kind: "numeric" },
          { column: "mode", kind: "categorical" },
        ],
      },
      assetId: r.assetId,
    });
    expect(other).toMatchObject({
      ok: false,
      reasons: [expect.stringMatching(/frequency \(600 s\) differs from the asset's \(1200 s\)/)],
    });
  });

  it("reads dd/mm/yyyy HH:MM timestamps as UTC", async () => {
    const csv = "time;kwh\n31/12/2023 23:45;1,5\n01/01/2024 00:00;2\n";
    // ';' delimiter: "1,5" is not a number in this product (decimal point only) → 1 of 2 cells bad → rejected.
    const r = await commitUpload(user.id, {
      fileName: "d.csv",
      contentBase64: b64(csv),
      mapping,
      options: noOptions,
      newAssetName: `dmy-${Date.now()}`,
    });
    expect(r.ok).toBe(false);
    const ok = await commitUpload(user.id, {
      fileName: "d.csv",
      contentBase64: b64(csv.replace("1,5", "1.5")),
      mapping,
      options: noOptions,
      newAssetName: `dmy-${Date.now()}`,
    });
    if (!ok.ok) throw new Error(ok.reasons.join("; "));
    expect(ok.report.firstTs).toBe("2023-12-31T23:45:00.000Z");
    expect(ok.report.frequencySeconds).toBe(900);
  });
});
