// Training loop: Adam, fixed batch size, seeded shuffling, per-epoch callback,
// cancel flag checked between batches, best-validation-epoch weights kept.
// Torch-free interface; the implementation lives in trainer.cc.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/float-array.h"
#include "core/limits.h"
#include "core/model-spec.h"

namespace voltlab {

// TrainLimits (checked by validate(TrainSpec)) live in core/limits.h.

struct TrainSpec {
  ModelSpec model;
  // Already z-scored. x: [n, d] (baseline, deephpm) or [n, window, d] (bilstm);
  // y: [n, outputs].
  FloatArray xTrain, yTrain, xVal, yVal;
  // Optional extra inputs (same layout as xTrain) whose predictions are
  // reported every epoch, e.g. the training set for per-epoch train metrics.
  FloatArray xMonitor;
  int epochs = 100;
  int batchSize = 1024;
  double learningRate = 1e-3;
  // Standard deviation of Gaussian noise added to every training batch's inputs
  // (normalised units; drawn from the run's seeded generator). 0 = none.
  // Validation, monitor and inference inputs are never perturbed.
  double inputNoise = 0;
  uint64_t seed = 0;
  int threads = 1;
  std::string device = "cpu";      // "cpu" or "cuda"
  std::string checkpointPath;      // empty: no checkpoint file
};

struct EpochReport {
  int epoch = 0;            // 1-based
  double trainLoss = 0;     // mean training objective over the epoch's batches
  double valLoss = 0;       // validation data MSE (normalised units)
  double elapsedMs = 0;     // wall time of this epoch (training + validation)
  double cpuMs = 0;         // CPU time of the training thread in this epoch
  std::vector<float> valPredictions;  // [nVal, outputs], normalised units
  std::vector<float> monitorPredictions;  // [nMonitor, outputs] when xMonitor is set
};

struct EpochSummary {
  int epoch = 0;
  double trainLoss = 0, valLoss = 0, elapsedMs = 0, cpuMs = 0;
};

struct TrainResult {
  std::vector<NamedWeight> weights;   // parameters of the best-validation epoch
  std::vector<EpochSummary> history;  // every completed epoch
  int bestEpoch = 0;                  // 1-based; 0 if no epoch completed
  double bestValLoss = 0;
  bool cancelled = false;
};

using EpochCallback = std::function<void(const EpochReport&)>;

// Checks shapes and values; throws InvalidArgument naming the array and dimension.
void validate(const TrainSpec& spec);

// Runs on the calling thread (sets its torch thread count to spec.threads, and
// OpenBLAS's process-wide pool to the same number).
// Throws InvalidArgument, NonFiniteLoss, DeviceUnavailable or c10::Error.
TrainResult train(const TrainSpec& spec, const EpochCallback& onEpoch,
                  const std::atomic<bool>& cancel);

}  // namespace voltlab
