/**
 * The test-job XLSX speaks the language of the user who started the test (sheet names and
 * headers); the values, and the CSV's machine-readable header, are the same in every language.
 */
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { buildCsv, buildXlsx, type ExportInput } from "./exports.js";
import type { TestJobConfig } from "../../schemas/testing.js";

const metrics = { n: 2, mse: 0.01, rmse: 0.1, mae: 0.1, r2: 0.9, rmspe: 0.05, rmspeExcluded: 0 };
const input = (locale?: "zh-CN" | "en"): ExportInput => ({
  testJobId: 7,
  name: "t",
  createdAt: new Date("2026-01-02T03:04:00Z"),
  cfg: {
    versionId: 1,
    version: { name: "v", algorithm: "baseline", target: "pcl", window: 1, horizon: 0, features: ["f"] },
    datasetName: "d",
    source: "builtin",
    preset: null,
    cellKeys: ["c1"],
    targets: ["pcl"],
    horizon: 0,
    ...(locale ? { locale } : {}),
  } as unknown as TestJobConfig,
  overall: { pcl: metrics },
  cells: [
    {
      cellKey: "c1",
      metrics: { pcl: metrics },
      cycle: [1, 2],
      byTarget: { pcl: { yTrue: [0.1, 0.2], yPred: [0.1, 0.3] } },
    } as unknown as ExportInput["cells"][number],
  ],
});

async function book(locale?: "zh-CN" | "en") {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildXlsx(input(locale))) as unknown as ArrayBuffer);
  return wb;
}

describe("test-job XLSX in the user's language", () => {
  it("names sheets and headers in Chinese for a Chinese user, keeping the values", async () => {
    const wb = await book("zh-CN");
    expect(wb.worksheets.map((w) => w.name)).toEqual(["概要", "总体指标", "各电池指标", "明细"]);
    expect(wb.getWorksheet("明细")!.getRow(1).values).toEqual([
      ,
      "电池",
      "循环",
      "预测目标",
      "真实值",
      "预测值",
      "残差",
    ]);
    expect(wb.getWorksheet("明细")!.getRow(2).values).toEqual([, "c1", 1, "pcl", 0.1, 0.1, 0]);
    expect(wb.getWorksheet("概要")!.getCell("A2").value).toBe("测试作业");
  });

  it("stays English for English users and for jobs stored before the language was recorded; CSV is English in both", async () => {
    for (const l of ["en", undefined] as const)
      expect((await book(l)).worksheets.map((w) => w.name)).toEqual(["meta", "overall", "per_cell", "detail"]);
    expect(buildCsv(input("zh-CN")).split("\n")[0]).toBe("cell,cycle,target,y_true,y_pred,residual");
  });
});
