import type { Knex } from "knex";

/**
 * The fuller Severson data (issue #22):
 * - three early-life dQ/dV columns on battery_cycles (min, max, variance of the discharge dQ/dV
 *   between 2.7 and 3.3 V; the built-in dataset has them for cycles 2–100 only);
 * - battery_cell_early_life: one row per cell with Severson et al.'s ΔQ₁₀₀₋₁₀(V) curve
 *   (float64 little-endian, 1,000 points from 3.6 V to 2.0 V) and its summary statistics,
 *   the per-cell inputs of early-life cycle-life prediction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("battery_cycles", (t) => {
    t.double("dqdv_min").nullable();
    t.double("dqdv_max").nullable();
    t.double("dqdv_var").nullable();
  });

  await knex.schema.createTable("battery_cell_early_life", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("dataset_id").unsigned().notNullable().references("battery_datasets.id").onDelete("CASCADE").index();
    t.bigInteger("cell_id").unsigned().notNullable().references("battery_cells.id").onDelete("CASCADE").unique();
    // ΔQ₁₀₀₋₁₀(V) = Qd(cycle 100) − Qd(cycle 10) on the voltage grid (Ah).
    t.double("v_start").notNullable();
    t.double("v_end").notNullable();
    t.specificType("delta_q", "MEDIUMBLOB").notNullable();
    t.double("dq_log_var").notNullable(); // log10 of the population variance
    t.double("dq_min").notNullable();
    t.double("dq_mean").notNullable();
    t.double("dq_skew").notNullable();
    t.double("dq_kurt").notNullable(); // excess kurtosis
    t.double("dq_end_v").notNullable(); // value at the last grid point (v_end, 2.0 V)
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("battery_cell_early_life");
  await knex.schema.alterTable("battery_cycles", (t) => {
    t.dropColumn("dqdv_min");
    t.dropColumn("dqdv_max");
    t.dropColumn("dqdv_var");
  });
}
