import type { Knex } from "knex";

/** Browser sessions: the JWT carries the row's id, so a session can be ended before it expires. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sessions", (t) => {
    // 24 random bytes, base64url: the JWT's jti.
    t.string("id", 32).primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.timestamp("expires_at", { precision: 3 }).notNullable().index();
    t.timestamp("revoked_at", { precision: 3 }).nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("sessions");
}
