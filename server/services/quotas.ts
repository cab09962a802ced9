/**
 * Quotas: the one definition of each per-user limit. The default comes from server/env.ts
 * (QUOTA_*); the operator raises or lowers it per user with `npm run set-quota` (a nullable
 * column on `users`, NULL meaning the default).
 *
 * Queued + running jobs: checked inside the transaction that creates the work. The check locks
 * the user's row (SELECT … FOR UPDATE) before counting, so two creations by the same user run
 * the check one after the other and cannot both slip past the limit.
 */
import type { Knex } from "knex";
import { TRPCError } from "@trpc/server";
import { db } from "../../db/db.js";
import { env } from "../env.js";
import { WAITING_STATES } from "../../jobs/states.js";

export const QUOTA_FIELDS = { activeJobs: "quotaActiveJobs" } as const;
export type QuotaName = keyof typeof QUOTA_FIELDS;

/** Job states that count against the active-jobs quota: waiting (queued, retrying) and running. */
export const ACTIVE_JOB_STATES = [...WAITING_STATES, "active"] as const;

export interface UserQuotas {
  activeJobs: { limit: number; used: number; overridden: boolean };
}

function limitOf(override: number | null | undefined): { limit: number; overridden: boolean } {
  return override == null ? { limit: env().QUOTA_ACTIVE_JOBS, overridden: false } : { limit: override, overridden: true };
}

async function countActiveJobs(userId: number, k: Knex): Promise<number> {
  const row = await k("jobs").where({ userId }).whereIn("state", [...ACTIVE_JOB_STATES]).count({ n: "*" }).first();
  return Number(row?.n ?? 0);
}

/** The user's limits and what they use now (for forms). */
export async function userQuotas(userId: number, k: Knex = db()): Promise<UserQuotas> {
  const u = await k("users").where({ id: userId }).first(QUOTA_FIELDS.activeJobs);
  return { activeJobs: { ...limitOf(u?.[QUOTA_FIELDS.activeJobs]), used: await countActiveJobs(userId, k) } };
}

/**
 * Refuses (TOO_MANY_REQUESTS, naming the limit and the count) when `adding` more jobs would take
 * the user past the active-jobs quota. Call it inside the creating transaction, before the jobs
 * are sent through the same transaction: the row lock holds until it commits.
 */
export async function checkActiveJobs(trx: Knex.Transaction, userId: number, adding: number): Promise<void> {
  const u = await trx("users").where({ id: userId }).forUpdate().first(QUOTA_FIELDS.activeJobs);
  const { limit } = limitOf(u?.[QUOTA_FIELDS.activeJobs]);
  const used = await countActiveJobs(userId, trx);
  if (used + adding > limit) {
    const what = adding === 1 ? "1 more job" : `${adding} more jobs`;
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many queued or running jobs: your limit is ${limit} and ${used} are active, so ${what} cannot be started. Wait for some to finish or cancel them.`,
    });
  }
}

/** Operator: sets (a number) or clears (null: back to the default) a user's override. */
export async function setUserQuota(userId: number, name: QuotaName, value: number | null, k: Knex = db()): Promise<void> {
  if (value !== null && (!Number.isInteger(value) || value < 0)) throw new Error(`${name} must be a whole number ≥ 0 (or "default"), got ${value}`);
  const n = await k("users").where({ id: userId }).update({ [QUOTA_FIELDS[name]]: value });
  if (!n) throw new Error(`no user #${userId}`);
}
