import type { Knex } from "knex";

/**
 * Streaming anomaly detectors (server/services/anomaly/streaming.ts): a detector has a kind
 * (quantile: thresholds on one model version's forecast residuals; streaming: the online
 * detector on the asset's raw values, no model version). `streaming` holds its settings and
 * probation; `stream_state` is its state after the last point it read in real time (stream_ts),
 * so real-time scoring resumes where it stopped.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("anomaly_detectors", (t) => {
    t.string("kind", 16).notNullable().defaultTo("quantile");
    t.bigInteger("model_version_id").unsigned().nullable().alter();
    // {threshold, …StreamingSettings, stepSeconds, probation, startTs, probationEndTs}
    t.json("streaming").nullable();
    t.json("stream_state").nullable();
    t.datetime("stream_ts", { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex("anomaly_detectors").whereNull("model_version_id").delete();
  await knex.schema.alterTable("anomaly_detectors", (t) => {
    t.dropColumn("stream_ts");
    t.dropColumn("stream_state");
    t.dropColumn("streaming");
    t.bigInteger("model_version_id").unsigned().notNullable().alter();
    t.dropColumn("kind");
  });
}
