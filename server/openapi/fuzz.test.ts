/**
 * Fuzzed REST API (issue #20): every operation of the OpenAPI document gets generated bad inputs
 * (wrong types, huge and deeply nested values, negative and enormous numbers, foreign and
 * malformed ids, wrong content types, broken JSON). Never a 500; nothing is written for the caller.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestUser, type TestUser } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { closeDb, db } from "../../db/db.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let u: TestUser;
let victim: TestUser;
beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  u = await createTestUser("fuzz");
  victim = await createTestUser("fuzz-victim");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
};
type Operation = {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

const HUGE = "x".repeat(200_000);
const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
/** Wrong values for a parameter or field of any type. */
const BAD_VALUES: unknown[] = [
  "abc",
  -1,
  1e308,
  2 ** 63,
  1.5,
  HUGE,
  [1, "a", null],
  {},
  null,
  true,
  nest(40),
  "'; DROP TABLE users; --\u0000",
];
const BAD_PATH = [
  "abc",
  "-1",
  "0",
  "1.5",
  "1e400",
  "99999999999999999999",
  "%00",
  "x".repeat(2000),
  encodeURIComponent("../../etc/passwd"),
];

/** Rows per user-owned table (every table with a user_id column), for "nothing written". */
async function rowCounts(userId: number): Promise<Record<string, number>> {
  const [tables] = (await db().raw(
    `SELECT TABLE_NAME AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'user_id' AND TABLE_NAME NOT IN ('sessions')`,
  )) as unknown as [{ t: string }[]];
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    const [[row]] = (await db().raw(`SELECT COUNT(*) AS n FROM \`${t}\` WHERE user_id = ?`, [userId])) as unknown as [
      [{ n: number }],
    ];
    out[t] = Number(row.n);
  }
  return out;
}

describe("fuzzed REST API", () => {
  it("answers every operation's bad inputs without a 500 and writes nothing", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const before = await rowCounts(u.id);
    const victimBefore = await rowCounts(victim.id);
    const failures: string[] = [];
    const accepted: string[] = []; // requests whose "bad" value was in fact valid (2xx)
    const operations = new Set<string>();
    let requests = 0;

    async function send(
      method: string,
      path: string,
      init: { query?: Record<string, string>; body?: string; contentType?: string },
      what: string,
    ) {
      const url = new URL(`/api/v1${path}`, server.url);
      for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = { authorization: `Bearer ${u.apiKey}` };
      if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
      requests++;
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: init.body });
      const text = await res.text();
      if (res.status >= 500)
        failures.push(`${method.toUpperCase()} ${path} (${what}): ${res.status} ${text.slice(0, 200)}`);
      if (res.status < 300 && method !== "get") accepted.push(`${method} ${path}`);
    }

    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations.add(`${method} ${template}`);
        const pathParams = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        const queryParams = (op.parameters ?? []).filter((p) => p.in === "query");
        const fill = (v: string) => template.replace(/\{(\w+)\}/g, () => v);
        const goodPath = fill("999999999"); // a foreign or missing id
        // Malformed and foreign ids in the path.
        if (pathParams.length) for (const v of BAD_PATH) await send(method, fill(v), {}, `path ${v.slice(0, 20)}`);
        // The victim's own ids are foreign to the caller: refused, never touched.
        if (pathParams.length) await send(method, fill(String(victim.id)), {}, "victim's id");
        // Every query parameter with every bad value.
        for (const q of queryParams) {
          for (const v of BAD_VALUES)
            await send(
              method,
              goodPath,
              { query: { [q.name]: typeof v === "string" ? v : JSON.stringify(v) } },
              `query ${q.name}`,
            );
        }
        const schema = op.requestBody?.content["application/json"]?.schema;
        if (method === "get" || method === "head") continue;
        // Whole bodies of the wrong shape, broken JSON, wrong content types.
        for (const body of [
          "{}",
          "[]",
          '"text"',
          "null",
          "42",
          "{not json",
          '{"a":',
          '{"a":'.repeat(5000) + "1" + "}".repeat(5000),
        ]) {
          await send(method, goodPath, { body }, `body ${body.slice(0, 12)}`);
        }
        await send(method, goodPath, { body: JSON.stringify(nest(200)) }, "nested 200 deep");
        await send(method, goodPath, { body: "{}", contentType: "text/plain" }, "text/plain");
        await send(method, goodPath, { body: "a=1", contentType: "application/x-www-form-urlencoded" }, "form");
        await send(method, goodPath, { body: "{}", contentType: "application/xml" }, "xml");
        // Each field with each bad value (the other fields absent).
        for (const field of Object.keys(schema?.properties ?? {})) {
          for (const v of BAD_VALUES)
            await send(method, goodPath, { body: JSON.stringify({ [field]: v }) }, `field ${field}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(operations.size).toBeGreaterThanOrEqual(45);
    expect(requests).toBeGreaterThan(1200);
    // Nothing half-written. The only writes are whole, valid creations: an asset whose free-text
    // name happened to be a valid name ("abc", "'; DROP TABLE users; --"); every other table is as it was.
    expect(new Set(accepted)).toEqual(accepted.length ? new Set(["post /energy/assets"]) : new Set());
    const after = await rowCounts(u.id);
    expect(after.energy_assets).toBe(before.energy_assets! + accepted.length);
    expect({ ...after, energy_assets: 0 }).toEqual({ ...before, energy_assets: 0 });
    expect(await rowCounts(victim.id)).toEqual(victimBefore);
    console.log(`[fuzz] ${requests} requests over ${operations.size} operations`);
  }, 120_000);
});
