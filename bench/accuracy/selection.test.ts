/**
 * The Case B selection behind the README's accuracy figures (bench/accuracy/selection.ts): the
 * candidate notation, the leave-one-cell-out scoring, and the committed result
 * (bench/results/accuracy-select.{json,md}) re-derived from its own fold rows.
 */
import fs from "node:fs";
import { describe, it, expect } from "vitest";
import { parseCandidate, scoreCandidates, variantOf, type FoldRow } from "./selection.js";

const row = (candidate: string, heldOut: string, mean: number, msPerEpoch = 10): FoldRow => ({
  candidate,
  algorithm: parseCandidate(candidate).algorithm,
  heldOut,
  trainCells: [],
  seeds: [1],
  bestEpochs: [1],
  perSeed: [mean],
  mean,
  msPerEpoch,
});

describe("bench/accuracy candidate notation", () => {
  it("parses every part of the notation", () => {
    expect(parseCandidate(" baseline@0.2 ")).toEqual({
      key: "baseline@0.2",
      algorithm: "baseline",
      physicsInputs: undefined,
      physicsLoss: undefined,
      inputNoise: 0.2,
    });
    expect(parseCandidate("baseline@0.3#1000")).toMatchObject({ algorithm: "baseline", inputNoise: 0.3, epochs: 1000 });
    expect(parseCandidate("deephpm:s,t,u,u_t:adaptive@0.1")).toEqual({
      key: "deephpm:s,t,u,u_t:adaptive@0.1",
      algorithm: "deephpm",
      physicsInputs: ["s", "t", "u", "u_t"],
      physicsLoss: "adaptive",
      inputNoise: 0.1,
    });
    const weighted = parseCandidate("deephpm:s,t,u:sum*0.3@0.3");
    expect(weighted).toMatchObject({
      physicsInputs: ["s", "t", "u"],
      physicsLoss: "sum",
      physicsWeight: 0.3,
      inputNoise: 0.3,
    });
    expect(weighted.epochs).toBeUndefined();
    expect(parseCandidate("deephpm:s,t,u:sum@0#200").epochs).toBe(200);
  });

  it("refuses malformed candidates, naming the candidate", () => {
    expect(() => parseCandidate("bilstm@0.2")).toThrow('Bad candidate "bilstm@0.2"');
    expect(() => parseCandidate("baseline")).toThrow(/Bad candidate "baseline": expected e\.g\./);
    expect(() => parseCandidate("deephpm@0.2")).toThrow('Candidate "deephpm@0.2": DeepHPM needs its G inputs and loss');
    expect(() => parseCandidate("deephpm:s,t:adaptive*0.3@0.2")).toThrow(
      "a physics weight applies to the sum loss only",
    );
  });

  it("labels DeepHPM variants as the accuracy rows do (weight shown only when not 1)", () => {
    expect(variantOf(parseCandidate("baseline@0.2"))).toBeNull();
    expect(variantOf(parseCandidate("deephpm:s,t,u:sum@0.2"))).toBe("G[s,t,u], sum");
    expect(variantOf(parseCandidate("deephpm:s,t,u:sum*1@0.2"))).toBe("G[s,t,u], sum");
    expect(variantOf(parseCandidate("deephpm:s,t,u:sum*0.3@0.2"))).toBe("G[s,t,u], sum w 0.3");
    expect(variantOf(parseCandidate("deephpm:s,t,u,u_t:adaptive@0"))).toBe("G[s,t,u,u_t], adaptive");
  });
});

describe("bench/accuracy selection", () => {
  it("scores by the mean over folds, best first, and selects per algorithm only candidates with every fold", () => {
    const rows = [
      row("baseline@0.1", "101", 0.02),
      row("baseline@0.1", "108", 0.04), // mean 0.03
      row("baseline@0.2", "101", 0.01), // best mean, but fold 108 missing: never selected
      row("baseline@0.3", "101", 0.035),
      row("baseline@0.3", "108", 0.015), // mean 0.025: selected baseline
      row("deephpm:s,t,u:sum@0.1", "108", 0.05),
      row("deephpm:s,t,u:sum@0.1", "101", 0.03), // mean 0.04
    ];
    const { folds, scored, best } = scoreCandidates(rows);
    expect(folds).toEqual(["101", "108"]);
    expect(scored.map((s) => [s.key, s.complete])).toEqual([
      ["baseline@0.2", false],
      ["baseline@0.3", true],
      ["baseline@0.1", true],
      ["deephpm:s,t,u:sum@0.1", true],
    ]);
    expect(scored[1].score).toBeCloseTo(0.025, 15);
    expect(Object.keys(scored[3].byFold).sort()).toEqual(["101", "108"]);
    expect(best("baseline")?.key).toBe("baseline@0.3");
    expect(best("deephpm")?.key).toBe("deephpm:s,t,u:sum@0.1");
    expect(best("bilstm")).toBeUndefined();
  });

  it("re-derives the committed selection (accuracy-select.md) from the committed fold rows", () => {
    const committed = JSON.parse(
      fs.readFileSync(new URL("../results/accuracy-select.json", import.meta.url), "utf8"),
    ) as { rows: FoldRow[] };
    const md = fs.readFileSync(new URL("../results/accuracy-select.md", import.meta.url), "utf8");
    const { folds, best } = scoreCandidates(committed.rows);
    expect(folds).toEqual(["101", "108", "120"]);
    for (const algorithm of ["baseline", "deephpm"]) {
      const b = best(algorithm)!;
      expect(b.complete).toBe(true);
      // The published line: "- <algorithm>: <candidate> (<score to 5 places>)".
      expect(md).toContain(`- ${algorithm}: ${b.key} (${b.score.toFixed(5)})`);
      // Every committed candidate parses (the notation the bench reruns it from).
      expect(parseCandidate(b.key).key).toBe(b.key);
    }
    for (const r of committed.rows) expect(parseCandidate(r.candidate).algorithm).toBe(r.algorithm);
  });
});
