import type { Knex } from "knex";

export interface Seed {
  name: string;
  /** Idempotent: brings the built-in data to its expected state; returns a one-line summary. */
  run(knex: Knex): Promise<string>;
}

export const SEEDS: Seed[] = [];
