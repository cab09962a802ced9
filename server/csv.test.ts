/** Finding 9 of issue #20: CSV formula injection. */
import { describe, it, expect } from "vitest";
import { parse } from "csv-parse/sync";
import { csvCell } from "./csv.js";
import { buildCsv, type ExportInput } from "./services/testing/exports.js";

describe("csvCell", () => {
  it("neutralises text that a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvCell("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)");
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
  });

  it("leaves numbers (negative ones too) and ordinary text as they are", () => {
    expect(csvCell(-0.25)).toBe("-0.25");
    expect(csvCell("cell 7")).toBe("cell 7");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(null)).toBe("");
  });
});

describe("test job CSV export", () => {
  it("a cell named like a formula comes out as text, and the numbers still parse", () => {
    const input = {
      cfg: { targets: ["pcl"] },
      cells: [
        {
          cellKey: '=HYPERLINK("http://evil.example")',
          cycle: [1, 2],
          byTarget: { pcl: { yTrue: [0.1, 0.2], yPred: [0.15, 0.1] } },
        },
      ],
    } as unknown as ExportInput;
    const rows = parse(buildCsv(input), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.cell).toBe('\'=HYPERLINK("http://evil.example")');
    expect(Number(rows[1]!.residual)).toBeCloseTo(-0.1, 12);
  });
});
