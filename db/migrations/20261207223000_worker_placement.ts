import type { Knex } from "knex";

/**
 * Placing work (jobs/placement.ts): workers announce themselves (host, device, queues) and
 * heartbeat; a job may require or prefer a GPU.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("workers", (t) => {
    t.string("id", 120).primary();
    t.string("host", 255).notNullable();
    t.integer("pid").unsigned().notNullable();
    t.enum("device", ["cpu", "cuda"]).notNullable();
    t.string("device_name", 255).nullable();
    t.json("queues").notNullable();
    t.integer("concurrency").unsigned().notNullable();
    t.timestamp("started_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("heartbeat_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["heartbeat_at"], "workers_heartbeat_idx");
  });
  await knex.schema.alterTable("jobs", (t) => {
    t.enum("device", ["any", "prefer_gpu", "require_gpu"]).notNullable().defaultTo("any");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("jobs", (t) => {
    t.dropColumn("device");
  });
  await knex.schema.dropTable("workers");
}
