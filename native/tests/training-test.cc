// Training lowers the loss for every model on synthetic data.
#include "core/trainer.h"
#include "tests/synthetic-data.h"
#include "tests/test-harness.h"

namespace {

using voltlab::ModelKind;
using voltlab::PhysicsInput;
using voltlab::PhysicsLoss;

void expectLearns(voltlab::TrainSpec spec, double factor) {
  std::atomic<bool> cancel{false};
  int reports = 0;
  auto result = voltlab::train(spec, [&](const voltlab::EpochReport& r) {
    ++reports;
    CHECK(r.epoch == reports);
    CHECK(r.valPredictions.size() == spec.yVal.data.size());
    CHECK(r.elapsedMs >= 0);
  }, cancel);
  CHECK(reports == spec.epochs);
  CHECK(static_cast<int>(result.history.size()) == spec.epochs);
  const double first = result.history.front().trainLoss;
  const double best = result.bestValLoss;
  CHECK_MSG(result.history.back().trainLoss < factor * first,
            "train loss " << first << " -> " << result.history.back().trainLoss);
  CHECK_MSG(best < result.history.front().valLoss,
            "val loss " << result.history.front().valLoss << " -> best " << best);
  CHECK(result.bestEpoch >= 1 && result.bestEpoch <= spec.epochs);
  CHECK(result.history[result.bestEpoch - 1].valLoss == best);
  CHECK(!result.weights.empty());
  CHECK(!result.cancelled);
}

}  // namespace

TEST(baseline_learns) { expectLearns(voltlab::test::syntheticSpec(ModelKind::Baseline), 0.7); }

TEST(baseline_two_outputs_learns) {
  expectLearns(voltlab::test::syntheticSpec(ModelKind::Baseline, 2), 0.7);
}

TEST(bilstm_learns) { expectLearns(voltlab::test::syntheticSpec(ModelKind::BiLstm), 0.7); }

TEST(deephpm_sum_learns) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::DeepHpm);
  spec.model.physicsInputs = {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U,
                              PhysicsInput::Us, PhysicsInput::Ut};
  expectLearns(spec, 0.7);
}

TEST(deephpm_adaptive_two_outputs_learns) {
  auto spec = voltlab::test::syntheticSpec(ModelKind::DeepHpm, 2);
  spec.model.physicsLoss = PhysicsLoss::Adaptive;
  // The adaptive objective can go negative (log sigma terms): only require
  // the data fit (validation MSE) to improve.
  std::atomic<bool> cancel{false};
  auto result = voltlab::train(spec, nullptr, cancel);
  CHECK(result.bestValLoss < 0.7 * result.history.front().valLoss);
  bool hasLogSigma = false;
  for (const auto& w : result.weights) hasLogSigma |= w.name == "log_sigma";
  CHECK(hasLogSigma);
}
