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
/** A duration as parameters of `energy:duration.*` (`{stepN: 30, stepUnit: "min"}`), nested in the messages. */
const duration = (name: string, s: number) => {
  const [n, unit] =
    s % 86_400 === 0 ? [s / 86_400, "d"] : s % 3600 === 0 ? [s / 3600, "h"] : s % 60 === 0 ? [s / 60, "min"] : [s, "s"];
  return { [`${name}N`]: n, [`${name}Unit`]: unit };
};
const quoted = (names: string[]) => names.map((c) => `"${c}"`).join(", ");

export async function forecastFromFile(userId: number, input: { id: number; fileName: string; contentBase64: string }) {
  const { v, asset, f } = await readyVersion(userId, input.id);
  const { lookback: L, frequencySeconds, pastCovariates, futureCovariates } = f.config;
  const refuse = (key: string, params?: Record<string, unknown>) => fieldError("BAD_REQUEST", FILE_FIELD, key, params);
  let table;
  try {
    table = await readTable(input.fileName, Buffer.from(input.contentBase64, "base64"));
  } catch (e) {
    if (e instanceof UploadRejected)
      throw refuse("forecast:errors.fileUnreadable", { reasonKey: e.refs[0].key, ...e.refs[0].params });
    throw e;
  }
  const needed = [asset.targetName, ...pastCovariates, ...futureCovariates];
  const missing = needed.filter((c) => !table.headers.includes(c));
  if (missing.length) {
    throw refuse("forecast:errors.fileMissingColumns", {
      missing: quoted(missing),
      needed: quoted(needed),
      columns: quoted(table.headers),
    });
  }
  const tsColumn = inferColumns(table).find((c) => c.inferredType === "timestamp" && !needed.includes(c.name))?.name;
  if (!tsColumn) throw refuse("forecast:errors.fileNoTimestamp", { columns: quoted(table.headers) });
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
  if (!prepared.ok)
    throw refuse("forecast:errors.fileNotUsable", {
      reasonKey: prepared.reasonRefs[0].key,
      ...prepared.reasonRefs[0].params,
    });
  const step = prepared.report.inferredFrequencySeconds;
  if (step === null)
    throw refuse("forecast:errors.fileOnePoint", {
      points: prepared.report.points,
      lookback: L,
      ...duration("step", frequencySeconds),
    });
  if (Math.abs(step - frequencySeconds) > 0.01 * frequencySeconds) {
    throw refuse("forecast:errors.fileStep", {
      ...duration("file", Math.round(step)),
      ...duration("step", frequencySeconds),
    });
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
    throw refuse("forecast:errors.fileTooShort", {
      points: T,
      lookback: L,
      ...duration("history", L * frequencySeconds),
      ...duration("step", frequencySeconds),
    });
  const stepMs = frequencySeconds * 1000;
  for (let i = T - L + 1; i < T; i++) {
    const d = series.timestamps[i] - series.timestamps[i - 1];
    if (Math.abs(d - stepMs) > 0.01 * stepMs) {
      throw refuse("forecast:errors.fileGap", {
        lookback: L,
        from: new Date(series.timestamps[i - 1]).toISOString(),
        to: new Date(series.timestamps[i]).toISOString(),
      });
    }
  }
  const finite = Array.from(series.values.subarray(T - L)).filter(Number.isFinite).length;
  if (finite < L / 2) throw refuse("forecast:errors.fileFewValues", { column: asset.targetName, finite, lookback: L });
  const fc = await forecastAfter(v, asset, f, series);
  return {
    ...fc,
    source: "file" as const,
    fileName: input.fileName,
    filename: `forecast-${fc.kind}-${fc.versionId}-from-file.csv`,
    csv: forecastCsv(fc),
  };
}
