import type { Knex } from "knex";

/** Per-user override of the per-task training compute limit (npm run set-quota); NULL: QUOTA_TASK_TFLOP. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.integer("quota_task_tflop").unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("quota_task_tflop");
  });
}
