import type { Knex } from "knex";
import { batterySeed } from "./battery.js";
import { energySeed } from "./energy.js";
import { storageLayoutSeed } from "./storage-layout.js";

export interface Seed {
  name: string;
  /** Idempotent: brings the built-in data to its expected state; returns a one-line summary. */
  run(knex: Knex): Promise<string>;
}

export const SEEDS: Seed[] = [batterySeed, energySeed, storageLayoutSeed];
