import type { Knex } from "knex";

/**
 * Energy model versions: one trained forecaster (GBDT, LSTM, TiDE, TFT) of one asset, owned by
 * a user. Files live in the artifact store under {userId}/models/{versionId}/ (model.onnx,
 * config.json, xgboost-q*.json). `job_id` is the energy.train job that fills the row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("energy_model_versions", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.bigInteger("asset_id").unsigned().notNullable().references("energy_assets.id").onDelete("CASCADE").index();
    t.string("kind", 16).notNullable(); // gbdt | lstm | tide | tft
    t.string("status", 16).notNullable(); // queued | training | ready | failed | cancelled
    // The request (lookback, horizon, quantiles, epochs, lr, seed, …) and, once trained, the
    // forecaster config (scaling, columns, split).
    t.json("config").notNullable();
    // Tail evaluation: {mae, rmse, smape, mase, coverage, …, baseline: seasonal naive}.
    t.json("metrics").nullable();
    t.json("history").nullable();
    t.double("train_seconds").nullable();
    t.text("error").nullable();
    t.bigInteger("job_id").unsigned().nullable().references("jobs.id").onDelete("SET NULL").index();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(["user_id", "asset_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("energy_model_versions");
}
