// GBDT forecaster on XGBoost's C API (no LibTorch in this translation unit).
#include <xgboost/c_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "core/energy/energy-spec.h"
#include "core/errors.h"

namespace voltlab::energy {
namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw TorchError(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

struct DMatrix {
  DMatrixHandle h = nullptr;
  DMatrix(const std::vector<float>& data, size_t rows, size_t cols) {
    check(XGDMatrixCreateFromMat(data.data(), rows, cols, NAN, &h), "DMatrix");
  }
  ~DMatrix() { if (h) XGDMatrixFree(h); }
};

struct Booster {
  BoosterHandle h = nullptr;
  explicit Booster(DMatrixHandle* cache, int n) { check(XGBoosterCreate(cache, n, &h), "create"); }
  ~Booster() { if (h) XGBoosterFree(h); }
  void set(const char* k, const std::string& v) { check(XGBoosterSetParam(h, k, v.c_str()), k); }
};

std::string num(double v) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Features of one (window, future row, h) into out (nFeatures floats).
void features(const GbdtSpec& s, const std::vector<int32_t>& lagIndex, int nLag,
              const float* window /* L values */, const float* fut /* futureDim */, int h,
              float* out) {
  const int32_t* idx = lagIndex.data() + static_cast<size_t>(h) * nLag;
  for (int j = 0; j < nLag; ++j) out[j] = idx[j] >= s.lookback ? NAN : window[idx[j]];
  for (int c = 0; c < s.futureDim; ++c) out[nLag + c] = fut[c];
  out[nLag + s.futureDim] = static_cast<float>(h);
}

double pinballMean(const std::vector<float>& y, const float* pred, float q) {
  double sum = 0;
  size_t n = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) continue;
    const double d = y[i] - pred[i];
    sum += std::max(q * d, (q - 1) * d);
    ++n;
  }
  return n ? sum / n : NAN;
}

}  // namespace

std::vector<int32_t> gbdtLagIndex(const GbdtSpec& s) {
  const int L = s.lookback;
  std::vector<int32_t> out;
  for (int h = 0; h < s.horizon; ++h) {
    for (int r = 1; r <= s.recentLags; ++r) out.push_back(r <= L ? L - r : L);
    for (int k = 1; k <= s.seasonalDays; ++k) {
      for (int d = -1; d <= 1; ++d) {
        const int pos = L + h - k * s.season + d;  // window position of target time - k days + d
        out.push_back(pos >= 0 && pos < L ? pos : L);
      }
    }
  }
  return out;
}

int gbdtFeatureCount(const GbdtSpec& s) { return s.recentLags + 3 * s.seasonalDays + s.futureDim + 1; }

namespace {

void validateGbdt(const GbdtSpec& s) {
  auto need = [](bool ok, const std::string& msg) { if (!ok) throw InvalidArgument(msg); };
  using L = EnergyLimits;
  need(s.lookback >= 1 && s.lookback <= L::kMaxLookback, "lookback must be between 1 and " + std::to_string(L::kMaxLookback));
  need(s.horizon >= 1 && s.horizon <= L::kMaxHorizon, "horizon must be between 1 and " + std::to_string(L::kMaxHorizon));
  need(s.futureDim >= 0 && s.futureDim <= 64, "futureDim must be between 0 and 64");
  need(s.season >= 1, "season must be >= 1");
  need(s.recentLags >= 0 && s.recentLags <= s.lookback, "recentLags must be between 0 and lookback");
  need(s.seasonalDays >= 0 && s.seasonalDays <= 28, "seasonalDays must be between 0 and 28");
  need(s.trees >= 1 && s.trees <= L::kMaxTrees, "trees must be between 1 and " + std::to_string(L::kMaxTrees));
  need(s.learningRate > 0 && s.learningRate <= L::kMaxLearningRate, "learningRate must be in (0, 1]");
  need(s.maxLeaves >= 2 && s.maxLeaves <= 1024, "maxLeaves must be between 2 and 1024");
  need(s.maxRows >= 1, "maxRows must be >= 1");
  need(s.threads >= 1 && s.threads <= L::kMaxThreads, "threads must be between 1 and " + std::to_string(L::kMaxThreads));
  need(!s.quantiles.empty() && s.quantiles.size() <= 9, "1 to 9 quantiles");
  for (size_t i = 0; i < s.quantiles.size(); ++i) {
    need(s.quantiles[i] > 0 && s.quantiles[i] < 1, "quantiles must be in (0, 1)");
    need(i == 0 || s.quantiles[i] > s.quantiles[i - 1], "quantiles must be ascending");
  }
}

struct Rows {
  std::vector<float> x, y;
  size_t n = 0;
};

Rows buildRows(const GbdtTrainSpec& spec, const std::vector<int64_t>& origins, size_t maxRows,
               std::mt19937_64& rng) {
  const GbdtSpec& s = spec.model;
  const int T = static_cast<int>(spec.target.data.size());
  const auto lagIndex = gbdtLagIndex(s);
  const int nLag = static_cast<int>(lagIndex.size() / s.horizon);
  const int F = gbdtFeatureCount(s);
  std::vector<std::pair<int64_t, int>> cells;
  for (int64_t o : origins) {
    if (o < s.lookback || o + s.horizon > T) throw InvalidArgument("origin " + std::to_string(o) + " out of range");
    for (int h = 0; h < s.horizon; ++h)
      if (std::isfinite(spec.target.data[o + h])) cells.emplace_back(o, h);
  }
  if (cells.size() > maxRows) {  // partial Fisher-Yates: a seeded sample without replacement
    for (size_t i = 0; i < maxRows; ++i) {
      const size_t j = i + rng() % (cells.size() - i);
      std::swap(cells[i], cells[j]);
    }
    cells.resize(maxRows);
  }
  Rows r;
  r.n = cells.size();
  r.x.resize(r.n * F);
  r.y.resize(r.n);
  for (size_t i = 0; i < r.n; ++i) {
    const auto [o, h] = cells[i];
    features(s, lagIndex, nLag, spec.target.data.data() + (o - s.lookback),
             spec.future.data.data() + (o + h) * s.futureDim, h, r.x.data() + i * F);
    r.y[i] = (spec.target.data[o + h] - spec.yMean) / spec.yStd;
  }
  return r;
}

float quantileOf(std::vector<float> v, float q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * (v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return static_cast<float>(v[lo] + (pos - lo) * (v[hi] - v[lo]));
}

}  // namespace

GbdtTrainResult trainGbdt(const GbdtTrainSpec& spec, const EpochFn& onRound,
                          const std::atomic<bool>& cancel) {
  const GbdtSpec& s = spec.model;
  validateGbdt(s);
  if (spec.target.shape.size() != 1) throw InvalidArgument("target must be [T]");
  const int64_t T = spec.target.shape[0];
  if (spec.future.shape != std::vector<int64_t>{T, s.futureDim})
    throw InvalidArgument("future must be [T, futureDim] with T = target.shape[0]");
  if (!(spec.yStd > 0)) throw InvalidArgument("yStd must be > 0");
  if (spec.trainOrigins.empty() || spec.valOrigins.empty()) throw InvalidArgument("no training or validation origins");

  std::mt19937_64 rng(s.seed ^ 0x9E3779B97F4A7C15ULL);
  const Rows train = buildRows(spec, spec.trainOrigins, s.maxRows, rng);
  const Rows val = buildRows(spec, spec.valOrigins, std::max<size_t>(s.maxRows / 4, 1000), rng);
  if (train.n == 0 || val.n == 0) throw InvalidArgument("no finite targets to train or validate on");
  const int F = gbdtFeatureCount(s);
  DMatrix dtrain(train.x, train.n, F), dval(val.x, val.n, F);

  const size_t Q = s.quantiles.size();
  std::vector<std::unique_ptr<Booster>> boosters;
  GbdtTrainResult result;
  result.trainRows = static_cast<int>(train.n);
  result.features = F;
  for (size_t q = 0; q < Q; ++q) {
    DMatrixHandle cache[] = {dtrain.h, dval.h};
    auto b = std::make_unique<Booster>(cache, 2);
    const float base = quantileOf(train.y, s.quantiles[q]);
    result.baseScores.push_back(base);
    b->set("objective", "reg:squarederror");  // only its identity output transform is used
    b->set("base_score", num(base));
    b->set("tree_method", "hist");
    b->set("grow_policy", "lossguide");
    b->set("max_depth", "0");
    b->set("max_leaves", std::to_string(s.maxLeaves));
    b->set("max_bin", std::to_string(s.maxBin));
    b->set("eta", num(s.learningRate));
    b->set("lambda", num(s.lambda));
    b->set("min_child_weight", num(s.minChildWeight));
    b->set("subsample", num(s.subsample));
    b->set("colsample_bytree", num(s.colsample));
    b->set("nthread", std::to_string(s.threads));
    b->set("seed", std::to_string(s.seed % 2147483647));
    b->set("verbosity", "0");
    boosters.push_back(std::move(b));
  }

  std::vector<float> grad(train.n), hess(train.n, 1.0f);
  double best = INFINITY;
  int bestRound = 0;
  for (int round = 1; round <= s.trees; ++round) {
    if (cancel.load(std::memory_order_relaxed)) { result.cancelled = true; break; }
    const auto started = std::chrono::steady_clock::now();
    double trainLoss = 0, valLoss = 0;
    for (size_t q = 0; q < Q; ++q) {
      const float tau = s.quantiles[q];
      bst_ulong len = 0;
      const float* pred = nullptr;
      check(XGBoosterPredict(boosters[q]->h, dtrain.h, 0, 0, 1, &len, &pred), "predict");
      for (size_t i = 0; i < train.n; ++i) grad[i] = (train.y[i] < pred[i] ? 1.0f : 0.0f) - tau;
      check(XGBoosterBoostOneIter(boosters[q]->h, dtrain.h, grad.data(), hess.data(), train.n), "boost");
      check(XGBoosterPredict(boosters[q]->h, dtrain.h, 0, 0, 1, &len, &pred), "predict");
      trainLoss += pinballMean(train.y, pred, tau) / Q;
      check(XGBoosterPredict(boosters[q]->h, dval.h, 0, 0, 0, &len, &pred), "predict");
      valLoss += pinballMean(val.y, pred, tau) / Q;
    }
    EpochInfo info;
    info.epoch = round;
    info.total = s.trees;
    info.trainLoss = trainLoss;
    info.valLoss = valLoss;
    info.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (!std::isfinite(valLoss)) throw NonFiniteLoss("GBDT validation loss is not finite at round " + std::to_string(round));
    result.history.push_back(info);
    if (valLoss < best) { best = valLoss; bestRound = round; }
    if (onRound) onRound(info);
    if (s.earlyStopping > 0 && round - bestRound >= s.earlyStopping) break;
  }
  result.bestRound = bestRound;
  result.bestValLoss = bestRound ? best : NAN;
  if (bestRound == 0) return result;
  for (size_t q = 0; q < Q; ++q) {
    BoosterHandle kept = boosters[q]->h;
    std::unique_ptr<void, int (*)(BoosterHandle)> sliced(nullptr, XGBoosterFree);
    if (bestRound < static_cast<int>(result.history.size())) {
      BoosterHandle out = nullptr;
      check(XGBoosterSlice(kept, 0, bestRound, 1, &out), "slice");
      sliced.reset(out);
      kept = out;
    }
    bst_ulong len = 0;
    const char* buf = nullptr;
    check(XGBoosterSaveModelToBuffer(kept, "{\"format\": \"json\"}", &len, &buf), "save");
    result.models.emplace_back(buf, len);
    check(XGBoosterSaveJsonConfig(kept, &len, &buf), "config");
    result.configs.emplace_back(buf, len);
  }
  return result;
}

FloatArray predictGbdt(const GbdtSpec& s, const std::vector<std::string>& models,
                       const FloatArray& window, const FloatArray& future) {
  validateGbdt(s);
  if (models.size() != s.quantiles.size()) throw InvalidArgument("one model per quantile");
  if (window.shape.size() != 2 || window.shape[1] != s.lookback)
    throw InvalidArgument("window must be [n, lookback]");
  const int64_t n = window.shape[0];
  if (future.shape != std::vector<int64_t>{n, s.horizon, s.futureDim})
    throw InvalidArgument("future must be [n, horizon, futureDim]");
  const auto lagIndex = gbdtLagIndex(s);
  const int nLag = static_cast<int>(lagIndex.size() / s.horizon);
  const int F = gbdtFeatureCount(s);
  std::vector<float> x(static_cast<size_t>(n) * s.horizon * F);
  for (int64_t i = 0; i < n; ++i)
    for (int h = 0; h < s.horizon; ++h)
      features(s, lagIndex, nLag, window.data.data() + i * s.lookback,
               future.data.data() + (i * s.horizon + h) * s.futureDim, h,
               x.data() + (i * s.horizon + h) * F);
  DMatrix d(x, static_cast<size_t>(n) * s.horizon, F);
  const size_t Q = models.size();
  FloatArray out;
  out.shape = {n, s.horizon, static_cast<int64_t>(Q)};
  out.data.resize(static_cast<size_t>(n) * s.horizon * Q);
  for (size_t q = 0; q < Q; ++q) {
    Booster b(nullptr, 0);
    check(XGBoosterLoadModelFromBuffer(b.h, models[q].data(), models[q].size()), "load");
    b.set("nthread", std::to_string(s.threads));
    bst_ulong len = 0;
    const float* pred = nullptr;
    check(XGBoosterPredict(b.h, d.h, 0, 0, 0, &len, &pred), "predict");
    for (size_t r = 0; r < len; ++r) out.data[r * Q + q] = pred[r];
  }
  return out;
}

}  // namespace voltlab::energy
