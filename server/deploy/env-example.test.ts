/**
 * `.env.example` lists every setting of server/env.ts, once, with its meaning, and shows each
 * default as the schema applies it: a setting added to, renamed in or re-defaulted in
 * server/env.ts without updating `.env.example` fails here.
 */
import { describe, it, expect } from "vitest";
import fs from "node:fs";
import { EnvSchema } from "../env.js";
import { parseEnvFile } from "./env-file.js";

const settings = parseEnvFile(fs.readFileSync(new URL("../../.env.example", import.meta.url), "utf8"));
const schemaKeys = Object.keys(EnvSchema.shape).sort();
const byKey = new Map(settings.map((s) => [s.key, s]));

describe(".env.example", () => {
  it("names every setting of server/env.ts exactly once, and nothing else, each with its meaning", () => {
    expect(settings.map((s) => s.key).sort()).toEqual(schemaKeys);
    for (const s of settings)
      expect(s.comment.join(" ").length, `${s.key} (line ${s.line}) has no comment above it`).toBeGreaterThan(15);
  });

  it("shows each default as the schema applies it; settings without one are commented out with a valid example", () => {
    const required = { DATABASE_URL: byKey.get("DATABASE_URL")!.value };
    expect(byKey.get("DATABASE_URL")!.active).toBe(true);
    const defaults = EnvSchema.parse(required) as Record<string, unknown>;
    const active = Object.fromEntries(settings.filter((s) => s.active).map((s) => [s.key, s.value]));
    const parsed = EnvSchema.safeParse(active);
    expect(parsed.error?.issues ?? []).toEqual([]);
    for (const k of schemaKeys) {
      expect((parsed.data as Record<string, unknown>)[k], `${k}: the value shown is not the default`).toEqual(
        defaults[k],
      );
    }
    for (const s of settings.filter((x) => !x.active)) {
      expect(defaults[s.key], `${s.key} has a default: show it on an uncommented line`).toBeUndefined();
      if (s.value !== "") {
        const one = EnvSchema.safeParse({ ...required, [s.key]: s.value });
        expect(one.error?.issues ?? [], `${s.key}'s example value`).toEqual([]);
      }
    }
  });
});
