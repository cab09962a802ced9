/**
 * In-process counters for authentication (one web process holds the counts; several web
 * processes would each allow the limit).
 */

/** Fixed-window counter: at most `max` takes per key per window (registrations per address). */
export class RateLimiter {
  private hits = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one use of `key` and returns 0, or returns the milliseconds to wait (nothing counted). */
  take(key: string, now = Date.now()): number {
    const h = this.hits.get(key);
    if (!h || h.resetAt <= now) {
      this.hits.set(key, { count: 1, resetAt: now + this.windowMs });
      if (this.hits.size > 100_000) sweep(this.hits, (v) => v.resetAt <= now);
      return 0;
    }
    if (h.count >= this.max) return h.resetAt - now;
    h.count += 1;
    return 0;
  }
}

/**
 * Failed-attempt throttle with exponential back-off. Every attempt is counted as a failure
 * *before* the password is checked (so concurrent or batched attempts cannot all slip in before
 * the first failure lands); a success clears the key. From the `max`-th attempt on, the key is
 * locked for base·2^(attempts−max), capped at `capMs`, and the one attempt that set the lock is
 * the only one checked until it runs out. A key with no attempt for `capMs` starts afresh.
 */
export class BackoffThrottle {
  private state = new Map<string, { count: number; lockedUntil: number; lastAt: number }>();
  constructor(
    private readonly max: number,
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  /** Milliseconds until `key` may try again (0: now). Counts nothing. */
  wait(key: string, now = Date.now()): number {
    const s = this.live(key, now);
    return s && s.lockedUntil > now ? s.lockedUntil - now : 0;
  }

  /** Counts an attempt (call only when wait() is 0). */
  attempt(key: string, now = Date.now()): void {
    let s = this.live(key, now);
    if (!s) {
      s = { count: 0, lockedUntil: 0, lastAt: now };
      this.state.set(key, s);
      if (this.state.size > 100_000) sweep(this.state, (v) => now - v.lastAt > this.capMs && v.lockedUntil <= now);
    }
    s.count += 1;
    s.lastAt = now;
    if (s.count >= this.max) s.lockedUntil = now + Math.min(this.capMs, this.baseMs * 2 ** (s.count - this.max));
  }

  succeed(key: string): void {
    this.state.delete(key);
  }

  private live(key: string, now: number) {
    const s = this.state.get(key);
    if (s && s.lockedUntil <= now && now - s.lastAt > this.capMs) {
      this.state.delete(key);
      return undefined;
    }
    return s;
  }
}

function sweep<V>(m: Map<string, V>, dead: (v: V) => boolean): void {
  for (const [k, v] of m) if (dead(v)) m.delete(k);
}
