/** Finding 12 of issue #20: no job stays RUNNING when no worker is alive; a dead worker is restarted. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb, db } from "../db/db.js";
import { testPrefix, waitFor } from "./testing.js";

const children: ReturnType<typeof spawn>[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await closeDb();
});

/** Starts a process and collects its output. */
function start(cmd: string, args: string[], env: Record<string, string> = {}) {
  const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(proc);
  let out = "";
  proc.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  return { proc, output: () => out, exited };
}

describe("no job stuck", { timeout: 60_000 }, () => {
  it("the web process takes back a job whose worker died, with no worker alive", async () => {
    const web = start(process.execPath, ["--import", "tsx", "server/index.ts"], {
      PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
      HOST: "127.0.0.1",
      WORKER_MAINTENANCE_MS: "300",
    });
    await waitFor("the web process to listen", async () => web.output().includes("[web] listening"), 60_000);
    // A job a worker took and then died with: active, heartbeat long gone; no worker serves its name.
    const id = (await q.send(testPrefix("stuck") + "system.sleep", { ms: 10 }, { expireIn: 1, retryLimit: 0 }))!;
    await db().raw(
      `UPDATE jobs SET state = 'active', locked_by = 'dead-worker', started_at = NOW(3) - INTERVAL 10 SECOND,
         heartbeat_at = NOW(3) - INTERVAL 10 SECOND WHERE id = ?`,
      [id],
    );
    const job = await waitFor(
      "the job to leave 'active'",
      async () => {
        const j = await q.getJob(id);
        return j && j.state !== "active" ? j : null;
      },
      20_000,
    );
    expect(job.state).toBe("failed");
    expect(job.error).toMatch(/^expired: no heartbeat from dead-worker/);
    web.proc.kill("SIGTERM");
    expect(await web.exited).toBe(0);
  });

  it("scripts/supervise.sh restarts a command that dies, says how it ended, and stops it on SIGTERM", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supervise-"));
    const runs = path.join(dir, "runs");
    // Crashes on its first run, stays up on the second.
    const script = `const fs=require("fs");fs.appendFileSync(${JSON.stringify(runs)},"x");if(fs.readFileSync(${JSON.stringify(runs)},"utf8").length===1){console.error("boom");process.exit(3)}setInterval(()=>{},1000);process.on("SIGTERM",()=>{fs.appendFileSync(${JSON.stringify(runs)},"T");process.exit(0)})`;
    const sup = start("bash", ["scripts/supervise.sh", "worker", process.execPath, "-e", script], {
      RESTART_DELAY_S: "0.2",
    });
    await waitFor("the second run", async () => fs.existsSync(runs) && fs.readFileSync(runs, "utf8") === "xx", 15_000);
    expect(sup.output()).toMatch(/worker \(pid \d+\) exited with status 3; restarting/);
    sup.proc.kill("SIGTERM");
    expect(await sup.exited).toBe(0);
    expect(fs.readFileSync(runs, "utf8")).toBe("xxT"); // the running command got the SIGTERM
  });
});
