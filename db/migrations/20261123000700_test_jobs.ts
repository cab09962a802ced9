import type { Knex } from "knex";

/**
 * Battery Lab testing: a test job evaluates one model version on built-in cells or an upload.
 * `test_jobs` holds the request (config, with a snapshot of the version so the result outlives
 * it), the queue job that runs it, and the metrics (overall and per cell). Per-sample results
 * are one row per (test job, cell) in `test_job_cells` with a compact binary blob (Float64
 * columns: cycle, then y_true and y_pred per target): 40 cells × ~1,000 cycles × 2 targets is
 * 40 rows of ~40 KB instead of 80,000 rows. Exports live in the artifact store under
 * {userId}/exports/{testJobId}/result.csv | result.xlsx.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("test_jobs", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    // A deleted version leaves the test readable: config keeps its name, algorithm and settings.
    t.bigInteger("version_id").unsigned().nullable().references("model_versions.id").onDelete("SET NULL").index();
    // A deleted upload leaves the result; config keeps the dataset's name and the cells.
    t.bigInteger("dataset_id").unsigned().nullable().references("battery_datasets.id").onDelete("SET NULL").index();
    t.bigInteger("job_id").unsigned().nullable().references("jobs.id").onDelete("SET NULL").index();
    t.string("name", 120).notNullable();
    // Status once the job row is purged (kept in step by the handler and by cancel).
    t.string("final_status", 16).nullable();
    t.json("config").notNullable();
    // Overall and per-cell metrics, sample counts, export file sizes; null until it finishes.
    t.json("result").nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["user_id", "id"]);
  });

  await knex.schema.createTable("test_job_cells", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("test_job_id").unsigned().notNullable().references("test_jobs.id").onDelete("CASCADE");
    t.integer("position").unsigned().notNullable();
    t.string("cell_key", 64).notNullable();
    t.integer("n_samples").unsigned().notNullable();
    t.json("metrics").notNullable();
    t.specificType("samples", "MEDIUMBLOB").notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(["test_job_id", "position"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("test_job_cells");
  await knex.schema.dropTableIfExists("test_jobs");
}
