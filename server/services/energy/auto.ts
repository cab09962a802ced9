/**
 * Auto: trains the candidates on one split within a time budget (CPU seconds of the process, see
 * cpuBudgetSignal), keeps the one with the lowest
 * MAE of the median on the validation part (never the held-out tail; unusual points left out:
 * unusual-points.ts; when more than UNUSUAL_FALLBACK_SHARE of it is unusual, only the seasonal
 * candidates compete), then calibrates it
 * (forecasting.ts calibrationOrigins: a fitted model on the validation part, a seasonal one on every
 * window before the tail).
 * Seasonal naive is always a candidate and wins ties, so a series nothing can beat gets seasonal
 * naive as its model (a full version: ONNX graph, calibrated band).
 *
 * Candidates, in order: seasonal naive, seasonal mean (the same time of day averaged over the
 * days the lookback holds, up to 7: instant; it wins on series whose daily shape is steady and
 * whose noise is large, where one day back repeats the noise), seasonal median (the middle of those
 * days: instant; one broken day, an outage or a burst, does not move it), GBDT (seconds), TiDE (stopped at the budget;
 * its best epoch so far is kept). LSTM and TFT are left out: on the Steel bench (bench/energy)
 * they score below TiDE at 1.3-7x its training time, so within a budget they do not pay off.
 */
import type { EnergyEpoch } from "../../../native/energy.js";
import { mae, seasonalScale } from "../../ml/forecast-metrics.js";
import { AUTO_BUDGET_SECONDS } from "./defaults.js";
import { DEFAULT_TRAINING } from "./models-schema.js";
import {
  calibrateCandidate,
  fitCandidate,
  isSeasonalKind,
  prepareTraining,
  windowForecasts,
  type FittedCandidate,
  type ForecastKind,
  type TrainedForecaster,
} from "./forecasting.js";
import type { LoadedSeries } from "./series.js";
import { UNUSUAL_FALLBACK_SHARE, validationUnusualShare, withoutUnusual } from "./unusual-points.js";

export const AUTO_CANDIDATES: ForecastKind[] = ["seasonal-naive", "seasonal-mean", "seasonal-median", "gbdt", "tide"];
/** A candidate with less budget left than this is skipped. */
const MIN_SECONDS_LEFT = 5;
/** GBDT training rows in Auto (origin × step pairs, sampled): a third of the single-model default, so it fits the budget on a shared 2-core machine. */
const AUTO_GBDT_ROWS = 30_000;

/** CPU seconds (user + system, every thread of this process) since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/**
 * Aborts when the process has used `budget` CPU seconds since `from` (checked every 200 ms), or
 * after 10 × budget of wall time: the budget counts work done, so a machine busy with other
 * jobs slows Auto down instead of cutting its candidates short.
 */
function cpuBudgetSignal(from: NodeJS.CpuUsage, budget: number) {
  const ctrl = new AbortController();
  const wall = setTimeout(() => ctrl.abort(), Math.ceil(budget * 10_000));
  const poll = setInterval(() => {
    if (cpuSeconds(from) >= budget) ctrl.abort();
  }, 200);
  return {
    signal: ctrl.signal,
    stop: () => {
      clearInterval(poll);
      clearTimeout(wall);
    },
  };
}

export interface CandidateResult {
  kind: ForecastKind;
  status: "trained" | "stopped at the budget" | "skipped: no budget left" | "failed";
  /** On the validation part: MAE of the median, and that over the training part's seasonal scale. */
  valMae: number | null;
  valMase: number | null;
  trainSeconds: number | null;
  best: number | null;
  error?: string;
  chosen: boolean;
}

export interface AutoOptions {
  lookback: number;
  horizon: number;
  quantiles?: number[];
  fraction?: number;
  seed?: number;
  budgetSeconds?: number;
  threads?: number;
  calibrate?: boolean;
}

export interface AutoResult {
  trained: TrainedForecaster;
  candidates: CandidateResult[];
  budgetSeconds: number;
  /** CPU seconds Auto used (what the budget counts). */
  cpuSeconds: number;
  /** Share of the validation part flagged unusual, and whether that limited the choice to the seasonal candidates. */
  validationUnusualShare?: number;
  seasonalOnly?: boolean;
}

/**
 * The index of the candidate Auto keeps: the lowest validation MAE, strictly better than what came
 * before (seasonal naive first) to win; only the seasonal candidates when more than
 * UNUSUAL_FALLBACK_SHARE of the validation part is unusual (`unusualShare`).
 */
export function chooseCandidate(
  scored: { kind: ForecastKind; valMae: number }[],
  unusualShare: number,
): { index: number; seasonalOnly: boolean } {
  const seasonalOnly = unusualShare > UNUSUAL_FALLBACK_SHARE && scored.some((c) => isSeasonalKind(c.kind));
  let index = -1;
  scored.forEach((c, i) => {
    if (seasonalOnly && !isSeasonalKind(c.kind)) return;
    if (index < 0 || c.valMae < scored[index].valMae) index = i;
  });
  return { index, seasonalOnly };
}

export async function trainAuto(
  series: LoadedSeries,
  opts: AutoOptions,
  onEpoch?: (kind: ForecastKind, e: EnergyEpoch) => void,
  signal?: AbortSignal,
): Promise<AutoResult> {
  const p = prepareTraining(series, opts);
  const budget = opts.budgetSeconds ?? AUTO_BUDGET_SECONDS;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const left = () => budget - cpuSeconds(cpu0);
  const scale = seasonalScale(p.m.target.subarray(0, p.valStart), p.season);
  const results: CandidateResult[] = [];
  const fitted: { c: FittedCandidate; valMae: number }[] = [];
  for (const kind of AUTO_CANDIDATES) {
    if (signal?.aborted) break;
    const row: CandidateResult = {
      kind,
      status: "trained",
      valMae: null,
      valMase: null,
      trainSeconds: null,
      best: null,
      chosen: false,
    };
    results.push(row);
    const instant = isSeasonalKind(kind);
    if (!instant && left() < MIN_SECONDS_LEFT) {
      row.status = "skipped: no budget left";
      continue;
    }
    try {
      const budgetSignal = cpuBudgetSignal(cpu0, budget);
      const sig = signal ? AbortSignal.any([signal, budgetSignal.signal]) : budgetSignal.signal;
      const defaults = isSeasonalKind(kind) ? undefined : DEFAULT_TRAINING[kind];
      const c = await fitCandidate(
        p,
        {
          kind,
          lookback: p.L,
          horizon: p.H,
          quantiles: p.quantiles,
          fraction: p.fraction,
          seed: opts.seed,
          epochs: defaults?.epochs,
          learningRate: defaults?.learningRate,
          maxRows: AUTO_GBDT_ROWS,
          threads: kind === "gbdt" ? (opts.threads ?? 2) : 1,
        },
        (e) => onEpoch?.(kind, e),
        sig,
      ).finally(budgetSignal.stop);
      if (signal?.aborted) break;
      row.trainSeconds = c.trainSeconds;
      row.best = c.best;
      if (!c.usable) {
        row.status = "skipped: no budget left";
        continue;
      }
      if (c.cancelled) row.status = "stopped at the budget";
      const w = await windowForecasts(c.write(null), c.config, p, p.valOrigins);
      const { forecast } = w,
        { actual } = withoutUnusual(w.actual, p.valOrigins, p.H, p.unusual);
      const Q = p.quantiles.length,
        mid = p.quantiles.findIndex((q) => Math.abs(q - 0.5) < 1e-9);
      const q50 = Float32Array.from({ length: actual.length }, (_, i) => forecast[i * Q + mid]);
      row.valMae = mae(actual, q50);
      row.valMase = scale > 0 ? row.valMae / scale : null;
      fitted.push({ c, valMae: row.valMae });
    } catch (e) {
      if (kind === "seasonal-naive") throw e;
      row.status = "failed";
      row.error = e instanceof Error ? e.message : String(e);
    }
  }
  if (signal?.aborted || !fitted.length) {
    const c = fitted[0]?.c;
    return {
      trained: {
        config: c?.config ?? ({} as TrainedForecaster["config"]),
        onnx: new Uint8Array(),
        history: [],
        best: 0,
        trainSeconds: (performance.now() - started) / 1000,
        cancelled: true,
        files: {},
      },
      candidates: results,
      budgetSeconds: budget,
      cpuSeconds: cpuSeconds(cpu0),
    };
  }
  // When most of the validation part is unusual, what is left of it cannot tell a fitted model that
  // chased the break from one that learned the daily pattern: the best seasonal candidate is kept.
  const share = validationUnusualShare(p.unusual, p.valStart, p.trainPoints);
  const { index, seasonalOnly } = chooseCandidate(
    fitted.map((f) => ({ kind: f.c.config.kind, valMae: f.valMae })),
    share,
  );
  const best = fitted[index];
  results.find((r) => r.kind === best.c.config.kind)!.chosen = true;
  const trained = await calibrateCandidate(p, best.c, opts.calibrate ?? true);
  const history = best.c.history;
  return {
    trained: { ...trained, history, trainSeconds: (performance.now() - started) / 1000, cancelled: false },
    candidates: results,
    budgetSeconds: budget,
    cpuSeconds: cpuSeconds(cpu0),
    validationUnusualShare: share,
    seasonalOnly,
  };
}
