import { expect } from "vitest";
import crypto from "node:crypto";
import type { IsolationCase } from "./types.js";
import { send } from "../../jobs/queue.js";
import { setUserQuota, type UserQuotas } from "../services/quotas.js";

export const cases: IsolationCase<{ limit: number }>[] = [
  {
    procedure: "quotas.mine",
    title: "B reads its quotas and sees its own limits, not A's override",
    ownerListsIt: true,
    setup: async (a) => {
      const limit = 1000 + crypto.randomInt(1000);
      await setUserQuota(a.id, "activeJobs", limit);
      await send(`isolation.quota-${crypto.randomBytes(6).toString("hex")}.noop`, null, { userId: a.id });
      return { limit };
    },
    attack: (b) => b.quotas.mine(),
    expect: (result, d) => {
      const q = result as UserQuotas;
      expect(q.activeJobs.limit).not.toBe(d.limit);
    },
  },
];
