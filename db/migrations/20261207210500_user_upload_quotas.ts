import type { Knex } from "knex";

/** Per-user upload quota overrides (npm run set-quota); NULL: QUOTA_UPLOADS / QUOTA_STORAGE_MB of server/env.ts. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.integer("quota_uploads").unsigned().nullable();
    t.integer("quota_storage_mb").unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("quota_uploads");
    t.dropColumn("quota_storage_mb");
  });
}
