import type { Knex } from "knex";
import { knexSnakeCaseMappers } from "objection";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Knex configuration from a DATABASE_URL (mysql://user:pass@host:port/db). */
export function knexConfig(databaseUrl: string, pool = { min: 0, max: 10 }): Knex.Config {
  return {
    // camelCase in code, snake_case in SQL, for Objection and plain Knex queries alike
    // (results of every query, raw ones included, come back with camelCase keys).
    ...knexSnakeCaseMappers(),
    client: "mysql2",
    connection: {
      uri: databaseUrl,
      timezone: "Z",
      charset: "utf8mb4",
      decimalNumbers: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
    } as Knex.MySql2ConnectionConfig & { uri: string },
    pool,
    migrations: {
      directory: path.join(here, "migrations"),
      tableName: "knex_migrations",
      loadExtensions: [".ts"],
    },
    seeds: {
      directory: path.join(here, "..", "seeds"),
      loadExtensions: [".ts"],
    },
  };
}
