import type { TestUser } from "../testing/users.js";

export type Caller = TestUser["caller"];

/**
 * One attempt by user B on user A's data through one procedure. The isolation test runs
 * every case twice (B by cookie, B by API key) and checks A's data afterwards.
 */
export interface IsolationCase<T = unknown> {
  /** Procedure path, e.g. "apiKeys.revoke". */
  procedure: string;
  /** What the attempt is, in words. */
  title: string;
  /** Creates A's data and returns what the attempt needs (ids...). */
  setup: (a: TestUser) => Promise<T>;
  /** B's attempt. */
  attack: (b: Caller, data: T) => Promise<unknown>;
  /** "reject": the attempt must fail with NOT_FOUND or FORBIDDEN. A function: checks what B got back. */
  expect: "reject" | ((result: unknown, data: T) => void);
  /** List cases: A's own call must fail `expect` (A's list holds the row), so the check cannot pass on an always-empty list. */
  ownerListsIt?: boolean;
  /** Runs as A after the attempt: A's data is unchanged. */
  verifyIntact?: (a: TestUser, data: T) => Promise<void>;
}

/** Procedures open to anyone, or touching only the caller's own session: not data-bearing. */
export const NOT_DATA_BEARING = new Set<string>([
  "auth.register",
  "auth.login",
  "auth.logout",
  "auth.logoutEverywhere",
  "auth.changePassword",
  "auth.me",
]);
