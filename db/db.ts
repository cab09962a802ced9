import knexFactory, { type Knex } from "knex";
import { Model } from "objection";
import { databaseUrl } from "./database-url.js";
import { knexConfig } from "./knexfile.js";

let instance: Knex | undefined;

/** The process-wide Knex instance, bound to Objection on first use. */
export function db(): Knex {
  if (!instance) {
    instance = knexFactory(knexConfig(databaseUrl()));
    Model.knex(instance);
  }
  return instance;
}

export async function closeDb(): Promise<void> {
  if (instance) {
    const k = instance;
    instance = undefined;
    await k.destroy();
  }
}
