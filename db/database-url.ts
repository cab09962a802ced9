import { z } from "zod";

/** The one rule for DATABASE_URL; server/env.ts checks it with the rest of the environment. */
export const databaseUrlSchema = z
  .string({ required_error: "DATABASE_URL is required (the start script sets it for the local MariaDB)" })
  .regex(/^mysql:\/\//, "DATABASE_URL must be a mysql:// URL");

/** DATABASE_URL from the environment, checked by that rule (db/ reads nothing else of the environment). */
export function databaseUrl(): string {
  const result = databaseUrlSchema.safeParse(process.env.DATABASE_URL);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - DATABASE_URL: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}
