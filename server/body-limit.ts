import { UPLOAD_LIMITS as BATTERY_UPLOAD } from "./schemas/battery.js";
import { UPLOAD_LIMITS as ENERGY_UPLOAD } from "./services/energy/types.js";

/**
 * The largest JSON body a valid request carries: the largest upload, base64-encoded (4/3), plus
 * room for the other fields. Anything longer is refused before it is read.
 */
export const MAX_JSON_BODY_BYTES =
  Math.ceil((Math.max(BATTERY_UPLOAD.maxBytes, ENERGY_UPLOAD.maxBytes) * 4) / 3) + 256 * 1024;

/** Nesting deeper than this is refused with a 400 (no valid input nests beyond a few levels). */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max` (iterative: no stack to overflow). */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}
