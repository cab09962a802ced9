import type { Knex } from "knex";

/** The fair claim (jobs/queue.ts fetch) walks one user's waiting jobs in priority, id order. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX jobs_user_fetch_idx ON jobs (waiting, user_id, priority DESC, id)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX jobs_user_fetch_idx ON jobs");
}
