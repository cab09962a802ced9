/**
 * Housekeeping the web process runs too, so that it happens even when no worker is alive:
 * jobs whose worker stopped heartbeating are taken back (retry or failed; jobs/queue.ts expire,
 * safe to run beside the workers' own sweeps), and long-expired session rows are dropped.
 */
import * as q from "../jobs/queue.js";
import { purgeExpiredSessions } from "./auth/token.js";

export function startMaintenance(everyMs: number, log: (line: string) => void = console.log): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const expired = await q.expire();
      if (expired) log(`[web] expired ${expired} job(s) whose worker stopped heartbeating`);
      await purgeExpiredSessions();
    } catch (e) {
      log(`[web] maintenance failed (${q.errorMessage(e)})`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), everyMs);
  return () => clearInterval(timer);
}
