import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalise, PROFILES, probationRows, rowWindows, scoreFile } from "./scoring.js";

const [standard, lowFP, lowFN] = PROFILES;

describe("NAB scoring", () => {
  // 100 rows (probation 15), windows rows 40–49 and 80–89. Detections:
  //  10 in probation (ignored); 30 before any window: −A_FP;
  //  45 first in window 1: y = −(49 − 45 + 1)/10 = −0.5 → σ(−0.5)/σ(−1) = 0.848283/0.986614 = 0.859797;
  //  47 later in the same window (ignored);
  //  60 after window 1: y = (60 − 49)/10 = 1.1 → A_FP·σ(1.1) = A_FP·(−0.991860);
  //  window 2 missed: −A_FN.
  // standard: −0.11 + 0.859797 − 0.109105 − 1 = −0.359308 (by hand, to 6 places).
  const windows = [
    { start: 40, end: 49 },
    { start: 80, end: 89 },
  ];
  const detections = [10, 30, 45, 47, 60];

  it("scores a hand-made case as computed by hand for every profile", () => {
    const s = scoreFile(detections, windows, 100, standard);
    expect(s.score).toBeCloseTo(-0.359308, 5);
    expect({ tp: s.tp, fp: s.fp, fn: s.fn }).toEqual({ tp: 1, fp: 2, fn: 1 });
    // reward_low_FP doubles the FP weights: −0.22 + 0.859797 − 0.218209 − 1 = −0.578412.
    expect(scoreFile(detections, windows, 100, lowFP).score).toBeCloseTo(-0.578412, 5);
    // reward_low_FN doubles the missed window: −1.359308.
    expect(scoreFile(detections, windows, 100, lowFN).score).toBeCloseTo(-1.359308, 5);
    // Normalised over the two windows: 100·(−0.359308 + 2)/(2 + 2) = 41.0173.
    expect(normalise(s.score, 2, standard)).toBeCloseTo(41.0173, 3);
  });

  it("gives the earliest detection in a window exactly A_TP and nothing scores in probation", () => {
    expect(scoreFile([40], windows.slice(0, 1), 100, standard).score).toBeCloseTo(1, 12);
    expect(scoreFile([5, 14], [], 100, standard).score).toBe(0);
    expect(probationRows(100)).toBe(15);
    expect(probationRows(22695)).toBe(750);
  });

  it("maps timestamp windows to inclusive rows", () => {
    const ts = [0, 10, 20, 30, 40, 50];
    expect(
      rowWindows(ts, [
        { start: 35, end: 50 },
        { start: 10, end: 20 },
      ]),
    ).toEqual([
      { start: 1, end: 2 },
      { start: 4, end: 5 },
    ]);
  });

  it("reproduces the README's 71.9 for Numenta HTM from the published per-file scores", () => {
    const lines = readFileSync("bench/data/nab/published_standard_scores.csv", "utf8").trim().split("\n");
    const head = lines[0].split(",");
    const col = head.indexOf("numenta"),
      winCol = head.indexOf("windows");
    let sum = 0,
      windowsTotal = 0;
    for (const l of lines.slice(1)) {
      const c = l.split(",");
      sum += Number(c[col]);
      windowsTotal += Number(c[winCol]);
    }
    expect(lines.length - 1).toBe(47);
    expect(normalise(sum, windowsTotal, standard).toFixed(1)).toBe("71.9");
  });
});
