/**
 * Forecast from an uploaded file: a CSV/XLSX of recent history in the asset's columns (a
 * timestamp column, the asset's target column, the model's numeric covariates), read and
 * prepared like an upload (prepare.ts: sorted, duplicates dropped, gaps up to 4 steps filled
 * linearly), then the version's model forecasts the H steps after the file's last point. Nothing
 * is stored. Each problem is refused naming it: missing columns, another frequency than the
 * model's, fewer points than the lookback, a gap inside the last L points.
 */
import { fieldError } from "../../trpc/errors.js";
import { inferColumns, readTable, UploadRejected } from "./parse-file.js";
import { prepareSeries, seriesFromPoints } from "./prepare.js";
import { forecastAfter, forecastCsv, readyVersion } from "./models.js";

const FILE_FIELD = "contentBase64";
const duration = (s: number) =>
  s % 86_400 === 0 ? `${s / 86_400} d` : s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;

export async function forecastFromFile(userId: number, input: { id: number; fileName: string; contentBase64: string }) {
  const { v, asset, f } = await readyVersion(userId, input.id);
  const { lookback: L, frequencySeconds, pastCovariates, futureCovariates } = f.config;
  const refuse = (message: string) => fieldError("BAD_REQUEST", FILE_FIELD, message);
  let table;
  try {
    table = await readTable(input.fileName, Buffer.from(input.contentBase64, "base64"));
  } catch (e) {
    if (e instanceof UploadRejected) throw refuse(`The file cannot be read: ${e.reasons.join("; ")}`);
    throw e;
  }
  const needed = [asset.targetName, ...pastCovariates, ...futureCovariates];
  const missing = needed.filter((c) => !table.headers.includes(c));
  if (missing.length) {
    throw refuse(
      `The file has no column ${missing.map((c) => `"${c}"`).join(", ")} (this model reads ${needed.map((c) => `"${c}"`).join(", ")} and a timestamp column); its columns are ${table.headers.map((c) => `"${c}"`).join(", ")}`,
    );
  }
  const tsColumn = inferColumns(table).find((c) => c.inferredType === "timestamp" && !needed.includes(c.name))?.name;
  if (!tsColumn)
    throw refuse(`The file has no timestamp column (its columns are ${table.headers.map((c) => `"${c}"`).join(", ")})`);
  const covSpecs = asset.covariates.filter(
    (c) => c.kind === "numeric" && [...pastCovariates, ...futureCovariates].includes(c.name),
  );
  const prepared = prepareSeries(
    table,
    {
      timestampColumn: tsColumn,
      targetColumn: asset.targetName,
      covariates: covSpecs.map((c) => ({ column: c.name, kind: c.kind })),
    },
    { resampleSeconds: null, fill: "linear", maxGapSteps: 4 },
  );
  if (!prepared.ok) throw refuse(`The file is not usable: ${prepared.reasons.join("; ")}`);
  const step = prepared.report.inferredFrequencySeconds;
  if (step === null)
    throw refuse(
      `The file has ${prepared.report.points} point(s); the model needs the last ${L} points at a ${duration(frequencySeconds)} step`,
    );
  if (Math.abs(step - frequencySeconds) > 0.01 * frequencySeconds) {
    throw refuse(
      `The file's time step is ${duration(Math.round(step))}; this model was trained on ${duration(frequencySeconds)} data (resample the file or choose another version)`,
    );
  }
  const series = seriesFromPoints(prepared.points, {
    assetId: asset.id,
    targetName: asset.targetName,
    unit: asset.unit,
    frequencySeconds,
    covariates: covSpecs,
  });
  const T = series.timestamps.length;
  if (T < L)
    throw refuse(
      `The file has ${T} points; this model needs at least ${L} (${duration(L * frequencySeconds)} of history at a ${duration(frequencySeconds)} step)`,
    );
  const stepMs = frequencySeconds * 1000;
  for (let i = T - L + 1; i < T; i++) {
    const d = series.timestamps[i] - series.timestamps[i - 1];
    if (Math.abs(d - stepMs) > 0.01 * stepMs) {
      throw refuse(
        `The last ${L} points of the file have a gap from ${new Date(series.timestamps[i - 1]).toISOString()} to ${new Date(series.timestamps[i]).toISOString()}; the model needs them without gaps`,
      );
    }
  }
  const finite = Array.from(series.values.subarray(T - L)).filter(Number.isFinite).length;
  if (finite < L / 2)
    throw refuse(
      `Column "${asset.targetName}" has ${finite} numeric values among the last ${L} points; the model needs at least half of them`,
    );
  const fc = await forecastAfter(v, asset, f, series);
  return {
    ...fc,
    source: "file" as const,
    fileName: input.fileName,
    filename: `forecast-${fc.kind}-${fc.versionId}-from-file.csv`,
    csv: forecastCsv(fc),
  };
}
