// The energy forecasters' core (LSTM, TiDE, TFT via LibTorch; GBDT via XGBoost) on a
// synthetic daily load: y = sin(2π h / 24) + 0.3 sin(2π t / (24 · 7)) + noise, with the
// hour of day as a known-in-advance covariate. Each model must forecast the held-out
// tail clearly better than the best constant (the training target's quantiles), return
// [n, H, Q] in raw units with quantiles that never cross, and reject bad input by name.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/energy/energy-spec.h"
#include "core/errors.h"
#include "tests/test-harness.h"

namespace {

using namespace voltlab;
using namespace voltlab::energy;

constexpr int kSeason = 24, kLookback = 48, kHorizon = 24, kDays = 36;
constexpr int kT = kSeason * kDays;
constexpr double kPi = 3.14159265358979323846;
const std::vector<float> kQuantiles = {0.1f, 0.5f, 0.9f};

struct Series {
  std::vector<float> y;                // raw target
  std::vector<float> hourSin, hourCos; // known in advance
  std::vector<int64_t> trainOrigins, valOrigins;
};

Series makeSeries() {
  Series s;
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 0.1f);
  for (int t = 0; t < kT; ++t) {
    const double h = 2 * kPi * (t % kSeason) / kSeason;
    s.y.push_back(static_cast<float>(10 + std::sin(h) + 0.3 * std::sin(2 * kPi * t / (kSeason * 7))) + noise(rng));
    s.hourSin.push_back(static_cast<float>(std::sin(h)));
    s.hourCos.push_back(static_cast<float>(std::cos(h)));
  }
  // Train on origins of the first 80 % (every 2 h), validate on the tail's origins.
  const int split = kT * 8 / 10;
  for (int o = kLookback; o + kHorizon <= split; o += 2) s.trainOrigins.push_back(o);
  for (int o = split; o + kHorizon <= kT; o += 1) s.valOrigins.push_back(o);
  return s;
}

// The known-in-advance columns (hour of day): [T, 2] over the whole series.
FloatArray futureColumns(const Series& s) {
  FloatArray f{{kT, 2}, {}};
  for (int t = 0; t < kT; ++t) f.data.insert(f.data.end(), {s.hourSin[t], s.hourCos[t]});
  return f;
}

// The same columns cut into one [H, 2] window per validation origin: [n, H, 2].
FloatArray futureWindows(const Series& s) {
  FloatArray f{{static_cast<int64_t>(s.valOrigins.size()), kHorizon, 2}, {}};
  for (auto o : s.valOrigins)
    for (int t = o; t < o + kHorizon; ++t) f.data.insert(f.data.end(), {s.hourSin[t], s.hourCos[t]});
  return f;
}

double pinball(double y, double pred, double q) { return std::max(q * (y - pred), (q - 1) * (y - pred)); }

// Mean pinball loss (over quantiles, origins and steps) of forecasting every step with
// the training target's own quantiles: the best constant forecast. In units of `scale`.
double constantLoss(const Series& s, double scale) {
  std::vector<float> train(s.y.begin(), s.y.begin() + kT * 8 / 10);
  std::sort(train.begin(), train.end());
  double sum = 0;
  int64_t n = 0;
  for (float q : kQuantiles) {
    const double c = train[static_cast<size_t>(q * (train.size() - 1))];
    for (auto o : s.valOrigins)
      for (int h = 0; h < kHorizon; ++h, ++n) sum += pinball(s.y[o + h], c, q);
  }
  return sum / n / scale;
}

float mean(const std::vector<float>& v) {
  double a = 0;
  for (float x : v) a += x;
  return static_cast<float>(a / v.size());
}

float stdev(const std::vector<float>& v) {
  const double m = mean(v);
  double a = 0;
  for (float x : v) a += (x - m) * (x - m);
  return static_cast<float>(std::sqrt(a / v.size()));
}

// Mean pinball loss of [n, H, Q] raw forecasts at the validation origins, and whether
// the quantiles are ascending everywhere.
double forecastLoss(const Series& s, const FloatArray& out, bool* sorted) {
  CHECK(out.shape == (std::vector<int64_t>{static_cast<int64_t>(s.valOrigins.size()), kHorizon, 3}));
  double sum = 0;
  *sorted = true;
  for (size_t i = 0; i < s.valOrigins.size(); ++i)
    for (int h = 0; h < kHorizon; ++h) {
      const float* p = &out.data[(i * kHorizon + h) * 3];
      if (p[0] > p[1] || p[1] > p[2]) *sorted = false;
      for (int k = 0; k < 3; ++k) sum += pinball(s.y[s.valOrigins[i] + h], p[k], kQuantiles[k]);
    }
  return sum / (s.valOrigins.size() * kHorizon * 3);
}

void checkNetLearns(const std::string& kind) {
  const Series s = makeSeries();
  const float yMean = mean(s.y), yStd = stdev(s.y);
  NetTrainSpec spec;
  spec.model.kind = kind;
  spec.model.lookback = kLookback;
  spec.model.horizon = kHorizon;
  spec.model.pastDim = 3;  // target, then the 2 known-in-advance columns last
  spec.model.futureDim = 2;
  spec.model.hidden = 16;
  spec.model.heads = 2;
  spec.past = {{kT, 3}, {}};
  spec.future = futureColumns(s);
  spec.target = {{kT}, {}};
  for (int t = 0; t < kT; ++t) {
    const float z = (s.y[t] - yMean) / yStd;
    spec.past.data.insert(spec.past.data.end(), {z, s.hourSin[t], s.hourCos[t]});
    spec.target.data.push_back(z);
  }
  spec.trainOrigins = s.trainOrigins;
  spec.valOrigins = s.valOrigins;
  spec.quantiles = kQuantiles;
  spec.epochs = 12;
  spec.batchSize = 32;
  spec.learningRate = 3e-3;
  spec.seed = 1;
  int reported = 0;
  std::atomic<bool> cancel{false};
  const auto r = trainNet(spec, [&](const EpochInfo&) { ++reported; }, cancel);
  CHECK_MSG(reported == 12 && r.history.size() == 12, kind << ": " << reported << " epochs reported");
  const double constant = constantLoss(s, yStd);  // scaled units, like valLoss
  CHECK_MSG(r.bestValLoss < 0.5 * constant,
            kind << ": validation pinball " << r.bestValLoss << " vs best constant " << constant);

  // Inference from raw inputs returns raw units, quantiles sorted, and scores like training.
  Scaling sc;
  sc.pastMean = {yMean, 0, 0};
  sc.pastStd = {yStd, 1, 1};
  sc.futureMean = {0, 0};
  sc.futureStd = {1, 1};
  sc.yMean = yMean;
  sc.yStd = yStd;
  const int64_t n = static_cast<int64_t>(s.valOrigins.size());
  FloatArray past{{n, kLookback, 3}, {}};
  for (auto o : s.valOrigins)
    for (int t = o - kLookback; t < o; ++t) past.data.insert(past.data.end(), {s.y[t], s.hourSin[t], s.hourCos[t]});
  bool sorted = false;
  const double raw = forecastLoss(s, predictNet(spec.model, r.weights, past, futureWindows(s), sc, 1), &sorted);
  CHECK_MSG(sorted, kind << ": quantiles cross");
  CHECK_MSG(raw < 0.5 * constant * yStd, kind << ": raw pinball " << raw << " vs constant " << constant * yStd);
}

TEST(energy_lstm_beats_the_best_constant) { checkNetLearns("lstm"); }
TEST(energy_tide_beats_the_best_constant) { checkNetLearns("tide"); }
TEST(energy_tft_beats_the_best_constant) { checkNetLearns("tft"); }

TEST(energy_gbdt_beats_the_best_constant) {
  const Series s = makeSeries();
  const float yMean = mean(s.y), yStd = stdev(s.y);
  GbdtTrainSpec spec;
  spec.model.lookback = kLookback;
  spec.model.horizon = kHorizon;
  spec.model.futureDim = 2;
  spec.model.season = kSeason;
  spec.model.seasonalDays = 1;
  spec.model.trees = 200;
  spec.model.threads = 1;
  spec.model.seed = 1;
  spec.model.quantiles = kQuantiles;
  spec.target = {{kT}, s.y};
  spec.future = futureColumns(s);
  spec.yMean = yMean;
  spec.yStd = yStd;
  spec.trainOrigins = s.trainOrigins;
  spec.valOrigins = s.valOrigins;
  std::atomic<bool> cancel{false};
  const auto r = trainGbdt(spec, nullptr, cancel);
  CHECK(r.models.size() == 3 && r.bestRound > 0);
  const double constant = constantLoss(s, yStd);
  CHECK_MSG(r.bestValLoss < 0.5 * constant, "validation pinball " << r.bestValLoss << " vs best constant " << constant);

  // XGBoost's own prediction (scaled, unsorted) back in raw units scores like training.
  const int64_t n = static_cast<int64_t>(s.valOrigins.size());
  FloatArray window{{n, kLookback}, {}};
  for (auto o : s.valOrigins) window.data.insert(window.data.end(), s.y.begin() + (o - kLookback), s.y.begin() + o);
  auto out = predictGbdt(spec.model, r.models, window, futureWindows(s));
  for (auto& v : out.data) v = v * yStd + yMean;
  bool ownSorted = false;
  const double own = forecastLoss(s, out, &ownSorted);  // XGBoost's own quantiles (they may cross)
  for (size_t i = 0; i < out.data.size(); i += 3) std::sort(out.data.begin() + i, out.data.begin() + i + 3);
  bool sorted = false;
  const double raw = forecastLoss(s, out, &sorted);
  CHECK_MSG(sorted, "quantiles still cross after sorting along Q");
  // Sorting along Q (what inference does) never raises the pinball loss (rearrangement inequality).
  CHECK_MSG(raw <= own * (1 + 1e-9) + 1e-12, "sorted pinball " << raw << " above XGBoost's own " << own);
  CHECK_MSG(raw < 0.5 * constant * yStd, "raw pinball " << raw << " vs constant " << constant * yStd);
}

TEST(energy_bad_input_is_named) {
  const Series s = makeSeries();
  NetTrainSpec spec;
  spec.model.kind = "lstm";
  spec.model.lookback = kLookback;
  spec.model.horizon = kHorizon;
  spec.past = {{kT, 1}, std::vector<float>(kT, 0.f)};
  spec.future = {{kT, 0}, {}};
  spec.target = {{kT}, std::vector<float>(kT, 0.f)};
  spec.quantiles = kQuantiles;
  spec.trainOrigins = {10};  // before the first full lookback window
  spec.valOrigins = s.valOrigins;
  std::atomic<bool> cancel{false};
  CHECK_THROWS(InvalidArgument, "trainOrigins holds 10", trainNet(spec, nullptr, cancel));
  spec.trainOrigins = s.trainOrigins;
  spec.quantiles = {0.9f, 0.5f, 0.1f};
  CHECK_THROWS(InvalidArgument, "quantiles must be ascending", trainNet(spec, nullptr, cancel));
  spec.quantiles = kQuantiles;
  spec.model.kind = "transformer-xl";
  CHECK_THROWS(InvalidArgument, "kind", trainNet(spec, nullptr, cancel));
}

}  // namespace
