/**
 * Series uploads in two steps. inspect: parse the file, return its columns (inferred types)
 * and a preview; nothing is stored. commit: parse again with the user's mapping and options,
 * validate, and either store nothing (invalid: {ok:false, reasons, report}) or, in one
 * transaction, append the points to an own asset (or a new one), record the upload, and keep
 * the original file in the artifact store at {userId}/energy-uploads/{uploadId}/energy-{uploadId}.{ext}
 * (an atomic put; removed again if the transaction fails).
 */
import { db } from "../../../db/db.js";
import { EnergyAsset } from "../../../db/models/energy-asset.js";
import { EnergyUpload } from "../../../db/models/energy-upload.js";
import { checkUpload } from "../quotas.js";
import { writableAsset } from "./access.js";
import { inspectTable, readTable, UploadRejected, type Table } from "./parse-file.js";
import { prepareSeries, type ColumnMapping, type PrepareOptions, type UploadReport } from "./prepare.js";
import { removeUploadFiles, storedNameFor, uploadKey, writeUploadFile } from "./storage.js";
import { UPLOAD_LIMITS, type CovariateSpec } from "./types.js";
import { reason, reasonTexts, type Reason } from "./reasons.js";
import { fieldError, userError } from "../../trpc/errors.js";

const BATCH = 5_000;

function decode(contentBase64: string): Buffer {
  // base64 grows by 4/3: refuse before decoding anything far too large.
  if (contentBase64.length > Math.ceil((UPLOAD_LIMITS.maxBytes * 4) / 3) + 4) {
    throw new UploadRejected([reason("energy:reasons.tooLarge")]);
  }
  return Buffer.from(contentBase64, "base64");
}

export async function inspectUpload(input: { fileName: string; contentBase64: string }) {
  try {
    const table = await readTable(input.fileName, decode(input.contentBase64));
    return { ok: true as const, ...inspectTable(table) };
  } catch (e) {
    if (e instanceof UploadRejected) return { ok: false as const, reasons: e.reasons, reasonRefs: e.refs };
    throw e;
  }
}

export interface CommitInput {
  fileName: string;
  contentBase64: string;
  mapping: ColumnMapping;
  options: PrepareOptions;
  /** Append to this own asset, or create a new one named newAssetName. */
  assetId?: number | null;
  newAssetName?: string | null;
  unit?: string | null;
}

export type CommitResult =
  | { ok: true; uploadId: number; assetId: number; pointsAdded: number; overlapping: number; report: UploadReport }
  | { ok: false; reasons: string[]; reasonRefs: Reason[]; report: UploadReport | null };

function covariateSpecs(mapping: ColumnMapping): CovariateSpec[] {
  return mapping.covariates.map((c) => ({ name: c.column, kind: c.kind, role: "past" }));
}

export async function commitUpload(userId: number, input: CommitInput): Promise<CommitResult> {
  // Ownership first: a foreign or built-in asset fails before the file is even read.
  const target = input.assetId ? await writableAsset(userId, input.assetId) : null;
  if (!target && !input.newAssetName?.trim()) throw userError("BAD_REQUEST", "energy:errors.assetOrName");
  if (!target) {
    const dup = await EnergyAsset.query().findOne({ userId, name: input.newAssetName!.trim() });
    if (dup) throw fieldError("CONFLICT", "newAssetName", "energy:errors.nameTaken");
  }

  let buf: Buffer;
  let table: Table;
  try {
    buf = decode(input.contentBase64);
    table = await readTable(input.fileName, buf);
  } catch (e) {
    if (e instanceof UploadRejected) return { ok: false, reasons: e.reasons, reasonRefs: e.refs, report: null };
    throw e;
  }
  const prepared = prepareSeries(table, input.mapping, input.options);
  if (!prepared.ok)
    return { ok: false, reasons: prepared.reasons, reasonRefs: prepared.reasonRefs, report: prepared.report };
  const { report, points } = prepared;
  const covs = covariateSpecs(input.mapping);

  if (target) {
    const reasons: Reason[] = [];
    if (target.pointCount > 0 && target.frequencySeconds && report.frequencySeconds !== target.frequencySeconds) {
      reasons.push(
        reason("energy:reasons.frequencyDiffers", { file: report.frequencySeconds, asset: target.frequencySeconds }),
      );
    }
    if (
      target.pointCount > 0 &&
      JSON.stringify(target.covariates.map((c) => [c.name, c.kind])) !==
        JSON.stringify(covs.map((c) => [c.name, c.kind]))
    ) {
      reasons.push(
        reason("energy:reasons.covariatesDiffer", {
          covariates: target.covariates.map((c) => `${c.name} (${c.kind})`).join(", ") || "–",
        }),
      );
    }
    if (reasons.length) return { ok: false, reasons: reasonTexts(reasons), reasonRefs: reasons, report };
  }

  let written: number | null = null; // the upload id whose file was written
  try {
    const result = await db().transaction(async (trx) => {
      await checkUpload(trx, userId, buf.length);
      let assetId: number;
      if (target) {
        assetId = target.id;
      } else {
        const created = await EnergyAsset.query(trx).insert({
          userId,
          name: input.newAssetName!.trim(),
          source: "user",
          description: `Uploaded from ${input.fileName}`.slice(0, 1000),
          unit: input.unit?.trim() || null,
          frequencySeconds: report.frequencySeconds,
          targetName: input.mapping.targetColumn,
          covariates: covs,
          notes: null,
          pointCount: 0,
        });
        assetId = created.id;
      }
      // Timestamps the asset already holds are kept as they are (counted as overlapping).
      const existing = new Set<number>();
      if (target && target.pointCount > 0 && points.length) {
        const rows: { ts: Date }[] = await trx("energySeriesPoints")
          .where({ assetId })
          .whereBetween("ts", [new Date(points[0].ts), new Date(points.at(-1)!.ts)])
          .select("ts");
        for (const r of rows) existing.add(r.ts.getTime());
      }
      const fresh = points.filter((p) => !existing.has(p.ts));
      const upload = await EnergyUpload.query(trx).insert({
        userId,
        assetId,
        originalName: input.fileName.slice(0, 255),
        storedName: "pending",
        format: table.format,
        sizeBytes: buf.length,
        rowCount: table.rows.length,
        pointsAdded: fresh.length,
        mapping: { ...input.mapping, options: input.options } as unknown as Record<string, unknown>,
        report: { ...report, overlapping: existing.size } as unknown as Record<string, unknown>,
      });
      const storedName = storedNameFor(upload.id, table.format);
      await EnergyUpload.query(trx).patch({ storedName }).where({ id: upload.id });
      for (let i = 0; i < fresh.length; i += BATCH) {
        await trx("energySeriesPoints").insert(
          fresh.slice(i, i + BATCH).map((p) => ({
            assetId,
            ts: new Date(p.ts),
            value: p.value,
            covariates: p.covariates.length ? JSON.stringify(p.covariates) : null,
            flags: p.flags,
          })),
        );
      }
      const [agg] = await trx("energySeriesPoints")
        .where({ assetId })
        .select(trx.raw("COUNT(*) AS n"), trx.raw("MIN(ts) AS first_ts"), trx.raw("MAX(ts) AS last_ts"));
      await EnergyAsset.query(trx)
        .patch({
          pointCount: Number(agg.n),
          firstTs: agg.firstTs,
          lastTs: agg.lastTs,
          frequencySeconds:
            target?.frequencySeconds && target.pointCount > 0 ? target.frequencySeconds : report.frequencySeconds,
          ...(target && target.pointCount === 0 ? { covariates: covs, targetName: input.mapping.targetColumn } : {}),
          notes: {
            lastUpload: {
              uploadId: upload.id,
              duplicates: report.duplicates.count,
              gaps: report.gaps.count,
              filled: report.filled,
            },
          },
        })
        .where({ id: assetId });
      // The file last, inside the transaction: if writing fails, nothing is committed.
      written = upload.id;
      await writeUploadFile(uploadKey(userId, upload.id, storedName), buf);
      return { uploadId: upload.id, assetId, pointsAdded: fresh.length, overlapping: existing.size };
    });
    return { ok: true, ...result, report };
  } catch (e) {
    if (written) await removeUploadFiles(userId, written);
    throw e;
  }
}

export async function listUploads(userId: number, assetId?: number) {
  const q = EnergyUpload.query().where({ userId }).orderBy("id", "desc");
  if (assetId) q.where({ assetId });
  const rows = await q;
  return rows.map((u) => ({
    id: u.id,
    assetId: u.assetId,
    originalName: u.originalName,
    format: u.format,
    sizeBytes: u.sizeBytes,
    rowCount: u.rowCount,
    pointsAdded: u.pointsAdded,
    report: u.report,
    createdAt: u.createdAt,
  }));
}
