/// <reference types="vite/client" />
/**
 * Per-user isolation, for every procedure that exists: user B, by cookie and by API key,
 * cannot read or change user A's data. Each domain adds its cases in server/isolation/*.isolation.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "../routers/root.js";
import { createTestUser, anonymousCaller, type TestUser } from "../testing/users.js";
import { closeDb } from "../../db/db.js";
import { NOT_DATA_BEARING, type IsolationCase } from "./types.js";
import { setUserQuota } from "../services/quotas.js";

const modules = import.meta.glob<{ cases: IsolationCase<any>[] }>("./*.isolation.ts", { eager: true });
const allCases = Object.values(modules).flatMap((m) => m.cases);
const procedures = Object.keys(
  (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
);

let a: TestUser;
let b: TestUser;
beforeAll(async () => {
  a = await createTestUser("iso-a");
  b = await createTestUser("iso-b");
  // Queued jobs (no worker runs them) and uploads pile up across the cases: lift the count quotas.
  for (const u of [a, b]) {
    await setUserQuota(u.id, "activeJobs", 100_000);
    await setUserQuota(u.id, "uploads", 100_000);
  }
});
afterAll(() => closeDb());

describe("isolation", () => {
  it("covers every data-bearing procedure with at least one case", () => {
    const covered = new Set(allCases.map((c) => c.procedure));
    const missing = procedures.filter((p) => !NOT_DATA_BEARING.has(p) && !covered.has(p));
    expect(missing, `procedures without an isolation case: ${missing.join(", ")}`).toEqual([]);
  });

  it("rejects anonymous callers on every data-bearing procedure", async () => {
    const anon = await anonymousCaller();
    for (const c of allCases) {
      const err = await c.attack(anon, await c.setup(a)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${c.procedure} answered an anonymous caller`).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code, c.procedure).toBe("UNAUTHORIZED");
    }
  });

  for (const via of ["cookie", "api key"] as const) {
    describe(`user B by ${via}`, () => {
      for (const c of allCases) {
        it(`${c.procedure}: ${c.title}`, async () => {
          const data = await c.setup(a);
          const caller = via === "cookie" ? b.caller : b.keyCaller;
          const outcome = await c.attack(caller, data).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          if (c.expect === "reject") {
            expect(outcome.ok, `${c.procedure} let B through`).toBe(false);
            const code = (outcome as { error: TRPCError }).error.code;
            expect(["NOT_FOUND", "FORBIDDEN"]).toContain(code);
          } else {
            if (!outcome.ok) throw outcome.error;
            c.expect(outcome.value, data);
            if (c.ownerListsIt) {
              const check = c.expect;
              const own = await c.attack(via === "cookie" ? a.caller : a.keyCaller, data);
              expect(
                () => check(own, data),
                `${c.procedure}: A's own list passes B's check (so would an empty one)`,
              ).toThrow();
            }
          }
          await c.verifyIntact?.(a, data);
        });
      }
    });
  }
});
