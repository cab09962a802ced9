// Determinism, cancel flag, non-finite loss, argument errors.
#include <cmath>
#include <thread>

#include "core/errors.h"
#include "core/trainer.h"
#include "tests/synthetic-data.h"
#include "tests/test-harness.h"

namespace {

using voltlab::ModelKind;

bool sameWeights(const voltlab::TrainResult& a, const voltlab::TrainResult& b) {
  if (a.weights.size() != b.weights.size()) return false;
  for (size_t i = 0; i < a.weights.size(); ++i) {
    if (a.weights[i].name != b.weights[i].name || a.weights[i].data != b.weights[i].data) {
      return false;
    }
  }
  return true;
}

voltlab::TrainResult run(const voltlab::TrainSpec& spec) {
  std::atomic<bool> cancel{false};
  return voltlab::train(spec, nullptr, cancel);
}

}  // namespace

TEST(same_seed_same_result) {
  for (auto kind : {ModelKind::Baseline, ModelKind::BiLstm, ModelKind::DeepHpm}) {
    auto spec = voltlab::test::syntheticSpec(kind);
    spec.epochs = 4;
    auto a = run(spec), b = run(spec);
    CHECK_MSG(sameWeights(a, b), "model " << voltlab::toString(kind) << " not deterministic");
    for (size_t i = 0; i < a.history.size(); ++i) {
      CHECK(a.history[i].trainLoss == b.history[i].trainLoss);
      CHECK(a.history[i].valLoss == b.history[i].valLoss);
    }
    spec.seed += 1;
    CHECK(!sameWeights(a, run(spec)));
  }
}

TEST(cancel_from_callback_stops_after_that_epoch) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.epochs = 50;
  std::atomic<bool> cancel{false};
  auto result = voltlab::train(spec, [&](const voltlab::EpochReport& r) {
    if (r.epoch == 3) cancel = true;
  }, cancel);
  CHECK(result.cancelled);
  CHECK(result.history.size() == 3);
  CHECK(result.bestEpoch >= 1 && result.bestEpoch <= 3);
  CHECK(!result.weights.empty());
}

TEST(cancel_from_another_thread_stops_between_batches) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.epochs = voltlab::TrainLimits::kMaxEpochs;
  spec.batchSize = 8;
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  auto result = voltlab::train(spec, nullptr, cancel);
  canceller.join();
  CHECK(result.cancelled);
  CHECK(static_cast<int>(result.history.size()) < spec.epochs);
}

TEST(cancel_before_first_epoch_returns_no_weights) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  std::atomic<bool> cancel{true};
  auto result = voltlab::train(spec, nullptr, cancel);
  CHECK(result.cancelled);
  CHECK(result.bestEpoch == 0);
  CHECK(result.weights.empty());
}

TEST(infinite_loss_stops_training) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  for (auto& v : spec.yTrain.data) v *= 1e30f;  // squares overflow float32
  CHECK_THROWS(voltlab::NonFiniteLoss, "training loss became infinite at epoch 1, batch 1",
               run(spec));
}

TEST(nan_input_is_rejected) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.xTrain.data[4 * 3 + 2] = NAN;
  CHECK_THROWS(voltlab::InvalidArgument, "xTrain contains NaN at index [3, 2]", run(spec));
}

TEST(bad_shapes_name_array_and_dimension) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.model.inputDim = 5;
  CHECK_THROWS(voltlab::InvalidArgument, "xTrain.shape[1] (inputDim) is 4 but model.inputDim is 5",
               run(spec));
  spec = voltlab::test::syntheticSpec(ModelKind::BiLstm);
  spec.model.window = 6;
  CHECK_THROWS(voltlab::InvalidArgument, "xTrain.shape[1] (window) is 5 but model.window is 6",
               run(spec));
  spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.yVal.shape[0] -= 1;
  CHECK_THROWS(voltlab::InvalidArgument, "yVal.shape[0] (n) is 63 but xVal.shape[0] is 64",
               run(spec));
  spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.xTrain.data.pop_back();
  CHECK_THROWS(voltlab::InvalidArgument, "xTrain.data has 1023 values but shape [256, 4] needs 1024",
               run(spec));
  spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.model.hiddenLayers = 7;
  CHECK_THROWS(voltlab::InvalidArgument, "model.hiddenLayers must be between 1 and 6", run(spec));
}

TEST(cuda_request_without_gpu_is_clear) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.device = "cuda";
  spec.epochs = 1;
  try {
    auto result = run(spec);  // a GPU server: must simply work
    CHECK(result.bestEpoch == 1);
  } catch (const voltlab::DeviceUnavailable& e) {
    CHECK(std::string(e.what()).find("CUDA is not available") != std::string::npos);
  }
}

TEST(monitor_predictions_are_reported_each_epoch) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::DeepHpm);
  spec.epochs = 3;
  spec.xMonitor = spec.xVal;
  std::atomic<bool> cancel{false};
  int seen = 0;
  voltlab::train(spec, [&](const voltlab::EpochReport& r) {
    ++seen;
    CHECK(r.monitorPredictions == r.valPredictions);
  }, cancel);
  CHECK(seen == 3);
  spec.xMonitor.shape = {64, 3};
  CHECK_THROWS(voltlab::InvalidArgument, "monitor.shape[1] (inputDim) is 3 but model.inputDim is 4",
               run(spec));
}

TEST(input_noise_is_seeded_and_bounded) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.epochs = 3;
  const auto clean = run(spec);
  spec.inputNoise = 0.3;
  const auto noisy = run(spec), again = run(spec);
  CHECK(sameWeights(noisy, again));
  CHECK(!sameWeights(noisy, clean));
  for (const auto& e : noisy.history) CHECK(std::isfinite(e.trainLoss) && std::isfinite(e.valLoss));
  spec.inputNoise = 1.5;
  CHECK_THROWS(voltlab::InvalidArgument, "inputNoise must be between 0 and 1", run(spec));
  spec.inputNoise = -0.1;
  CHECK_THROWS(voltlab::InvalidArgument, "inputNoise must be between 0 and 1", run(spec));
}

// The bounds of core/limits.h: a request at a bound trains, one just outside is refused.
TEST(learning_rate_and_epochs_are_checked_at_their_limits) {
  using voltlab::TrainLimits;
  auto spec = voltlab::test::syntheticSpec(ModelKind::Baseline);
  spec.epochs = 1;
  spec.learningRate = TrainLimits::kMaxLearningRate;
  CHECK(run(spec).history.size() == 1);
  spec.learningRate = TrainLimits::kMinLearningRate;
  CHECK(run(spec).history.size() == 1);
  spec.learningRate = TrainLimits::kMaxLearningRate * 1.01;
  CHECK_THROWS(voltlab::InvalidArgument, "learningRate must be between 1e-06 and 0.1", run(spec));
  spec.learningRate = TrainLimits::kMinLearningRate / 2;
  CHECK_THROWS(voltlab::InvalidArgument, "learningRate must be between 1e-06 and 0.1", run(spec));
  spec.learningRate = 1e-3;
  spec.epochs = TrainLimits::kMaxEpochs + 1;
  CHECK_THROWS(voltlab::InvalidArgument, "epochs must be between 1 and 5000", run(spec));
  auto bilstm = voltlab::test::syntheticSpec(ModelKind::BiLstm);
  bilstm.epochs = 1;
  bilstm.model.lstmHidden = voltlab::ModelLimits::kMaxLstmHidden + 1;
  CHECK_THROWS(voltlab::InvalidArgument, "model.lstmHidden must be between 4 and 256", run(bilstm));
}
