import type { IncomingMessage } from "node:http";
import { env } from "./env.js";

/**
 * Whether a browser request's Origin may act with the user's cookie: the app's own origin (the
 * Host it was addressed to) or one listed in ALLOWED_ORIGINS. A request without an Origin header
 * comes from a script, not from a page, and is allowed (it authenticates with its own key).
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if ((url.protocol === "http:" || url.protocol === "https:") && url.host === req.headers.host) return true;
  return allowedOrigins().has(url.origin);
}

let cached: { raw: string; set: Set<string> } | undefined;
function allowedOrigins(): Set<string> {
  const raw = env().ALLOWED_ORIGINS;
  if (cached?.raw !== raw) {
    const set = new Set<string>();
    for (const o of raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean))
      set.add(new URL(o).origin);
    cached = { raw, set };
  }
  return cached.set;
}
