import type { Knex } from "knex";

/** Per-user quota overrides set by the operator (npm run set-quota); NULL: the QUOTA_* default of server/env.ts. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.integer("quota_active_jobs").unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("quota_active_jobs");
  });
}
