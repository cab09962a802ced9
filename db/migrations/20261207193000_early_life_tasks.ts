import type { Knex } from "knex";

/**
 * Early-life cycle-life prediction tasks (issue #22): the request (config), the queue job that
 * fits and scores the model, and the result (the fitted linear model, the cross-validation choice,
 * per-cell predicted vs true cycle life and RMSE / MAPE per test group) as JSON — a task holds at
 * most a few hundred cells, so one row is enough.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("early_life_tasks", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    // A deleted upload leaves the result readable: config keeps the dataset's name and cells.
    t.bigInteger("dataset_id").unsigned().nullable().references("battery_datasets.id").onDelete("SET NULL").index();
    t.bigInteger("job_id").unsigned().nullable().references("jobs.id").onDelete("SET NULL").index();
    t.string("name", 120).notNullable();
    t.string("final_status", 16).nullable();
    t.json("config").notNullable();
    t.json("result").nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["user_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("early_life_tasks");
}
