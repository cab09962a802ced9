/**
 * Operator command: raise (or lower) one user's quotas, or put them back to the QUOTA_* default:
 *   npm run set-quota -- --email ada@example.com --active-jobs 100 --uploads 500 --storage-mb 10240 --task-tflop 5000
 *   npm run set-quota -- --email ada@example.com --active-jobs default
 *   npm run set-quota -- --email ada@example.com            # prints the user's limits and usage
 * Exit codes: 0 done, 1 refused (no such user, database error), 2 bad input (nothing changed).
 */
import { parseArgs } from "node:util";
import { db, closeDb } from "../db/db.js";
import { User } from "../db/models/user.js";
import { normaliseEmail } from "../server/services/accounts.js";
import { setUserQuota, userQuotas, type QuotaName } from "../server/services/quotas.js";

const OPTIONS: Record<string, QuotaName> = {
  "active-jobs": "activeJobs",
  uploads: "uploads",
  "storage-mb": "storageMb",
  "task-tflop": "taskTflop",
};

const USAGE =
  "usage: npm run set-quota -- --email <email> [--active-jobs <n>|default] [--uploads <n>|default] [--storage-mb <n>|default] [--task-tflop <n>|default]";

/** A whole number ≥ 0, or null for "default"; undefined when the option is absent. */
function parseLimit(name: string, v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  if (v === "default") return null;
  if (!/^\d+$/.test(v) || Number(v) > 1_000_000)
    throw new Error(`--${name}: expected a whole number from 0 to 1000000 or "default", got "${v}"`);
  return Number(v);
}

async function main(): Promise<number> {
  let values;
  const changes: [QuotaName, number | null][] = [];
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        "active-jobs": { type: "string" },
        uploads: { type: "string" },
        "storage-mb": { type: "string" },
        "task-tflop": { type: "string" },
      },
    }));
    for (const [opt, name] of Object.entries(OPTIONS)) {
      const v = parseLimit(opt, (values as Record<string, string | undefined>)[opt]);
      if (v !== undefined) changes.push([name, v]);
    }
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.email) {
    console.error(USAGE);
    return 2;
  }
  db();
  const email = normaliseEmail(values.email);
  const user = await User.query().findOne({ email });
  if (!user) {
    console.error(`no account with email ${email}`);
    return 1;
  }
  await db().transaction(async (trx) => {
    for (const [name, v] of changes) await setUserQuota(user.id, name, v, trx);
  });
  const q = await userQuotas(user.id);
  const how = (u: { overridden: boolean }) => (u.overridden ? " (set for this user)" : " (default)");
  console.log(
    `user #${user.id} ${email}: active jobs ${q.activeJobs.used} of ${q.activeJobs.limit}${how(q.activeJobs)}; uploads ${q.uploads.used} of ${q.uploads.limit}${how(q.uploads)}; storage ${q.storageMb.used} MB of ${q.storageMb.limit} MB${how(q.storageMb)}; compute per training task ${q.taskTflop.limit} TFLOP${how(q.taskTflop)}`,
  );
  return 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(e instanceof Error ? e.message : e);
    await closeDb();
    process.exit(1);
  });
