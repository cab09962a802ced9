import type { Knex } from "knex";

/**
 * Battery Lab data: uploads (files a user sent), datasets (the built-in one has user_id NULL),
 * cells and per-cycle rows. The built-in features have a column each (fast typed reads for
 * analysis and training); features of uploaded files with other names go to `extra` (JSON).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("battery_uploads", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    // Display only: the file on disk is DATA_DIR/{userId}/uploads/{id}/{stored_name}.
    t.string("original_name", 255).notNullable();
    t.string("stored_name", 64).notNullable();
    t.string("format", 8).notNullable(); // csv | xlsx
    t.bigInteger("size_bytes").unsigned().notNullable();
    t.integer("row_count").unsigned().notNullable();
    t.integer("cell_count").unsigned().notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable("battery_datasets", (t) => {
    t.bigIncrements("id").primary();
    // NULL: built-in, readable by every user and writable by none.
    t.bigInteger("user_id").unsigned().nullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("upload_id").unsigned().nullable().references("battery_uploads.id").onDelete("CASCADE").unique();
    t.string("name", 200).notNullable();
    t.string("source", 16).notNullable(); // builtin | upload
    t.text("description").nullable();
    // Input features offered for analysis and training (never a target-derived column).
    t.json("features").notNullable();
    // Stored columns derived from the target (e.g. qdischarge_ah: PCL = 1 − QD/1.1): never offered as inputs.
    t.json("target_derived").notNullable();
    t.double("nominal_capacity_ah").nullable();
    t.double("eol_soh").nullable();
    t.integer("cell_count").unsigned().notNullable().defaultTo(0);
    t.integer("cycle_count").unsigned().notNullable().defaultTo(0);
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["source", "name"]);
  });

  await knex.schema.createTable("battery_cells", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("dataset_id").unsigned().notNullable().references("battery_datasets.id").onDelete("CASCADE");
    t.string("cell_key", 64).notNullable();
    t.integer("position").unsigned().notNullable(); // display order within the dataset
    t.tinyint("batch").unsigned().nullable();
    t.string("severson_split", 20).nullable();
    t.string("case_a", 8).nullable(); // Wen Case A role: train | test | NULL
    t.string("case_b", 8).nullable(); // Wen Case B role
    t.integer("cycle_life").nullable();
    t.integer("n_cycles").unsigned().notNullable();
    t.integer("first_cycle").notNullable();
    t.integer("last_cycle").notNullable();
    // Features with at least one value in this cell.
    t.json("features").notNullable();
    t.unique(["dataset_id", "cell_key"]);
    t.index(["dataset_id", "position"]);
  });

  await knex.schema.createTable("battery_cycles", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("dataset_id").unsigned().notNullable().references("battery_datasets.id").onDelete("CASCADE");
    t.bigInteger("cell_id").unsigned().notNullable().references("battery_cells.id").onDelete("CASCADE").index();
    t.integer("cycle").notNullable();
    t.double("rul").nullable();
    t.double("pcl").nullable();
    t.double("kong_slope").nullable();
    t.double("kong_intercept").nullable();
    t.double("tavg_c").nullable();
    t.double("ir_ohm").nullable();
    t.double("qcharge_ah").nullable();
    t.double("qdischarge_ah").nullable(); // target-derived, never an input
    t.double("tmin_c").nullable();
    t.double("tmax_c").nullable();
    t.double("charge_time_min").nullable();
    t.double("tavg_raw_c").nullable();
    t.json("extra").nullable(); // uploaded features without a column: {"name": value}
    t.unique(["dataset_id", "cell_id", "cycle"]);
  });

  // The same values, one row per (cell, column) holding the whole series as little-endian
  // float64 (NaN = missing). Written once with the rows (datasets never change afterwards) and
  // read by analysis and training: ~100k values arrive as a few hundred buffers instead of
  // ~100k parsed rows (about 10x faster in Node).
  await knex.schema.createTable("battery_cell_columns", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("dataset_id").unsigned().notNullable().references("battery_datasets.id").onDelete("CASCADE");
    t.bigInteger("cell_id").unsigned().notNullable().references("battery_cells.id").onDelete("CASCADE");
    t.string("name", 64).notNullable(); // cycle | rul | pcl | a feature | a target-derived column
    t.specificType("data", "LONGBLOB").notNullable();
    t.unique(["cell_id", "name"]);
    t.index(["dataset_id", "name"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("battery_cell_columns");
  await knex.schema.dropTableIfExists("battery_cycles");
  await knex.schema.dropTableIfExists("battery_cells");
  await knex.schema.dropTableIfExists("battery_datasets");
  await knex.schema.dropTableIfExists("battery_uploads");
}
