// Energy forecasters (torch-free interface): LSTM, TiDE and TFT in nets.cc (LibTorch),
// GBDT in gbdt.cc (XGBoost C API). Shared data layout:
//   past   [T, pastDim]   column 0 = target, then past covariates, then the `futureDim`
//                         known-in-advance columns (calendar) of the same time step LAST;
//   future [T, futureDim] the known-in-advance columns alone (same order as past's tail);
//   target [T]            NaN = not scored (missing or meter dropout).
// An origin o forecasts rows o .. o+H-1 from past rows o-L .. o-1 and future rows o .. o+H-1.
// Outputs are [n, H, Q] (quantiles ascending); at inference they are sorted along Q, so the
// quantiles never cross.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/float-array.h"
#include "core/limits.h"

namespace voltlab::energy {

struct NetSpec {
  std::string kind;     // "lstm" | "tide" | "tft"
  int lookback = 96;    // L
  int horizon = 96;     // H
  int pastDim = 1;      // columns of `past` (target first, known-in-advance columns last)
  int futureDim = 0;    // columns of `future` (= the tail of `past`)
  int quantiles = 3;    // Q
  int hidden = 64;      // LSTM/TiDE width; TFT d_model
  int layers = 1;       // LSTM layers; TiDE encoder/decoder blocks
  int heads = 4;        // TFT attention heads (hidden % heads == 0)
  int decoderDim = 8;   // TiDE per-step decoder output p
  int projDim = 4;      // TiDE covariate projection r
  double dropout = 0.1;
};

// z-score statistics: raw = normalised * std + mean.
struct Scaling {
  std::vector<float> pastMean, pastStd;      // pastDim
  std::vector<float> futureMean, futureStd;  // futureDim
  float yMean = 0, yStd = 1;
};

struct NetTrainSpec {
  NetSpec model;
  FloatArray past, future, target;  // already scaled (see Scaling)
  std::vector<int64_t> trainOrigins, valOrigins;
  std::vector<float> quantiles;     // ascending, in (0, 1)
  int epochs = 10;
  int batchSize = 128;
  double learningRate = 1e-3;
  uint64_t seed = 0;
  int threads = 1;
};

struct EpochInfo {
  int epoch = 0;  // 1-based; GBDT: boosting round
  int total = 0;
  double trainLoss = 0;  // mean pinball loss over the quantiles (scaled units)
  double valLoss = 0;
  double elapsedMs = 0;
};

struct NetTrainResult {
  std::vector<NamedWeight> weights;  // best validation epoch
  std::vector<EpochInfo> history;
  int bestEpoch = 0;
  double bestValLoss = 0;
  bool cancelled = false;
};

using EpochFn = std::function<void(const EpochInfo&)>;

void validate(const NetSpec& m);
void validate(const NetTrainSpec& spec);
NetTrainResult trainNet(const NetTrainSpec& spec, const EpochFn& onEpoch,
                        const std::atomic<bool>& cancel);
// past [n, L, pastDim], future [n, H, futureDim] RAW; returns [n, H, Q] RAW, sorted along Q
// (the same operations, in the same order, as the ONNX graph).
FloatArray predictNet(const NetSpec& m, const std::vector<NamedWeight>& weights,
                      const FloatArray& past, const FloatArray& future, const Scaling& s,
                      int threads);

// ---- GBDT (XGBoost) -------------------------------------------------------------------
// One booster per quantile, custom pinball gradient (XGBoost 1.7 has no quantile objective):
// grad = 1[y < ŷ] − q, hess = 1; base_score = the q-quantile of the scaled training target.
// One model for all H steps: a row per (origin, step h) with features
//   lags: target at window positions lagIndex(h, j) (index L = missing, NaN)
//   the futureDim known-in-advance values of the target time, then h itself.
struct GbdtSpec {
  int lookback = 96, horizon = 96, futureDim = 0, season = 96;
  int recentLags = 16;     // y[o-1] .. y[o-recentLags]
  int seasonalDays = 4;    // y[t - k*season + d], k = 1..seasonalDays, d = -1, 0, +1
  int trees = 200;         // boosting rounds (per quantile)
  double learningRate = 0.1;
  int maxLeaves = 31;
  int maxBin = 256;
  double lambda = 1.0;
  double minChildWeight = 1.0;
  double subsample = 1.0;
  double colsample = 1.0;
  int maxRows = 200000;    // training rows (origin, h) sampled with the seed
  int earlyStopping = 0;   // rounds without validation improvement; 0 = off
  uint64_t seed = 0;
  int threads = 2;
  std::vector<float> quantiles;
};

// [H, nLag] indices into the padded window (L + 1 positions, the last one NaN).
std::vector<int32_t> gbdtLagIndex(const GbdtSpec& s);
int gbdtFeatureCount(const GbdtSpec& s);

struct GbdtTrainSpec {
  GbdtSpec model;
  FloatArray target;  // [T] RAW values (trees need no input scaling), NaN = missing
  FloatArray future;  // [T, futureDim] raw
  float yMean = 0, yStd = 1;  // the label is (y - yMean) / yStd
  std::vector<int64_t> trainOrigins, valOrigins;
};

struct GbdtTrainResult {
  std::vector<std::string> models;       // XGBoost JSON model, one per quantile
  std::vector<std::string> configs;      // saved JSON config (learner_model_param.base_score)
  std::vector<float> baseScores;         // per quantile
  std::vector<EpochInfo> history;
  int bestRound = 0;                     // rounds kept
  double bestValLoss = 0;
  int trainRows = 0, features = 0;
  bool cancelled = false;
};

GbdtTrainResult trainGbdt(const GbdtTrainSpec& spec, const EpochFn& onRound,
                          const std::atomic<bool>& cancel);
// XGBoost's own prediction, scaled units, NOT sorted: [n, H, Q]. past is [n, L] raw target
// windows, future [n, H, futureDim] raw.
FloatArray predictGbdt(const GbdtSpec& s, const std::vector<std::string>& models,
                       const FloatArray& window, const FloatArray& future);

}  // namespace voltlab::energy
