import type { Knex } from "knex";

/**
 * Energy Lab anomaly detection.
 * - anomaly_detectors: a quantile detector fitted on the forecast-residual scores of one energy
 *   model version (thresholds, settings, the range it was fitted on, score summary).
 * - anomaly_detections: batch runs (an energy.detect job) over a time range of the asset or an
 *   uploaded file; events and counts in JSON, per-point results as an artifact
 *   ({userId}/exports/detection-{detectionId}/points.json).
 * - anomaly_stream_points: points scored in real time (anomaly.score), with their forecast, score
 *   and flag; they rebuild the lookback buffer after a restart and feed the live page.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("anomaly_detectors", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("model_version_id")
      .unsigned()
      .notNullable()
      .references("energy_model_versions.id")
      .onDelete("CASCADE")
      .index();
    t.bigInteger("asset_id").unsigned().notNullable().references("energy_assets.id").onDelete("CASCADE").index();
    t.string("name", 200).notNullable();
    // {lowQuantile, highQuantile, scoreMode: raw|width, mergeGap, excludeLabelled}
    t.json("settings").notNullable();
    // NULL: that side is unset (one-sided detector).
    t.double("low_threshold").nullable();
    t.double("high_threshold").nullable();
    // {fromTs, toTs, points (scored clean points), excludedDropout, excludedLabelled, unscored}
    t.json("fitted_range").notNullable();
    // Score distribution of the fit points: {n, mean, min, p50, p90, p99, p999, max}
    t.json("summary").notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable("anomaly_detections", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("detector_id").unsigned().notNullable().references("anomaly_detectors.id").onDelete("CASCADE").index();
    t.string("source", 16).notNullable(); // range | upload
    // {from, to} or {fileName, storedName, mapping, options}; merge gap
    t.json("request").notNullable();
    t.string("status", 16).notNullable(); // queued | running | done | failed | cancelled
    t.bigInteger("job_id").unsigned().nullable().references("jobs.id").onDelete("SET NULL").index();
    // {points, scored, flagged, events, fromTs, toTs, seconds}
    t.json("summary").nullable();
    t.json("events").nullable();
    t.text("error").nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable("anomaly_stream_points", (t) => {
    t.bigInteger("detector_id").unsigned().notNullable().references("anomaly_detectors.id").onDelete("CASCADE");
    t.datetime("ts", { precision: 3 }).notNullable();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.double("value").nullable();
    // Covariate values in the asset's covariate order.
    t.json("covariates").nullable();
    t.double("q10").nullable();
    t.double("q50").nullable();
    t.double("q90").nullable();
    t.double("score").nullable();
    t.boolean("flag").notNullable().defaultTo(false);
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(["detector_id", "ts"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("anomaly_stream_points");
  await knex.schema.dropTableIfExists("anomaly_detections");
  await knex.schema.dropTableIfExists("anomaly_detectors");
}
