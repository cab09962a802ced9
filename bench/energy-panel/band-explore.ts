/**
 * Band exploration (dev series only): the coverage on the held-out tail of the band Auto's chosen
 * model gets with each band mode of band-scale.ts ("fixed": split-conformal offsets as before;
 * the adaptive bands, s from the lookback's one-day or one-step differences, centred on the median
 * or on each quantile), and, where over 10 % of the validation part is unusual, the best seasonal
 * candidate's (the fallback rule to decide). Auto trains once per series (seed 1, as run.ts); only
 * the calibration differs.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/energy-panel/band-explore.ts --shard 1/2
 * Writes .local/band-explore.<i>of<n>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { closeDb, db } from "../../db/db.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import { seasonalScale } from "../../server/ml/forecast-metrics.js";
import {
  BAND_MODES,
  bandScaleLag,
  calibrationScale,
  effectiveScale,
  windowScale,
} from "../../server/services/energy/band-scale.js";
import { conformalOffsets } from "../../server/services/energy/calibration.js";
import { trainAuto } from "../../server/services/energy/auto.js";
import { forecastDefaults, HELD_OUT_FRACTION } from "../../server/services/energy/defaults.js";
import {
  calibrationOrigins,
  isSeasonalKind,
  fitCandidate,
  prepareTraining,
  windowForecasts,
  type FittedCandidate,
  type ForecastKind,
  type PreparedTraining,
} from "../../server/services/energy/forecasting.js";
import { loadSeries, type LoadedSeries } from "../../server/services/energy/series.js";
import { BUILTIN_STEEL_NAME } from "../../server/services/energy/types.js";
import { withoutUnusual } from "../../server/services/energy/unusual-points.js";
import { loadNab } from "./nab-series.js";
import { DEV } from "./series-sets.js";

const args = process.argv.slice(2);
const shard = (args[args.indexOf("--shard") + 1] ?? "1/1").split("/").map(Number);
db();

/** Tail coverage, MASE and width of each band mode, applied in TypeScript to the raw forecasts (band-scale.test.ts checks the graph applies it the same way). */
async function bands(p: PreparedTraining, c: Pick<FittedCandidate, "write" | "config">) {
  const { origins } = calibrationOrigins(p, c.config.kind);
  const raw = c.write(null);
  const w = await windowForecasts(raw, c.config, p, origins);
  const { actual } = withoutUnusual(w.actual, origins, p.H, p.unusual);
  const tailOrigins: number[] = [];
  for (let o = p.trainPoints; o + p.H <= p.T; o += p.H) tailOrigins.push(o);
  const t = await windowForecasts(raw, c.config, p, tailOrigins);
  const scale = seasonalScale(p.m.target.subarray(0, p.trainPoints), p.season);
  const out: Record<string, unknown> = {};
  for (const mode of BAND_MODES) {
    const sc = calibrationScale(p, origins, isSeasonalKind(c.config.kind), mode);
    const centre = sc?.band.median !== undefined ? "median" : "quantile";
    const cal = conformalOffsets(actual, w.forecast, p.quantiles, sc?.perPoint, centre);
    const lag = bandScaleLag(p.L, p.season, mode);
    let k = 0,
      inside = 0,
      err = 0,
      width = 0;
    tailOrigins.forEach((o, i) => {
      const s = sc && lag ? effectiveScale(windowScale(p.m.target.subarray(o - p.L, o), lag), sc.band) : 1;
      for (let h = 0; h < p.H; h++) {
        const j = i * p.H + h,
          y = t.actual[j];
        if (!Number.isFinite(y)) continue;
        const f = (q: number) => t.forecast[j * 3 + (centre === "median" ? 1 : q)] + cal.offsets[q] * s;
        const [lo, mid, hi] = [f(0), f(1), f(2)].sort((a, b) => a - b);
        k++;
        if (y >= lo && y <= hi) inside++;
        err += Math.abs(y - mid);
        width += hi - lo;
      }
    });
    out[mode] = {
      coverage: +(inside / k).toFixed(3),
      mase: +(err / k / scale).toFixed(3),
      widthOverScale: +(width / k / scale).toFixed(2),
      calCoverage: +cal.coverageAfter.toFixed(3),
    };
  }
  return out;
}

const rows: Record<string, unknown>[] = [];
for (const name of DEV.filter((_, i) => i % shard[1] === shard[0] - 1)) {
  let series: LoadedSeries;
  if (name === "steel") {
    const asset = await EnergyAsset.query().findOne({ name: BUILTIN_STEEL_NAME }).whereNull("userId");
    series = await loadSeries({ assetId: asset!.id, userId: 0 });
  } else ({ series } = loadNab(name));
  const d = forecastDefaults(series.frequencySeconds!, series.timestamps.length);
  const opts = { lookback: d.lookback, horizon: d.horizon, fraction: HELD_OUT_FRACTION };
  const auto = await trainAuto(series, { ...opts, seed: 1, calibrate: false });
  const p = prepareTraining(series, opts);
  const chosen = auto.trained as unknown as FittedCandidate;
  let flagged = 0;
  for (let t = p.valStart; t < p.trainPoints; t++) flagged += p.unusual[t];
  const row: Record<string, unknown> = {
    series: name,
    chosen: chosen.config.kind,
    validationUnusual: flagged / (p.trainPoints - p.valStart),
    chosenBands: await bands(p, chosen),
  };
  const seasonal = auto.candidates
    .filter((c) => c.kind.startsWith("seasonal") && c.valMae !== null)
    .sort((a, b) => a.valMae! - b.valMae!)[0];
  if (seasonal && seasonal.kind !== chosen.config.kind && (row.validationUnusual as number) > 0.1) {
    const s = await fitCandidate(p, { ...opts, kind: seasonal.kind as ForecastKind });
    row.bestSeasonal = seasonal.kind;
    row.bestSeasonalBands = await bands(p, s);
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}
mkdirSync(".local", { recursive: true });
writeFileSync(`.local/band-explore.${shard[0]}of${shard[1]}.json`, JSON.stringify(rows, null, 1));
await closeDb();
