/**
 * Quotas: the one definition of each per-user limit. The default comes from server/env.ts
 * (QUOTA_*); the operator raises or lowers it per user with `npm run set-quota` (a nullable
 * column on `users`, NULL meaning the default).
 *
 * Checks run inside the transaction that creates the work or the upload. Each locks the user's
 * row (SELECT … FOR UPDATE) before counting, so two creations by the same user run the check one
 * after the other and cannot both slip past the limit.
 *
 * Storage counts the uploaded files (battery and energy uploads, as recorded with their size) and
 * every other file stored under the user's folder (model files, test exports, detection results),
 * sized through the artifact store.
 */
import type { Knex } from "knex";
import { TRPCError } from "@trpc/server";
import { db } from "../../db/db.js";
import { env } from "../env.js";
import { WAITING_STATES } from "../../jobs/states.js";
import { artifacts } from "../storage/artifacts.js";
import { userPrefix, type ArtifactDomain } from "../storage/keys.js";

/** Each quota: its override column on `users` (camelCase) and its default. */
const QUOTAS = {
  activeJobs: { column: "quotaActiveJobs", fallback: () => env().QUOTA_ACTIVE_JOBS },
  uploads: { column: "quotaUploads", fallback: () => env().QUOTA_UPLOADS },
  storageMb: { column: "quotaStorageMb", fallback: () => env().QUOTA_STORAGE_MB },
  /** Per training task (nothing accumulates: `used` is always 0); see training/compute.ts. */
  taskTflop: { column: "quotaTaskTflop", fallback: () => env().QUOTA_TASK_TFLOP },
} as const;
export type QuotaName = keyof typeof QUOTAS;
export const QUOTA_NAMES = Object.keys(QUOTAS) as QuotaName[];

/** Job states that count against the active-jobs quota: waiting (queued, retrying) and running. */
export const ACTIVE_JOB_STATES = [...WAITING_STATES, "active"] as const;
const UPLOAD_TABLES = ["batteryUploads", "energyUploads"] as const;
const MB = 1024 * 1024;

export interface Usage {
  limit: number;
  used: number;
  overridden: boolean;
}
export type UserQuotas = Record<QuotaName, Usage>;

type Limits = Record<QuotaName, { limit: number; overridden: boolean }>;

async function limitsOf(userId: number, k: Knex, lock: boolean): Promise<Limits> {
  const q = k("users")
    .where({ id: userId })
    .first(...QUOTA_NAMES.map((n) => QUOTAS[n].column));
  const u: Record<string, number | null> | undefined = await (lock ? q.forUpdate() : q);
  return Object.fromEntries(
    QUOTA_NAMES.map((n) => {
      const o = u?.[QUOTAS[n].column];
      return [
        n,
        o == null ? { limit: QUOTAS[n].fallback(), overridden: false } : { limit: Number(o), overridden: true },
      ];
    }),
  ) as Limits;
}

async function countActiveJobs(userId: number, k: Knex): Promise<number> {
  const row = await k("jobs")
    .where({ userId })
    .whereIn("state", [...ACTIVE_JOB_STATES])
    .count({ n: "*" })
    .first();
  return Number(row?.n ?? 0);
}

/** Upload folders: their files are counted from the upload rows' recorded sizes. */
const UPLOAD_DOMAINS: readonly ArtifactDomain[] = ["battery-uploads", "energy-uploads"];

/** Bytes of the user's stored files other than uploads (models, exports, detection results). */
async function storedArtifactBytes(userId: number): Promise<number> {
  const files = await artifacts().listSized(userPrefix(userId));
  return files
    .filter((f) => !UPLOAD_DOMAINS.includes(f.key.split("/")[1] as ArtifactDomain))
    .reduce((sum, f) => sum + f.size, 0);
}

async function uploadUsage(userId: number, k: Knex): Promise<{ uploads: number; bytes: number }> {
  let uploads = 0,
    bytes = await storedArtifactBytes(userId);
  for (const t of UPLOAD_TABLES) {
    const r = await k(t).where({ userId }).count({ n: "*" }).sum({ b: "sizeBytes" }).first();
    uploads += Number(r?.n ?? 0);
    bytes += Number(r?.b ?? 0);
  }
  return { uploads, bytes };
}

/** The user's limits and what they use now (for forms; storage in MB). */
export async function userQuotas(userId: number, k: Knex = db()): Promise<UserQuotas> {
  const limits = await limitsOf(userId, k, false);
  const up = await uploadUsage(userId, k);
  const used: Record<QuotaName, number> = {
    activeJobs: await countActiveJobs(userId, k),
    uploads: up.uploads,
    storageMb: Math.round((up.bytes / MB) * 10) / 10,
    taskTflop: 0,
  };
  return Object.fromEntries(QUOTA_NAMES.map((n) => [n, { ...limits[n], used: used[n] }])) as UserQuotas;
}

/**
 * Refuses (TOO_MANY_REQUESTS, naming the limit and the count) when `adding` more jobs would take
 * the user past the active-jobs quota. Call it inside the creating transaction, before the jobs
 * are sent through the same transaction: the row lock holds until it commits.
 */
export async function checkActiveJobs(trx: Knex.Transaction, userId: number, adding: number): Promise<void> {
  const { limit } = (await limitsOf(userId, trx, true)).activeJobs;
  const used = await countActiveJobs(userId, trx);
  if (used + adding > limit) {
    const what = adding === 1 ? "1 more job" : `${adding} more jobs`;
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many queued or running jobs: your limit is ${limit} and ${used} are active, so ${what} cannot be started. Wait for some to finish or cancel them.`,
    });
  }
}

/**
 * Refuses (BAD_REQUEST, naming the estimate and the limit) a training task whose estimated compute
 * (training/compute.ts: samples × epochs × repeats × algorithms × model size) passes the user's
 * per-task limit. Call it inside the creating transaction.
 */
export async function checkTaskCompute(trx: Knex.Transaction, userId: number, tflop: number): Promise<void> {
  const { limit } = (await limitsOf(userId, trx, true)).taskTflop;
  if (tflop > limit) {
    const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en") : v.toPrecision(3));
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `This task needs about ${fmt(tflop)} TFLOP of training (samples × epochs × repeats × algorithms × model size); your limit per task is ${fmt(limit)} TFLOP. Use fewer epochs, repeats or algorithms, or smaller models (the operator can raise the limit with npm run set-quota).`,
    });
  }
}

/**
 * Refuses (PAYLOAD_TOO_LARGE for storage, TOO_MANY_REQUESTS for the count) an upload of `bytes`
 * that would pass the user's upload count or storage. Call it inside the upload's transaction,
 * before the file is written.
 */
export async function checkUpload(trx: Knex.Transaction, userId: number, bytes: number): Promise<void> {
  const limits = await limitsOf(userId, trx, true);
  const used = await uploadUsage(userId, trx);
  if (used.uploads + 1 > limits.uploads.limit) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Upload limit reached: your limit is ${limits.uploads.limit} uploads and you have ${used.uploads}. Delete an upload (its dataset or asset) first.`,
    });
  }
  const limitBytes = limits.storageMb.limit * MB;
  if (used.bytes + bytes > limitBytes) {
    const mb = (b: number) => `${(b / MB).toFixed(1)} MB`;
    throw new TRPCError({
      code: "PAYLOAD_TOO_LARGE",
      message: `Storage limit reached: your limit is ${limits.storageMb.limit} MB, your uploads and stored models, exports and results use ${mb(used.bytes)} and this file is ${mb(bytes)}. Delete an upload or a model version first.`,
    });
  }
}

/** Operator: sets (a number) or clears (null: back to the default) a user's override. */
export async function setUserQuota(
  userId: number,
  name: QuotaName,
  value: number | null,
  k: Knex = db(),
): Promise<void> {
  if (value !== null && (!Number.isInteger(value) || value < 0))
    throw new Error(`${name} must be a whole number ≥ 0 (or "default"), got ${value}`);
  const n = await k("users")
    .where({ id: userId })
    .update({ [QUOTAS[name].column]: value });
  if (!n) throw new Error(`no user #${userId}`);
}
