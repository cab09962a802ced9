import { expect } from "vitest";
import { TRPCError } from "@trpc/server";
import { User } from "../../db/models/user.js";
import type { IsolationCase } from "./types.js";

const keyCases: IsolationCase<{ keyId: number; prefix: string }>[] = [
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

/** Account settings act on the caller only: B typing A's email and password deletes nothing, B's new name is B's. */
const accountCases: IsolationCase<{ email: string; password: string; displayName: string }>[] = [
  {
    procedure: "auth.deleteAccount",
    title: "B types A's email and password: refused (not B's email), A's account intact",
    setup: async (a) => ({
      email: a.email,
      password: a.password,
      displayName: (await User.query().findById(a.id))!.displayName,
    }),
    // A refusal about the typed email is the expected answer; anything else (UNAUTHORIZED for anonymous callers) propagates.
    attack: (b, d) =>
      b.auth.deleteAccount({ confirmEmail: d.email, password: d.password }).catch((e: unknown) => {
        if (e instanceof TRPCError && e.code === "BAD_REQUEST") return e;
        throw e;
      }),
    expect: (result) => {
      expect(result).toBeInstanceOf(TRPCError);
      expect((result as TRPCError).message).toMatch(/not this account's email; nothing was deleted/);
    },
    verifyIntact: async (a, d) => {
      expect((await User.query().findById(a.id))?.email).toBe(d.email);
    },
  },
  {
    procedure: "auth.updateProfile",
    title: "B renames itself: A's display name is unchanged",
    setup: async (a) => ({
      email: a.email,
      password: a.password,
      displayName: (await User.query().findById(a.id))!.displayName,
    }),
    attack: (b) => b.auth.updateProfile({ displayName: "b renamed" }),
    expect: (result, d) => {
      expect((result as { user: { email: string } }).user.email).not.toBe(d.email);
    },
    verifyIntact: async (a, d) => {
      expect((await User.query().findById(a.id))?.displayName).toBe(d.displayName);
    },
  },
];

const localeCases: IsolationCase<{ locale: string | null }>[] = [
  {
    procedure: "auth.setLocale",
    title: "B sets its language: A's stays unset",
    setup: async (a) => ({ locale: (await User.query().findById(a.id))!.locale ?? null }),
    attack: (b) => b.auth.setLocale({ locale: "zh-CN" }),
    expect: (result) => {
      expect((result as { user: { locale: string } }).user.locale).toBe("zh-CN");
    },
    verifyIntact: async (a, d) => {
      expect((await User.query().findById(a.id))?.locale ?? null).toBe(d.locale);
    },
  },
];

export const cases: IsolationCase<any>[] = [...keyCases, ...accountCases, ...localeCases];
