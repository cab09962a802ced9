// Every limit the core checks on a training request, in one place. The binding
// exports them (limits() in native/index.ts) and native/limits.test.ts compares
// them with the zod schemas the product validates requests with
// (server/schemas/training.ts LIMITS, server/services/energy/models-schema.ts
// ENERGY_LIMITS), so changing a bound on one side alone fails that test.
// Torch-free: the binding and model-spec.h include it.
#pragma once

namespace voltlab {

// Battery models (ModelSpec, checked by validate(ModelSpec)).
struct ModelLimits {
  static constexpr int kMaxInputDim = 256;  // features + derived inputs + the cycle column
  static constexpr int kMaxWindow = 64;     // BiLSTM sequence length
  static constexpr int kMaxOutputs = 2;
  static constexpr int kMinLayers = 1, kMaxLayers = 6;
  static constexpr int kMinWidth = 8, kMaxWidth = 512;
  static constexpr int kMinLstmLayers = 1, kMaxLstmLayers = 4;
  static constexpr int kMinLstmHidden = 4, kMaxLstmHidden = 256;
  static constexpr double kMaxDropout = 0.9;
  static constexpr double kMinPhysicsWeight = 1e-3, kMaxPhysicsWeight = 100.0;
};

// Battery training (TrainSpec, checked by validate(TrainSpec)).
struct TrainLimits {
  static constexpr int kMaxEpochs = 5000;
  static constexpr int kMaxBatchSize = 65536;
  static constexpr int kMaxThreads = 256;
  static constexpr double kMinLearningRate = 1e-6, kMaxLearningRate = 0.1;
  static constexpr double kMaxInputNoise = 1.0;  // σ in normalised units
};

namespace energy {

// Energy forecasters (NetTrainSpec in nets.cc, GbdtTrainSpec in gbdt.cc). The
// product's schema may be stricter (its caps protect shared CPUs); the test
// checks it never asks for more than these.
struct EnergyLimits {
  static constexpr int kMaxLookback = 4096;
  static constexpr int kMaxHorizon = 1024;
  static constexpr int kMaxNetEpochs = 10000;
  static constexpr int kMaxTrees = 5000;
  static constexpr double kMaxLearningRate = 1.0;  // (0, kMaxLearningRate]
  static constexpr int kMaxBatchSize = 65536;
  static constexpr int kMaxThreads = 64;
};

}  // namespace energy
}  // namespace voltlab
