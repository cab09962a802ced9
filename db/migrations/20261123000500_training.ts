import type { Knex } from "knex";

/**
 * Battery Lab training: a task (dataset, split, target, features, algorithms and settings),
 * one run per algorithm (each run is one job of the queue; the job group id is the task's
 * group_id), and the model versions that successful runs produce. Files of a version live in
 * the artifact store under {userId}/models/{versionId}/ (checkpoint.pt, model.onnx, config.json).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("training_tasks", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    t.bigInteger("dataset_id").unsigned().notNullable().references("battery_datasets.id").onDelete("CASCADE").index();
    t.string("name", 120).notNullable();
    // The job group the task's runs share (one live subscription follows the whole task).
    t.string("group_id", 64).notNullable().unique();
    // The validated input (server/schemas/training.ts createTaskInput) plus the system-fixed settings.
    t.json("config").notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["user_id", "id"]);
  });

  await knex.schema.createTable("training_runs", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("task_id").unsigned().notNullable().references("training_tasks.id").onDelete("CASCADE");
    t.string("algorithm", 16).notNullable(); // baseline | bilstm | deephpm
    // The job that runs it; jobs are purged some days after they finish, the run keeps its outcome.
    t.bigInteger("job_id").unsigned().nullable().references("jobs.id").onDelete("SET NULL").index();
    // Status when the job row is gone (kept in step by the handler and by cancel).
    t.string("final_status", 16).nullable();
    // Metrics (per seed and mean ± std), training history of the kept seed, data sizes.
    t.json("result").nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(["task_id", "algorithm"]);
  });

  await knex.schema.createTable("model_versions", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    t.bigInteger("task_id").unsigned().nullable().references("training_tasks.id").onDelete("SET NULL").index();
    t.bigInteger("run_id").unsigned().nullable().references("training_runs.id").onDelete("SET NULL").unique();
    // A deleted dataset leaves the version usable: its lineage keeps the dataset's name and cells.
    t.bigInteger("dataset_id").unsigned().nullable().references("battery_datasets.id").onDelete("SET NULL").index();
    t.string("name", 120).notNullable();
    t.string("algorithm", 16).notNullable();
    t.string("target", 8).notNullable(); // rul | pcl | both
    t.string("dataset_name", 200).notNullable();
    t.integer("best_epoch").unsigned().notNullable();
    t.json("config").notNullable(); // model spec, training settings
    t.json("lineage").notNullable(); // dataset, cells, features, split, normalisation statistics
    t.json("metrics").notNullable(); // per seed and mean ± std, validation and test
    t.json("history").notNullable(); // per-epoch losses of the kept seed
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["user_id", "algorithm", "target"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("model_versions");
  await knex.schema.dropTableIfExists("training_runs");
  await knex.schema.dropTableIfExists("training_tasks");
}
