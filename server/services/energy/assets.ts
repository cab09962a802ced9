/** Energy assets: list (own + built-in), create, rename, delete, details and chart data. */
import { fieldError } from "../../trpc/errors.js";
import { db } from "../../../db/db.js";
import { EnergyAsset } from "../../../db/models/energy-asset.js";
import { EnergyUpload } from "../../../db/models/energy-upload.js";
import { EnergyAnomalyWindow } from "../../../db/models/energy-anomaly-window.js";
import { readableAsset, writableAsset } from "./access.js";
import { removeUploadFiles } from "./storage.js";
import { POINT_FLAGS } from "./types.js";
import { lttbIndices } from "../../lib/downsample.js";

export async function listAssets(userId: number) {
  const rows = await EnergyAsset.query()
    .where((q) => q.where({ userId }).orWhereNull("userId"))
    .orderByRaw("user_id IS NULL DESC")
    .orderBy("name");
  return rows.map((a) => a.toPublic());
}

export async function createAsset(
  userId: number,
  input: { name: string; description?: string | null; unit?: string | null },
) {
  const dup = await EnergyAsset.query().findOne({ userId, name: input.name.trim() });
  if (dup) throw fieldError("CONFLICT", "name", "energy:errors.nameTaken");
  const a = await EnergyAsset.query().insertAndFetch({
    userId,
    name: input.name.trim(),
    source: "user",
    description: input.description?.trim() || null,
    unit: input.unit?.trim() || null,
    frequencySeconds: null,
    targetName: "value",
    covariates: [],
    notes: null,
    pointCount: 0,
  });
  return a.toPublic();
}

export async function renameAsset(userId: number, id: number, name: string) {
  await writableAsset(userId, id);
  const dup = await EnergyAsset.query().findOne({ userId, name: name.trim() }).whereNot({ id });
  if (dup) throw fieldError("CONFLICT", "name", "energy:errors.nameTaken");
  return (await EnergyAsset.query().patchAndFetchById(id, { name: name.trim() })).toPublic();
}

/** Removes the asset, its points and uploads (rows cascade), then the uploaded files. */
export async function deleteAsset(userId: number, id: number) {
  await writableAsset(userId, id);
  const uploads = await EnergyUpload.query().where({ assetId: id, userId });
  await EnergyAsset.query().deleteById(id);
  for (const u of uploads) await removeUploadFiles(userId, u.id);
  return { id, deletedUploads: uploads.length };
}

export async function getAsset(userId: number, id: number) {
  const a = await readableAsset(userId, id);
  const windows = await EnergyAnomalyWindow.query().where({ assetId: id }).orderBy("startTs");
  const [stats] = await db()("energySeriesPoints")
    .where({ assetId: id })
    .select(
      db().raw("COUNT(*) AS n"),
      db().raw("COUNT(value) AS n_values"),
      db().raw("MIN(value) AS min"),
      db().raw("MAX(value) AS max"),
      db().raw("AVG(value) AS mean"),
      db().raw("STDDEV_SAMP(value) AS std"),
      db().raw("SUM(flags & ? <> 0) AS dropouts", [POINT_FLAGS.DROPOUT]),
      db().raw("SUM(flags & ? <> 0) AS filled", [POINT_FLAGS.FILLED]),
      db().raw("MIN(ts) AS first_ts"),
      db().raw("MAX(ts) AS last_ts"),
    );
  const uploads =
    a.userId === null ? [] : await EnergyUpload.query().where({ assetId: id, userId }).orderBy("id", "desc");
  return {
    asset: a.toPublic(),
    stats: {
      points: Number(stats.n),
      values: Number(stats.nValues),
      missing: Number(stats.n) - Number(stats.nValues),
      min: stats.min as number | null,
      max: stats.max as number | null,
      mean: stats.mean === null ? null : Number(stats.mean),
      std: stats.std === null ? null : Number(stats.std),
      dropouts: Number(stats.dropouts ?? 0),
      filled: Number(stats.filled ?? 0),
      firstTs: stats.firstTs as Date | null,
      lastTs: stats.lastTs as Date | null,
    },
    windows: windows.map((w) => ({
      id: w.id,
      startTs: w.startTs,
      endTs: w.endTs,
      labelTs: w.labelTs,
      label: w.label,
      source: w.source,
    })),
    uploads: uploads.map((u) => ({
      id: u.id,
      originalName: u.originalName,
      format: u.format,
      sizeBytes: u.sizeBytes,
      rowCount: u.rowCount,
      pointsAdded: u.pointsAdded,
      createdAt: u.createdAt,
    })),
  };
}

export const RANGE_MS = { "1d": 86_400_000, "1w": 7 * 86_400_000, "1m": 30 * 86_400_000, all: Infinity } as const;
export type SeriesRange = keyof typeof RANGE_MS;

/**
 * Chart data: the last `range` of the series (ending at `end`, default the last point),
 * LTTB-downsampled to at most `maxPoints` (display only; missing values are skipped).
 */
export async function seriesForChart(
  userId: number,
  id: number,
  range: SeriesRange,
  maxPoints = 2000,
  end?: Date | null,
) {
  await readableAsset(userId, id);
  const last = end ?? (await db()("energySeriesPoints").where({ assetId: id }).max({ m: "ts" }).first())?.m;
  const q = db()("energySeriesPoints").where({ assetId: id }).orderBy("ts").select("ts", "value", "flags");
  if (last && range !== "all")
    q.where("ts", ">", new Date(new Date(last).getTime() - RANGE_MS[range])).where("ts", "<=", last);
  const rows: { ts: Date; value: number | null; flags: number }[] = await q;
  const finite = rows.filter((r) => r.value !== null && Number.isFinite(r.value));
  const idx = lttbIndices(
    finite.map((r) => r.ts.getTime()),
    finite.map((r) => r.value as number),
    maxPoints,
  );
  return {
    totalPoints: rows.length,
    t: idx.map((i) => finite[i].ts.getTime()),
    v: idx.map((i) => finite[i].value as number),
    flagged: rows.flatMap((r) => (r.flags & POINT_FLAGS.DROPOUT ? [{ t: r.ts.getTime(), v: r.value }] : [])),
  };
}
