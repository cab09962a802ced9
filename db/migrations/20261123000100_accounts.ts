import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("users", (t) => {
    t.bigIncrements("id").primary();
    t.string("email", 254).notNullable().unique();
    t.string("password_hash", 255).notNullable();
    t.string("display_name", 100).notNullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.schema.createTable("api_keys", (t) => {
    t.bigIncrements("id").primary();
    t.bigInteger("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE").index();
    t.string("name", 100).notNullable();
    // The first characters of the key, shown in lists so a user can tell keys apart.
    t.string("prefix", 16).notNullable();
    // SHA-256 of the whole key: keys are 32 random bytes, so a slow hash adds nothing.
    t.string("key_hash", 64).notNullable().unique();
    t.timestamp("last_used_at", { precision: 3 }).nullable();
    t.timestamp("revoked_at", { precision: 3 }).nullable();
    t.timestamp("created_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.timestamp("updated_at", { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("api_keys");
  await knex.schema.dropTableIfExists("users");
}
