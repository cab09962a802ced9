import { expect } from "vitest";
import type { IsolationCase } from "./types.js";

export const cases: IsolationCase<{ keyId: number; prefix: string }>[] = [
  {
    procedure: "apiKeys.list",
    title: "B lists keys and sees none of A's",
    ownerListsIt: true,
    setup: async (a) => {
      const keys = await a.caller.apiKeys.list();
      return { keyId: keys[0].id, prefix: keys[0].prefix };
    },
    attack: (b) => b.apiKeys.list(),
    expect: (result, data) => {
      const ids = (result as { id: number }[]).map((k) => k.id);
      expect(ids).not.toContain(data.keyId);
    },
  },
  {
    procedure: "apiKeys.revoke",
    title: "B revokes A's key",
    setup: async (a) => {
      const r = await a.caller.apiKeys.create({ name: "victim" });
      return { keyId: r.apiKey.id, prefix: r.apiKey.prefix };
    },
    attack: (b, d) => b.apiKeys.revoke({ id: d.keyId }),
    expect: "reject",
    verifyIntact: async (a, d) => {
      const k = (await a.caller.apiKeys.list()).find((x) => x.id === d.keyId);
      expect(k?.revokedAt).toBeNull();
    },
  },
  {
    procedure: "apiKeys.create",
    title: "B creates a key: it belongs to B, not A",
    setup: async (a) => {
      const keys = await a.caller.apiKeys.list();
      return { keyId: keys.length, prefix: "" };
    },
    attack: (b) => b.apiKeys.create({ name: "b-own" }),
    expect: () => {},
    verifyIntact: async (a, d) => {
      expect((await a.caller.apiKeys.list()).length).toBe(d.keyId);
    },
  },
];
