/**
 * Case B model selection by leave-one-cell-out over its training cells (bench/accuracy/select.ts):
 * the candidate notation and the scoring, shared with bench/accuracy/run.ts, which reports the
 * selected candidates' test-cell rows.
 */
import { mean } from "simple-statistics";
import type { Algorithm } from "../../server/schemas/training.js";

export interface Candidate {
  key: string;
  algorithm: Algorithm;
  physicsInputs?: string[];
  physicsLoss?: "sum" | "adaptive";
  /** Weight of the physics terms in the sum loss (absent: 1). */
  physicsWeight?: number;
  inputNoise: number;
  /** Epoch budget (absent: the run's EPOCHS); the best-validation epoch within it is kept. */
  epochs?: number;
}

export function parseCandidate(text: string): Candidate {
  const m = /^(baseline|deephpm)(?::([a-z_,]+):(sum|adaptive)(?:\*([0-9.]+))?)?@([0-9.]+)(?:#([0-9]+))?$/.exec(
    text.trim(),
  );
  if (!m)
    throw new Error(
      `Bad candidate "${text}": expected e.g. baseline@0.2, deephpm:s,t,u:sum@0.2 or deephpm:s,t,u:sum*0.3@0.2 (physics weight 0.3), baseline@0.2#500 (500 epochs)`,
    );
  const [, algorithm, inputs, loss, weight, sigma, epochs] = m;
  if (algorithm === "deephpm" && !inputs) throw new Error(`Candidate "${text}": DeepHPM needs its G inputs and loss`);
  if (weight && loss !== "sum") throw new Error(`Candidate "${text}": a physics weight applies to the sum loss only`);
  return {
    key: text.trim(),
    algorithm: algorithm as Algorithm,
    physicsInputs: inputs?.split(","),
    physicsLoss: loss as Candidate["physicsLoss"],
    ...(weight ? { physicsWeight: Number(weight) } : {}),
    inputNoise: Number(sigma),
    ...(epochs ? { epochs: Number(epochs) } : {}),
  };
}

export interface FoldRow {
  candidate: string;
  algorithm: Algorithm;
  heldOut: string;
  trainCells: string[];
  seeds: number[];
  bestEpochs: number[];
  perSeed: number[];
  mean: number;
  msPerEpoch: number;
}

export interface ScoredCandidate {
  key: string;
  algorithm: Algorithm;
  byFold: Record<string, FoldRow>;
  /** Every fold present. */
  complete: boolean;
  /** Mean over folds of the seed-mean held-out SoH RMSPE. */
  score: number;
  ms: number;
}

/** Candidates scored over the folds they have, best first; the best complete one per algorithm. */
export function scoreCandidates(rows: FoldRow[]) {
  const folds = [...new Set(rows.map((r) => r.heldOut))].sort();
  const scored: ScoredCandidate[] = [...new Set(rows.map((r) => r.candidate))]
    .map((key) => {
      const rs = rows.filter((r) => r.candidate === key);
      const byFold = Object.fromEntries(rs.map((r) => [r.heldOut, r]));
      return {
        key,
        algorithm: rs[0].algorithm,
        byFold,
        complete: folds.every((f) => byFold[f]),
        score: mean(rs.map((r) => r.mean)),
        ms: mean(rs.map((r) => r.msPerEpoch)),
      };
    })
    .sort((a, b) => a.score - b.score);
  const best = (algorithm: string) => scored.find((s) => s.algorithm === algorithm && s.complete);
  return { folds, scored, best };
}

/** The bench/accuracy row label of a candidate's DeepHPM variant (null for other algorithms). */
export const variantOf = (c: Pick<Candidate, "algorithm" | "physicsInputs" | "physicsLoss" | "physicsWeight">) =>
  c.algorithm === "deephpm"
    ? `G[${c.physicsInputs!.join(",")}], ${c.physicsLoss}${(c.physicsWeight ?? 1) !== 1 ? ` w ${c.physicsWeight}` : ""}`
    : null;
