/** Who may read or write an asset: own or built-in to read, own only to write. */
import { userError } from "../../trpc/errors.js";
import { EnergyAsset } from "../../../db/models/energy-asset.js";
import { ownedOrNotFound } from "../owned.js";

/** The asset if the user owns it or it is built-in; NOT_FOUND otherwise (never reveals another user's). */
export function readableAsset(userId: number, assetId: number): Promise<EnergyAsset> {
  return ownedOrNotFound(EnergyAsset, assetId, userId, "Asset not found", { builtIn: true });
}

/** The asset if the user owns it; built-in ones are FORBIDDEN (read-only), others NOT_FOUND. */
export async function writableAsset(userId: number, assetId: number): Promise<EnergyAsset> {
  const a = await readableAsset(userId, assetId);
  if (a.userId === null) throw userError("FORBIDDEN", "energy:errors.builtInReadOnly");
  return a;
}
