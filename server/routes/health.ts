/**
 * Probes for orchestrators and load balancers (no authentication):
 *   GET /healthz — the process is up and answering (liveness; the container's HEALTHCHECK);
 *   GET /readyz  — it can serve: the database answers a query and the artifact store takes a
 *                  write, a read and a delete of a probe file (a read-only DATA_DIR volume or a
 *                  bucket without write access is a real deployment fault, so reads alone are
 *                  not enough). 200 when both pass; 503 naming each failing part otherwise.
 * Each check has a time limit, and concurrent requests share one probe run.
 */
import os from "node:os";
import { Router } from "express";
import { db } from "../../db/db.js";
import { artifacts } from "../storage/artifacts.js";

/** A check taking longer than this counts as failed (an unreachable host may never answer). */
export const READY_CHECK_TIMEOUT_MS = 3_000;

export type ReadyPart = "database" | "store";
type CheckResult = { ok: true; ms: number } | { ok: false; ms: number; error: string };

/** The probe file's key: outside every user's folder (keys start with a user id), one per process. */
const probeKey = `_health/readyz-${os
  .hostname()
  .replace(/[^A-Za-z0-9._-]/g, "_")
  .slice(0, 60)}-${process.pid}`;

const checks: Record<ReadyPart, () => Promise<void>> = {
  database: async () => {
    await db().raw("SELECT 1");
  },
  store: async () => {
    const store = artifacts();
    const body = `readyz ${Date.now()}`;
    await store.put(probeKey, body);
    try {
      if ((await store.get(probeKey)).toString() !== body) throw new Error("read back different bytes than written");
    } finally {
      await store.delete(probeKey);
    }
  },
};

/** A short reason without secrets: the error's code (ECONNREFUSED, ER_ACCESS_DENIED_ERROR, AccessDenied) and first line. */
function reason(e: unknown): string {
  const err = e as { code?: string; name?: string; message?: string };
  const code = err?.code ?? (err?.name && err.name !== "Error" ? err.name : undefined);
  const line = String(err?.message ?? e)
    .split("\n")[0]
    .slice(0, 200);
  return code && !line.includes(code) ? `${code}: ${line}` : line;
}

async function timed(fn: () => Promise<void>): Promise<CheckResult> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise(
        (_r, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`no answer within ${READY_CHECK_TIMEOUT_MS} ms`)),
            READY_CHECK_TIMEOUT_MS,
          )),
      ),
    ]);
    return { ok: true, ms: Date.now() - t0 };
  } catch (e) {
    return { ok: false, ms: Date.now() - t0, error: reason(e) };
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  ready: boolean;
  failing: ReadyPart[];
  checks: Record<ReadyPart, CheckResult>;
}

let inFlight: Promise<Readiness> | undefined;

/** Runs every check (in parallel); concurrent callers share the run in progress. */
export function readiness(): Promise<Readiness> {
  inFlight ??= (async () => {
    const parts = Object.keys(checks) as ReadyPart[];
    const results = await Promise.all(parts.map((p) => timed(checks[p])));
    const byPart = Object.fromEntries(parts.map((p, i) => [p, results[i]])) as Record<ReadyPart, CheckResult>;
    const failing = parts.filter((p) => !byPart[p].ok);
    return { ready: failing.length === 0, failing, checks: byPart };
  })().finally(() => (inFlight = undefined));
  return inFlight;
}

export function healthRoutes(): Router {
  const r = Router();
  r.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true });
  });
  r.get("/readyz", async (_req, res) => {
    const result = await readiness();
    res.setHeader("Cache-Control", "no-store");
    if (!result.ready) {
      res.status(503).json({
        ...result,
        error: `not ready: ${result.failing.map((p) => `${p} (${(result.checks[p] as { error: string }).error})`).join(", ")}`,
      });
      return;
    }
    res.json(result);
  });
  return r;
}
