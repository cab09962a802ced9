import { expect } from "vitest";
import crypto from "node:crypto";
import type { IsolationCase } from "./types.js";
import { send } from "../../jobs/queue.js";

/** A job of A's that no worker serves (a name no worker claims), so it stays PENDING. */
async function aJob(userId: number) {
  const groupId = `iso-${crypto.randomBytes(6).toString("hex")}`;
  const jobId = (await send(`isolation.${groupId}.noop`, { secret: "a" }, { userId, groupId }))!;
  return { jobId, groupId };
}

export const cases: IsolationCase<{ jobId: number; groupId: string }>[] = [
  {
    procedure: "jobs.get",
    title: "B reads A's job",
    setup: (a) => aJob(a.id),
    attack: (b, d) => b.jobs.get({ id: d.jobId }),
    expect: "reject",
  },
  {
    procedure: "jobs.list",
    title: "B lists jobs (also filtered by A's group) and sees none of A's",
    ownerListsIt: true,
    setup: (a) => aJob(a.id),
    attack: async (b, d) => [...(await b.jobs.list()), ...(await b.jobs.list({ groupId: d.groupId }))],
    expect: (result, d) => {
      expect((result as { id: number }[]).map((j) => j.id)).not.toContain(d.jobId);
    },
  },
  {
    procedure: "jobs.cancel",
    title: "B cancels A's job",
    setup: (a) => aJob(a.id),
    attack: (b, d) => b.jobs.cancel({ id: d.jobId }),
    expect: "reject",
    verifyIntact: async (a, d) => {
      expect((await a.caller.jobs.get({ id: d.jobId })).status).toBe("PENDING");
    },
  },
  {
    procedure: "jobs.events",
    title: "B follows A's job's events",
    setup: (a) => aJob(a.id),
    attack: (b, d) => b.jobs.events({ jobId: d.jobId }),
    expect: "reject",
  },
  {
    procedure: "jobs.workers",
    title: "B lists the workers online: infrastructure only, nothing of A's jobs",
    setup: (a) => aJob(a.id),
    attack: (b) => b.jobs.workers(),
    expect: (result, d) => {
      expect(JSON.stringify(result)).not.toContain(d.groupId);
      expect(JSON.stringify(result)).not.toContain(`"id":${d.jobId},`);
    },
  },
  {
    procedure: "jobs.events",
    title: "B follows A's job group's events",
    setup: (a) => aJob(a.id),
    attack: (b, d) => b.jobs.events({ groupId: d.groupId }),
    expect: "reject",
  },
];
