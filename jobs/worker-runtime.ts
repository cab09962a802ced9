/**
 * The worker: claims jobs for the registered handlers, runs them with a concurrency limit,
 * heartbeats them, stops them on cancel, runs maintenance (expiry, purge), survives database
 * restarts, and shuts down gracefully. Testable in-process; jobs/worker.ts is the process entry.
 */
import os from "node:os";
import crypto from "node:crypto";
import * as q from "./queue.js";
import { getHandler, handlerNames, type JobContext } from "./registry.js";
import { settleHandlerResult } from "./lifecycle.js";
import { announce, withdraw, type WorkerDevice } from "./placement.js";

export interface WorkerOptions {
  /** Unique per process; stored in jobs.locked_by. */
  id?: string;
  concurrency: number;
  pollMs: number;
  heartbeatMs: number;
  maintenanceMs: number;
  /** How long running jobs may go on after a stop request before they are released. */
  graceMs: number;
  purgeAfterSeconds: number;
  /** Only these handler names (default: every registered one). */
  only?: string[];
  /** This worker serves jobs named `<prefix><handler name>` (tests, or separate deployments). */
  namePrefix?: string;
  /** "fair" (default): users take turns; "fifo": priority then age across everyone (jobs/queue.ts fetch). */
  claimPolicy?: q.ClaimPolicy;
  /** What this worker runs models on (jobs/placement.ts): a `cuda` worker takes GPU jobs. Default cpu. */
  device?: WorkerDevice;
  /** The GPU's name, shown on the jobs page. */
  deviceName?: string | null;
  log?: (line: string) => void;
}

interface Running {
  job: q.JobRow;
  abort: AbortController;
  done: Promise<void>;
}

export class Worker {
  readonly id: string;
  private readonly opts: WorkerOptions;
  private readonly names: string[];
  private readonly running = new Map<number, Running>();
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private dbDown = false;

  constructor(opts: WorkerOptions) {
    this.opts = opts;
    this.id = opts.id ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
    const prefix = opts.namePrefix ?? "";
    const selected = opts.only?.length ? opts.only : handlerNames();
    for (const n of selected) if (!getHandler(n)) throw new Error(`no handler registered for "${n}"`);
    this.names = selected.map((n) => prefix + n);
  }

  get queueNames(): string[] {
    return [...this.names];
  }

  get runningIds(): number[] {
    return [...this.running.keys()];
  }

  private log(line: string) {
    (this.opts.log ?? ((l: string) => console.log(l)))(`[worker ${this.id}] ${line}`);
  }

  start(): void {
    if (this.loopDone) return;
    void this.announce();
    this.loopDone = this.loop();
    this.timers.push(setInterval(() => void this.beat(), this.opts.heartbeatMs));
    // Maintenance is safe to run in every worker at once (SKIP LOCKED); jitter spreads it out.
    const m = setTimeout(() => {
      void this.maintain();
      this.timers.push(setInterval(() => void this.maintain(), this.opts.maintenanceMs));
    }, Math.random() * this.opts.maintenanceMs);
    this.timers.push(m);
  }

  /** Stops claiming; running jobs get `graceMs` to finish, then are released for retry and aborted. */
  async stop(graceMs = this.opts.graceMs): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loopDone;
    const all = () => Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut && this.running.size) {
      const ids = this.runningIds;
      // Release first: the handlers' completions, once aborted, are then no-ops (guarded by state).
      const n = await q.release(ids, this.id).catch((e) => (this.log(`release failed: ${q.errorMessage(e)}`), 0));
      this.log(`grace period over: released ${n} running job(s) for retry`);
      for (const r of this.running.values()) r.abort.abort(new Error("worker shutting down"));
      await Promise.race([all(), new Promise((r) => setTimeout(r, 2000))]);
    }
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await withdraw(this.id).catch((e) => this.log(`could not withdraw from the workers list (${q.errorMessage(e)})`));
  }

  /** Tells the jobs page and the GPU placement that this worker is online, and what it runs. */
  private async announce(): Promise<void> {
    await announce({
      id: this.id,
      device: this.opts.device ?? "cpu",
      deviceName: this.opts.deviceName ?? null,
      queues: this.names,
      concurrency: this.opts.concurrency,
    }).catch((e) => this.log(`announce failed (${q.errorMessage(e)})`));
  }

  private wake() {
    this.wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    while (!this.stopping) {
      const free = this.opts.concurrency - this.running.size;
      if (free <= 0) {
        await this.sleep(this.opts.pollMs);
        continue;
      }
      try {
        const jobs = await q.fetch(
          this.names,
          free,
          this.id,
          undefined,
          this.opts.claimPolicy ?? "fair",
          this.opts.device ?? "cpu",
        );
        if (this.dbDown) this.log("database reachable again; claiming jobs");
        this.dbDown = false;
        backoff = 0;
        for (const j of jobs) this.run(j);
        if (jobs.length === free) continue; // full batch: more are probably waiting
        await this.sleep(this.opts.pollMs);
      } catch (e) {
        this.dbDown = true;
        backoff = Math.min(10_000, backoff ? backoff * 2 : 250);
        this.log(`fetch failed (${q.errorMessage(e)}); retrying in ${backoff} ms`);
        await this.sleep(backoff);
      }
    }
  }

  private run(job: q.JobRow): void {
    const abort = new AbortController();
    const handlerName = job.name.slice((this.opts.namePrefix ?? "").length);
    const handler = getHandler(handlerName)!;
    const emit = (type: q.EventType, payload: unknown) => q.appendEvents(job.id, [{ type, payload }]);
    const ctx: JobContext = {
      data: job.data,
      jobId: job.id,
      attempt: job.retryCount + 1,
      workerId: this.id,
      device: this.opts.device ?? "cpu",
      log: (message, level = "info") => emit("log", { message: String(message), level }),
      metric: (values) => emit("metric", values),
      progress: (done, total, extra) => emit("progress", { ...extra, done, total }),
      isCancelled: () => q.shouldStop(job.id, this.id),
      signal: abort.signal,
    };
    const done = (async () => {
      try {
        const output = await handler(job, ctx);
        // The explicit contract (jobs/lifecycle.ts): a plain output completes the job here; a handler
        // that completed it in its own transaction says so; an outcome not recorded is logged.
        await this.persist(async () => {
          const note = await settleHandlerResult(job.id, this.id, output);
          if (note) this.log(note);
          return true;
        });
      } catch (e) {
        await this.persist(() => q.fail(job.id, this.id, e));
      } finally {
        this.running.delete(job.id);
        this.wake();
      }
    })();
    this.running.set(job.id, { job, abort, done });
  }

  /** Writes a job's outcome, retrying while the database is away; expiry covers the rest. */
  private async persist(write: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0, wait = 250; ; attempt++, wait = Math.min(wait * 2, 5000)) {
      try {
        await write();
        return;
      } catch (e) {
        if (attempt >= 8) {
          this.log(`giving up writing a job outcome (${q.errorMessage(e)}); expiry will retry the job`);
          return;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Keeps this worker's jobs alive and aborts those it no longer owns (cancelled, expired). */
  private async beat(): Promise<void> {
    await this.announce();
    const ids = this.runningIds;
    if (!ids.length) return;
    try {
      const lost = await q.heartbeat(this.id, ids);
      for (const id of lost) this.running.get(id)?.abort.abort(new Error("job cancelled"));
    } catch (e) {
      this.log(`heartbeat failed (${q.errorMessage(e)})`);
    }
  }

  private async maintain(): Promise<void> {
    try {
      const expired = await q.expire();
      if (expired) this.log(`expired ${expired} job(s) whose worker stopped heartbeating`);
      await q.purge(this.opts.purgeAfterSeconds);
    } catch (e) {
      this.log(`maintenance failed (${q.errorMessage(e)})`);
    }
  }
}
