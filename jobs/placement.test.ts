/**
 * Placing work: two worker processes, one announcing a GPU. A job that requires a GPU waits for
 * the GPU worker; one that prefers a GPU goes to it while it is online and to the CPU worker
 * otherwise; the workers list shows both with their device.
 */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { onlineWorkers } from "./placement.js";
import { closeDb } from "../db/db.js";
import { killWorkers, rows, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

/** The worker that ran a job (the echo handler records it), once the job completed. */
async function ranOn(id: number): Promise<string> {
  await waitFor(`job ${id} to complete`, async () => (await q.getJob(id))?.state === "completed", 20_000, 100);
  const [r] = await rows(
    `SELECT JSON_VALUE(payload, '$.ranOn') AS ran_on FROM job_events WHERE job_id = ? AND type = 'metric'`,
    [id],
  );
  return String(r.ranOn);
}

describe("GPU placement", () => {
  it("a CPU worker never takes a GPU-only job; preferred-GPU jobs go to the GPU worker while it is online", async () => {
    const prefix = testPrefix("gpu");
    const name = prefix + "system.echo";
    const cpu = await spawnWorker(prefix, { WORKER_DEVICE: "cpu" });

    const required = (await q.send(name, { record: true }, { device: "require_gpu" }))!;
    const preferredAlone = (await q.send(name, { record: true }, { device: "prefer_gpu" }))!;
    const any = (await q.send(name, { record: true }))!;
    // With no GPU worker online the CPU worker takes the preferred and the plain job…
    expect(await ranOn(preferredAlone)).toBe(cpu.id);
    expect(await ranOn(any)).toBe(cpu.id);
    // …and never the one that requires a GPU: it waits, and says why (no GPU worker online).
    await new Promise((r) => setTimeout(r, 1500));
    expect((await q.getJob(required))!.state).toBe("created");
    expect((await onlineWorkers()).filter((w) => w.queues.includes(name)).map((w) => w.device)).toEqual(["cpu"]);

    const gpu = await spawnWorker(prefix, { WORKER_DEVICE: "cuda" });
    expect(await ranOn(required)).toBe(gpu.id);
    const listed = (await onlineWorkers()).filter((w) => w.queues.includes(name));
    expect(listed.map((w) => [w.id, w.device])).toEqual([
      [gpu.id, "cuda"],
      [cpu.id, "cpu"],
    ]);

    // While the GPU worker is online, every preferred-GPU job goes to it (the CPU worker is idle).
    const preferred = await Promise.all(
      Array.from({ length: 6 }, async () => (await q.send(name, { record: true }, { device: "prefer_gpu" }))!),
    );
    for (const id of preferred) expect(await ranOn(id)).toBe(gpu.id);

    // Once it stops (and says goodbye), the CPU worker takes them again.
    await gpu.stop();
    const after = (await q.send(name, { record: true }, { device: "prefer_gpu" }))!;
    expect(await ranOn(after)).toBe(cpu.id);
    await cpu.stop();
  }, 90_000);
});
