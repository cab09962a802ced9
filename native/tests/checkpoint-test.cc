// Checkpoint round trip and the predictor's forward pass from weights.
#include <cmath>
#include <cstdio>
#include <unistd.h>

#include "core/errors.h"
#include "core/predictor.h"
#include "core/trainer.h"
#include "tests/synthetic-data.h"
#include "tests/test-harness.h"

namespace {

using voltlab::ModelKind;

std::string tempPath(const char* stem) {
  return "/tmp/voltlab-" + std::string(stem) + "-" + std::to_string(getpid()) + ".pt";
}

}  // namespace

TEST(checkpoint_round_trip) {
  for (auto kind : {ModelKind::Baseline, ModelKind::BiLstm, ModelKind::DeepHpm}) {
    auto spec = voltlab::test::syntheticSpec(kind);
    spec.epochs = 3;
    spec.checkpointPath = tempPath(voltlab::toString(kind));
    std::atomic<bool> cancel{false};
    auto result = voltlab::train(spec, nullptr, cancel);
    auto loaded = voltlab::readCheckpoint(spec.model, spec.checkpointPath);
    std::remove(spec.checkpointPath.c_str());
    CHECK(loaded.size() == result.weights.size());
    for (size_t i = 0; i < loaded.size(); ++i) {
      CHECK(loaded[i].name == result.weights[i].name);
      CHECK(loaded[i].shape == result.weights[i].shape);
      CHECK(loaded[i].data == result.weights[i].data);
    }
  }
}

TEST(predict_reproduces_best_epoch_validation_predictions) {
  for (auto kind : {ModelKind::Baseline, ModelKind::BiLstm, ModelKind::DeepHpm}) {
    auto spec = voltlab::test::syntheticSpec(kind, 2);
    spec.epochs = 5;
    std::vector<float> bestPredictions;
    std::atomic<bool> cancel{false};
    std::vector<std::vector<float>> perEpoch;
    auto result = voltlab::train(spec, [&](const voltlab::EpochReport& r) {
      perEpoch.push_back(r.valPredictions);
    }, cancel);
    voltlab::PredictSpec p;
    p.model = spec.model;
    p.weights = result.weights;
    p.x = spec.xVal;
    auto y = voltlab::predict(p);
    CHECK((y.shape == std::vector<int64_t>{64, 2}));
    const auto& expected = perEpoch.at(result.bestEpoch - 1);
    for (size_t i = 0; i < expected.size(); ++i) {
      CHECK_MSG(std::fabs(expected[i] - y.data[i]) < 1e-6,
                voltlab::toString(kind) << " value " << i << ": " << expected[i] << " vs "
                                        << y.data[i]);
    }
  }
}

TEST(predict_applies_normalization) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.epochs = 2;
  std::atomic<bool> cancel{false};
  auto result = voltlab::train(spec, nullptr, cancel);
  voltlab::PredictSpec p;
  p.model = spec.model;
  p.weights = result.weights;
  p.x = spec.xVal;
  auto normalised = voltlab::predict(p);
  p.hasNormalization = true;
  p.normalization = {{1, 2, 3, 4}, {2, 2, 0.5f, 1}, {10}, {3}};
  for (int64_t i = 0; i < 64; ++i) {
    for (int j = 0; j < 4; ++j) {
      auto& v = p.x.data[i * 4 + j];
      v = v * p.normalization.xStd[j] + p.normalization.xMean[j];
    }
  }
  auto raw = voltlab::predict(p);
  for (int64_t i = 0; i < 64; ++i) {
    CHECK(std::fabs(raw.data[i] - (normalised.data[i] * 3 + 10)) < 1e-4);
  }
}

TEST(predict_rejects_wrong_weights) {
  voltlab::PredictSpec p;
  p.model.kind = ModelKind::Baseline;
  p.model.inputDim = 4;
  p.model.hiddenWidth = 16;
  p.x = {{1, 4}, {0, 0, 0, 0}};
  CHECK_THROWS(voltlab::InvalidArgument, "weights: missing parameter 'fc0.weight'",
               voltlab::predict(p));
  p.weights.push_back({"fc0.weight", {16, 3}, std::vector<float>(48)});
  CHECK_THROWS(voltlab::InvalidArgument, "'fc0.weight' has shape [16, 3], the model needs [16, 4]",
               voltlab::predict(p));
  p.weights[0] = {"nope", {1}, {0}};
  CHECK_THROWS(voltlab::InvalidArgument, "unknown parameter 'nope'", voltlab::predict(p));
}
