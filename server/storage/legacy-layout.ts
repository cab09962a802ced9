/**
 * Upgrade step: moves an installation's files from the layout before domain keys, where battery
 * and energy rows with the same id shared a folder,
 *   {userId}/models/{id}/…   {userId}/uploads/{id | detection-N}/…   {userId}/exports/{id | detection-N}/…
 * to domain keys (keys.ts). Each file is moved on its own (a rename locally), so a run that stops
 * half-way leaves every file at its old or its new key, and running again finishes the job;
 * on an up-to-date installation it finds nothing to do. Which domain a file belongs to comes
 * from the database (whose row has that id and stored name); a models folder that both a
 * battery and an energy version claim is split by content: checkpoint.pt is battery's, XGBoost
 * files are energy's, and model.onnx/config.json go to the version config.json names (battery
 * configs carry versionId) — the other version had already lost those two files to the shared
 * folder before the upgrade, and the summary says so. Files no row claims stay where they are.
 */
import type { Knex } from "knex";
import { artifactKey, type ArtifactDomain } from "./keys.js";
import type { ArtifactStore } from "./store.js";

export interface LayoutMigration {
  moved: number;
  /** Old-layout files no row claims (left in place). */
  unclaimed: string[];
  /** Model files a battery and an energy version both wrote before the upgrade (only one survived). */
  clashes: string[];
}

const OLD_KINDS = ["models", "uploads", "exports"] as const;

export async function migrateLegacyLayout(store: ArtifactStore, k: Knex): Promise<LayoutMigration> {
  const result: LayoutMigration = { moved: 0, unclaimed: [], clashes: [] };
  const users: { id: number }[] = await k("users").select("id");
  for (const { id: userId } of users) {
    for (const kind of OLD_KINDS) {
      const keys = await store.list(`${userId}/${kind}`);
      const byOwner = new Map<string, string[]>();
      for (const key of keys) {
        const [, , owner, ...rest] = key.split("/");
        if (rest.length !== 1) {
          result.unclaimed.push(key);
          continue;
        }
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), rest[0]]);
      }
      for (const [owner, names] of byOwner) {
        const targets = await targetsFor(k, store, userId, kind, owner, names, result);
        for (const name of names) {
          const domain = targets.get(name);
          const from = `${userId}/${kind}/${owner}/${name}`;
          if (!domain) {
            result.unclaimed.push(from);
            continue;
          }
          const ownerId = Number(owner.replace(/^detection-/, ""));
          await store.move(from, artifactKey(userId, domain, ownerId, name));
          result.moved++;
        }
      }
    }
  }
  return result;
}

/** The new domain of each file in one old folder (absent: unclaimed). */
async function targetsFor(
  k: Knex,
  store: ArtifactStore,
  userId: number,
  kind: (typeof OLD_KINDS)[number],
  owner: string,
  names: string[],
  result: LayoutMigration,
): Promise<Map<string, ArtifactDomain>> {
  const out = new Map<string, ArtifactDomain>();
  const detection = /^detection-(\d+)$/.exec(owner);
  if (detection) {
    for (const n of names) out.set(n, "detections");
    return out;
  }
  if (!/^\d+$/.test(owner)) return out;
  const id = Number(owner);
  if (kind === "exports") {
    for (const n of names) out.set(n, "test-exports");
    return out;
  }
  if (kind === "uploads") {
    const battery = await k("batteryUploads").where({ userId, id }).first("storedName");
    const energy = await k("energyUploads").where({ userId, id }).first("storedName");
    for (const n of names) {
      if (battery?.storedName === n) out.set(n, "battery-uploads");
      else if (energy?.storedName === n) out.set(n, "energy-uploads");
    }
    return out;
  }
  const battery = !!(await k("modelVersions").where({ userId, id }).first("id"));
  const energy = !!(await k("energyModelVersions").where({ userId, id }).first("id"));
  if (battery !== energy) {
    for (const n of names) out.set(n, battery ? "battery-models" : "energy-models");
    return out;
  }
  if (!battery) return out;
  // Both claim the folder: split it by content.
  let sharedOwner: ArtifactDomain = "energy-models";
  if (names.includes("config.json")) {
    const config = JSON.parse((await store.get(`${userId}/models/${owner}/config.json`)).toString("utf8")) as Record<
      string,
      unknown
    >;
    if ("versionId" in config) sharedOwner = "battery-models";
  } else if (names.includes("checkpoint.pt")) sharedOwner = "battery-models";
  for (const n of names) {
    if (n === "checkpoint.pt") out.set(n, "battery-models");
    else if (n === "model.onnx" || n === "config.json") {
      out.set(n, sharedOwner);
      result.clashes.push(
        `${userId}/models/${owner}/${n}: kept for the ${sharedOwner === "battery-models" ? "battery" : "energy"} version`,
      );
    } else out.set(n, "energy-models");
  }
  return out;
}
