import type { Knex } from "knex";

/**
 * One status vocabulary (PENDING / RUNNING / SUCCEEDED / FAILED / CANCELED) for energy model
 * versions and batch detections, like every other kind of work. Their `status` column is from
 * now on the row's recorded outcome, read only once the job has been purged; while the job
 * exists the status users see is the job's (jobs/lifecycle.ts rowStatus). Existing rows keep
 * their meaning: queued → PENDING, training/running → RUNNING, ready/done → SUCCEEDED, …
 */
const UP: Record<string, Record<string, string>> = {
  energy_model_versions: {
    queued: "PENDING",
    training: "RUNNING",
    ready: "SUCCEEDED",
    failed: "FAILED",
    cancelled: "CANCELED",
  },
  anomaly_detections: {
    queued: "PENDING",
    running: "RUNNING",
    done: "SUCCEEDED",
    failed: "FAILED",
    cancelled: "CANCELED",
  },
};

async function remap(knex: Knex, table: string, map: Record<string, string>) {
  for (const [from, to] of Object.entries(map)) await knex(table).where("status", from).update({ status: to });
}

export async function up(knex: Knex): Promise<void> {
  for (const [table, map] of Object.entries(UP)) await remap(knex, table, map);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, map] of Object.entries(UP)) {
    // RUNNING goes back to the domain's own word for it; every other status has one word.
    await remap(knex, table, Object.fromEntries(Object.entries(map).map(([a, b]) => [b, a])));
  }
}
