/**
 * NAB-style scoring, written for VoltLab from the published rules of the Numenta Anomaly
 * Benchmark (Lavin & Ahmad, ICMLA 2015; attribution in bench/data/nab/README.md):
 *
 *  - rows before the probation end (15 % of a file's rows, at most 750 = 15 % of 5,000, as in
 *    NAB's own scorer: the published per-file scores need the cap, e.g. ARTime's 2.56 on
 *    machine_temperature_system_failure is only reachable if its first window, rows
 *    2126–2692, is scored) are not scored;
 *  - in each labelled window only the earliest detection counts, worth
 *    A_TP · σ(y)/σ(−1) with σ(y) = 2/(1+e^{5y}) − 1 and y = −(end − i + 1)/width
 *    (−1 at the window's first row, just below 0 at its last);
 *  - a window without a detection costs −A_FN;
 *  - a detection outside every window costs A_FP · σ(y), y being its distance past the right
 *    edge of the closest window before it, in that window's widths (−A_FP with no window before);
 *  - corpus score 100·(S − S_null)/(S_perfect − S_null), S_null = −A_FN·windows,
 *    S_perfect = A_TP·windows.
 * Pure functions: no file access (corpus.ts reads files).
 */

export interface Profile {
  name: string;
  tp: number;
  fp: number;
  fn: number;
}

export const PROFILES: Profile[] = [
  { name: "standard", tp: 1, fp: 0.11, fn: 1 },
  { name: "reward_low_FP", tp: 1, fp: 0.22, fn: 1 },
  { name: "reward_low_FN", tp: 1, fp: 0.11, fn: 2 },
];

export const PROBATION_SHARE = 0.15;
export const PROBATION_CAP = 750;

/** σ(y) = 2/(1+e^{5y}) − 1: +1 far left, 0 at y = 0, −1 far right. */
export function scaledSigmoid(y: number): number {
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/** A window as inclusive row indices. */
export interface RowWindow {
  start: number;
  end: number;
}

/** Rows of the file not scored: floor(15 % of the rows), at most 750. */
export function probationRows(rows: number): number {
  return Math.min(Math.floor(PROBATION_SHARE * rows), PROBATION_CAP);
}

/** Inclusive row windows from timestamp windows (rows with start ≤ ts ≤ end); empty windows dropped. */
export function rowWindows(ts: ArrayLike<number>, windows: { start: number; end: number }[]): RowWindow[] {
  const out: RowWindow[] = [];
  for (const w of windows) {
    let a = 0;
    while (a < ts.length && ts[a] < w.start) a++;
    let b = a - 1;
    while (b + 1 < ts.length && ts[b + 1] <= w.end) b++;
    if (b >= a) out.push({ start: a, end: b });
  }
  return out.sort((x, y) => x.start - y.start);
}

export interface FileScore {
  score: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Raw score of one file: `detections` are ascending row indices (each one detection),
 * `windows` ascending, non-overlapping.
 */
export function scoreFile(detections: ArrayLike<number>, windows: RowWindow[], rows: number, p: Profile): FileScore {
  const probation = probationRows(rows);
  let score = 0,
    tp = 0,
    fp = 0;
  const hit = new Array<boolean>(windows.length).fill(false);
  let w = 0; // first window whose end is ≥ the current detection
  for (let k = 0; k < detections.length; k++) {
    const i = detections[k];
    if (i < probation) continue;
    while (w < windows.length && windows[w].end < i) w++;
    if (w < windows.length && windows[w].start <= i) {
      if (hit[w]) continue;
      hit[w] = true;
      const width = windows[w].end - windows[w].start + 1;
      const y = -(windows[w].end - i + 1) / width;
      score += (p.tp * scaledSigmoid(y)) / scaledSigmoid(-1);
      tp++;
      continue;
    }
    fp++;
    if (w === 0) {
      score -= p.fp;
    } else {
      const prev = windows[w - 1];
      const width = prev.end - prev.start + 1;
      score += p.fp * scaledSigmoid((i - prev.end) / width);
    }
  }
  const fn = hit.filter((h) => !h).length;
  score -= p.fn * fn;
  return { score, tp, fp, fn };
}

/** 100·(S − S_null)/(S_perfect − S_null) over a corpus with `windows` windows in all. */
export function normalise(rawSum: number, windows: number, p: Profile): number {
  const nullScore = -p.fn * windows;
  const perfect = p.tp * windows;
  return (100 * (rawSum - nullScore)) / (perfect - nullScore);
}
