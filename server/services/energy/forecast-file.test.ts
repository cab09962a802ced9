/**
 * Forecast from an uploaded file (energyModels.forecastFromFile) on a synthetic 15-min asset
 * ("time,kwh") with a small GBDT version (L = 16, H = 4): a file holding the asset's last points
 * gives the same forecast as the asset itself; each bad file is refused naming the problem.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../../db/db.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createSyntheticAsset, syntheticCsv, trainReadyVersion } from "../../testing/anomaly-fixtures.js";

let user: TestUser;
let versionId: number;
const POINTS = 600;
const lines = syntheticCsv(POINTS).trim().split("\n");
const b64 = (text: string) => Buffer.from(text).toString("base64");
const file = (rows: string[], header = "time,kwh") => ({
  fileName: "recent.csv",
  contentBase64: b64([header, ...rows].join("\n") + "\n"),
});

beforeAll(async () => {
  user = await createTestUser("forecast-file");
  const assetId = await createSyntheticAsset(user, POINTS);
  versionId = (await trainReadyVersion(user.id, assetId, { lookback: 16, horizon: 4, epochs: 20 })).id;
}, 120_000);

afterAll(async () => {
  await closeDb();
});

const refusal = async (input: { fileName: string; contentBase64: string }) => {
  const e = await user.caller.energyModels.forecastFromFile({ id: versionId, ...input }).then(
    () => null,
    (err: Error) => err,
  );
  expect(e, "the file should be refused").not.toBeNull();
  return e!.message;
};

describe("forecast from an uploaded file", () => {
  it("a file with the asset's last points forecasts what the asset does, and gives the CSV", async () => {
    const asset = await user.caller.energyModels.forecast({ id: versionId });
    const got = await user.caller.energyModels.forecastFromFile({ id: versionId, ...file(lines.slice(-40)) });
    expect(got.forecast.map((p) => p.ts)).toEqual(asset.forecast.map((p) => p.ts));
    for (let h = 0; h < 4; h++) {
      expect(got.forecast[h].q10).toBeCloseTo(asset.forecast[h].q10, 4);
      expect(got.forecast[h].q50).toBeCloseTo(asset.forecast[h].q50, 4);
      expect(got.forecast[h].q90).toBeCloseTo(asset.forecast[h].q90, 4);
    }
    const csv = got.csv.trim().split("\n");
    expect(csv[0]).toBe("timestamp,q10,q50,q90");
    expect(csv).toHaveLength(5);
    expect(csv[1].split(",")[0]).toBe(new Date(asset.forecast[0].ts).toISOString());
  });

  it("forecasts after the file's own last point when the file goes on past the asset", async () => {
    const more = syntheticCsv(POINTS + 20)
      .trim()
      .split("\n")
      .slice(-30);
    const got = await user.caller.energyModels.forecastFromFile({ id: versionId, ...file(more) });
    const last = Date.parse(more.at(-1)!.split(",")[0].replace(" ", "T") + "Z");
    expect(got.forecast[0].ts).toBe(last + 900_000);
    expect(got.forecast.every((p) => p.q10 <= p.q50 && p.q50 <= p.q90)).toBe(true);
  });

  it("refuses a file without the asset's target column, naming it", async () => {
    const msg = await refusal(file(lines.slice(-40), "time,power"));
    expect(msg).toContain('no column "kwh"');
    expect(msg).toContain('"power"');
  });

  it("refuses a file at another frequency, naming both steps", async () => {
    const half = lines.slice(-80).filter((_, i) => i % 2 === 0);
    const msg = await refusal(file(half));
    expect(msg).toContain("30 min");
    expect(msg).toContain("15 min");
  });

  it("refuses a history shorter than the lookback, naming both lengths", async () => {
    const msg = await refusal(file(lines.slice(-10)));
    expect(msg).toContain("has 10 points");
    expect(msg).toContain("at least 16");
  });

  it("refuses a gap inside the last L points", async () => {
    const rows = lines.slice(-40);
    rows.splice(30, 6);
    const msg = await refusal(file(rows));
    expect(msg).toContain("gap");
  });

  it("refuses a file without timestamps", async () => {
    const msg = await refusal(file(lines.slice(-40).map((l) => `x${l.split(",")[0].length},${l.split(",")[1]}`)));
    expect(msg).toContain("no timestamp column");
  });
});
