import type { Knex } from "knex";

/**
 * Energy Lab data: assets (a series with a target and optional covariates; user_id NULL =
 * built-in), their points on a time grid, labelled anomaly windows, and uploads (files a
 * user sent, stored under DATA_DIR/{userId}/uploads/{uploadId}/{storedName}).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("energy_assets", (t) => {
    t.bigIncrements("id").primary();
    // NULL: built-in, readable by every user and writable by none.
    t.bigInteger("user_id").unsigned().nullable().references("users.id").onDelete("CASCADE").index();
    t.string("name", 200).notNullable();
    t.string("source", 16).notNullable(); // builtin | user
    t.text("description").nullable();
    t.string("unit", 32).nullable();
    // Regular step of the stored grid; NULL until the first points arrive.
    t.integer("frequency_seconds").unsigned().nullable();
    t.string("target_name", 200).notNullable().defaultTo("value");
    // [{name, kind: numeric|categorical, role: past|future}] in the order of energy_series_points.covariates.
    t.json("covariates").notNullable();
    // Data-quality notes (seed or last upload): duplicates dropped, dropouts flagged, ...
    t.json("notes").nullable();
    t.integer("point_count").unsigned().notNullable().defaultTo(0);
    t.datetime("first_ts", { precision: 3 }).nullable();
    t.datetime("last_ts", { precision: 3 }).nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["source", "name"]);
  });

  await knex.schema.createTable("energy_series_points", (t) => {
    t.bigInteger("asset_id").unsigned().notNullable().references("energy_assets.id").onDelete("CASCADE");
    t.datetime("ts", { precision: 3 }).notNullable(); // UTC
    t.double("value").nullable(); // NULL: missing
    // Covariate values in the asset's covariate order: numbers (or null) and category strings.
    t.json("covariates").nullable();
    // Bit flags: 1 = suspect/dropout (exclude from "clean" data), 2 = gap-filled.
    t.tinyint("flags").unsigned().notNullable().defaultTo(0);
    t.primary(["asset_id", "ts"]);
  });

  await knex.schema.createTable("energy_anomaly_windows", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("asset_id").unsigned().notNullable().references("energy_assets.id").onDelete("CASCADE").index();
    t.datetime("start_ts", { precision: 3 }).notNullable();
    t.datetime("end_ts", { precision: 3 }).notNullable();
    t.datetime("label_ts", { precision: 3 }).nullable(); // the labelled anomaly point the window is centred on
    t.string("label", 200).notNullable();
    t.string("source", 32).notNullable(); // e.g. nab
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable("energy_uploads", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("asset_id").unsigned().notNullable().references("energy_assets.id").onDelete("CASCADE").index();
    // Display only: the file on disk is DATA_DIR/{userId}/uploads/{id}/{stored_name}.
    t.string("original_name", 255).notNullable();
    t.string("stored_name", 64).notNullable();
    t.string("format", 8).notNullable(); // csv | xlsx
    t.bigInteger("size_bytes").unsigned().notNullable();
    t.integer("row_count").unsigned().notNullable();
    t.integer("points_added").unsigned().notNullable();
    t.json("mapping").notNullable();
    t.json("report").notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("energy_uploads");
  await knex.schema.dropTableIfExists("energy_anomaly_windows");
  await knex.schema.dropTableIfExists("energy_series_points");
  await knex.schema.dropTableIfExists("energy_assets");
}
