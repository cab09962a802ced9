import { describe, expect, it } from "vitest";
import {
  alertsFromScores,
  DEFAULT_STREAMING,
  initialState,
  probationPoints,
  step,
  type StreamingState,
} from "./streaming.js";

/** 15-min steps: a daily sine, seeded noise, and `extra` added at chosen indices. */
function series(n: number, extra: Record<number, number> = {}, seed = 3): number[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from(
    { length: n },
    (_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + (rnd() - 0.5) * 4 + (extra[i] ?? 0),
  );
}

function run(values: (number | null)[], probation = 300, state?: StreamingState) {
  const s = state ?? initialState(probation, 900);
  return { results: values.map((v) => step(s, v, DEFAULT_STREAMING)), state: s };
}

describe("streaming detector", () => {
  it("decides point i from points ≤ i only: appending other futures never changes past decisions", () => {
    const base = series(1500, { 900: 35 });
    const full = run(base).results;
    for (const k of [301, 650, 900, 901, 1200]) {
      // The same past, then a different future (a level shift, a spike, missing values).
      const other = [...base.slice(0, k), ...base.slice(k).map((v, j) => (j % 7 === 0 ? null : v + 30))];
      const alt = run(other).results;
      expect(alt.slice(0, k)).toEqual(full.slice(0, k));
      expect(run(base.slice(0, k)).results).toEqual(full.slice(0, k));
    }
  });

  it("resumes from its JSON state exactly as if it had not stopped", () => {
    const v = series(1400, { 700: 40, 1100: -45 });
    const whole = run(v).results;
    const first = run(v.slice(0, 777));
    const resumed = JSON.parse(JSON.stringify(first.state)) as StreamingState;
    const rest = run(v.slice(777), 300, resumed).results;
    expect([...first.results, ...rest]).toEqual(whole);
  });

  it("learns in probation, then alerts once per anomaly (a long stretch is one event)", () => {
    // A spike at 700 and a stretch 1000–1199 shifted by +60.
    const extra: Record<number, number> = { 700: 40 };
    for (let i = 1000; i < 1200; i++) extra[i] = 60;
    const { results } = run(series(1600, extra));
    expect(results.slice(0, 300).every((r) => r.learning && !r.alert)).toBe(true);
    const alerts = results.flatMap((r, i) => (r.alert ? [i] : []));
    expect(alerts.filter((i) => i >= 700 && i <= 702)).toHaveLength(1);
    expect(alerts.filter((i) => i >= 1000 && i < 1200)).toHaveLength(1);
    // Every alert's score reached the threshold.
    for (const i of alerts) expect(results[i].score!).toBeGreaterThanOrEqual(DEFAULT_STREAMING.threshold);
    // The threshold search's rule gives the same alerts from the same scores.
    expect(
      alertsFromScores(
        results.map((r) => r.score),
        300,
        DEFAULT_STREAMING,
      ),
    ).toEqual(alerts);
  });

  it("takes 15 % of a series as probation, at most 750 and at least 20 points", () => {
    expect(probationPoints(1000)).toBe(150);
    expect(probationPoints(100_000)).toBe(750);
    expect(probationPoints(50)).toBe(20);
    expect(() => initialState(0, 900)).toThrow(/probation/);
  });
});
