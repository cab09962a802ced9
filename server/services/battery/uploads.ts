/**
 * Battery uploads: a valid file becomes an upload row, a dataset owned by the user, its cells and
 * cycles, and the file in the artifact store at {userId}/battery-uploads/{uploadId}/{storedName}; an
 * invalid one leaves nothing behind (no row, no file). Writes happen in one transaction; the file
 * is put (atomically) before the commit, and removed if anything fails.
 */
import path from "node:path";
import { db } from "../../../db/db.js";
import { BatteryUpload } from "../../../db/models/battery-upload.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { parseUpload, problem, type UploadProblem } from "./upload-parse.js";
import { insertSeries, type CellSeries } from "./store.js";
import { UPLOAD_LIMITS } from "../../schemas/battery.js";
import { checkUpload } from "../quotas.js";
import { ownedOrNotFound } from "../owned.js";

/** The upload's file key; without a stored name, its folder. */
export function uploadKey(userId: number, uploadId: number, storedName?: string): string {
  return artifactKey(userId, "battery-uploads", uploadId, storedName);
}

export type UploadResult =
  | {
      ok: true;
      uploadId: number;
      datasetId: number;
      cells: number;
      rows: number;
      features: string[];
      warnings: string[];
      /** The warnings as catalog keys with parameters (the page shows them in the user's language). */
      notes: { key: string; params?: Record<string, unknown> }[];
    }
  | { ok: false; problems: UploadProblem[] };

export async function createUpload(
  userId: number,
  input: { fileName: string; contentBase64: string; name?: string; nominalCapacityAh?: number; eolSoh?: number },
): Promise<UploadResult> {
  const buf = Buffer.from(input.contentBase64, "base64");
  if (buf.length > UPLOAD_LIMITS.maxBytes) {
    return { ok: false, problems: [problem(null, null, "tooLargePlain")] };
  }
  const parsed = await parseUpload(buf, input.fileName, {
    nominalCapacityAh: input.nominalCapacityAh,
    eolSoh: input.eolSoh ?? 0.8,
  });
  if (!parsed.ok) return parsed;
  const up = parsed.upload;
  const storedName = `source.${up.format}`; // never from the user
  const originalName = path.basename(input.fileName.replace(/\\/g, "/")).slice(0, 255) || "upload";
  let written: string | undefined; // the folder, once the file is put
  try {
    const ids = await db().transaction(async (trx) => {
      await checkUpload(trx, userId, buf.length);
      const [uploadId] = await trx("batteryUploads").insert({
        userId,
        originalName,
        storedName,
        format: up.format,
        sizeBytes: buf.length,
        rowCount: up.rowCount,
        cellCount: up.cells.length,
      });
      const [datasetId] = await trx("batteryDatasets").insert({
        userId,
        uploadId,
        name: (input.name || originalName).slice(0, 200),
        source: "upload",
        description: `Uploaded from ${originalName}`,
        features: JSON.stringify(up.features),
        targetDerived: JSON.stringify(up.targetDerived),
        nominalCapacityAh: input.nominalCapacityAh ?? null,
        eolSoh: input.eolSoh ?? 0.8,
        cellCount: up.cells.length,
        cycleCount: up.rowCount,
      });
      await trx("batteryCells").insert(
        up.cells.map((c, i) => {
          const rul0 = c.values.rul?.[0];
          return {
            datasetId,
            cellKey: c.cellKey,
            position: i + 1,
            cycleLife: Number.isFinite(rul0) ? Math.round(c.cycle[0] + rul0) : null,
            nCycles: c.cycle.length,
            firstCycle: c.cycle[0],
            lastCycle: c.cycle[c.cycle.length - 1],
            features: JSON.stringify(up.features.filter((f) => c.values[f]?.some(Number.isFinite))),
          };
        }),
      );
      const cellRows: { id: number; cellKey: string }[] = await trx("batteryCells")
        .where({ datasetId })
        .select("id", "cellKey");
      const idOf = new Map(cellRows.map((r) => [r.cellKey, r.id]));
      const series: CellSeries[] = up.cells.map((c) => ({
        cellId: idOf.get(c.cellKey)!,
        cycle: c.cycle,
        values: c.values,
      }));
      await insertSeries(trx, datasetId, series);

      written = uploadKey(userId, uploadId);
      await artifacts().put(uploadKey(userId, uploadId, storedName), buf);
      return { uploadId: uploadId as number, datasetId: datasetId as number };
    });
    return {
      ok: true,
      ...ids,
      cells: up.cells.length,
      rows: up.rowCount,
      features: up.features,
      warnings: up.warnings,
      notes: up.notes,
    };
  } catch (e) {
    if (written) await artifacts().deletePrefix(written);
    throw e;
  }
}

export async function listUploads(userId: number) {
  const rows = await db()("batteryUploads as u")
    .leftJoin("batteryDatasets as d", "d.uploadId", "u.id")
    .where("u.userId", userId)
    .orderBy("u.id", "desc")
    .select(
      "u.id",
      "u.originalName",
      "u.format",
      "u.sizeBytes",
      "u.rowCount",
      "u.cellCount",
      "u.createdAt",
      "d.id as datasetId",
      "d.name as datasetName",
      "d.features",
    );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    originalName: r.originalName as string,
    format: r.format as string,
    sizeBytes: Number(r.sizeBytes),
    rowCount: r.rowCount as number,
    cellCount: r.cellCount as number,
    createdAt: r.createdAt as Date,
    datasetId: r.datasetId as number,
    datasetName: r.datasetName as string,
    features: (typeof r.features === "string" ? JSON.parse(r.features) : r.features) as string[],
  }));
}

/** Deletes the upload, its dataset and rows (cascade), then its files. Foreign ids are NOT_FOUND. */
export async function deleteUpload(userId: number, uploadId: number): Promise<{ deleted: true }> {
  await ownedOrNotFound(BatteryUpload, uploadId, userId, "battery:errors.uploadNotFound");
  await db().transaction(async (trx) => {
    // Datasets first: battery_cycles/cells cascade from them.
    await trx("batteryDatasets").where({ uploadId, userId }).delete();
    await trx("batteryUploads").where({ id: uploadId, userId }).delete();
  });
  await artifacts().deletePrefix(uploadKey(userId, uploadId));
  return { deleted: true };
}
