import type { Knex } from "knex";

/** The user's language (zh-CN or en); NULL: the browser's (cookie, then Accept-Language). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.string("locale", 8).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("locale");
  });
}
