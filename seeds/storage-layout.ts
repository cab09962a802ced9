/**
 * Not built-in data but an upgrade step that must run on every start: moves files written
 * before artifact keys named their domain to their domain keys (server/storage/legacy-layout.ts).
 */
import type { Seed } from "./index.js";
import { artifacts } from "../server/storage/artifacts.js";
import { migrateLegacyLayout } from "../server/storage/legacy-layout.js";

export const storageLayoutSeed: Seed = {
  name: "storage-layout",
  async run(knex) {
    const r = await migrateLegacyLayout(artifacts(), knex);
    for (const c of r.clashes) console.warn(`[storage-layout] ${c}`);
    return `${r.moved} files moved to domain keys, ${r.unclaimed.length} old-layout files no row claims left in place, ${r.clashes.length} shared model files`;
  },
};
