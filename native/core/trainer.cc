#include "core/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <time.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <sstream>

#include "core/adam.h"
#include "core/array-checks.h"
#include "core/blas-threads.h"
#include "core/checkpoint.h"
#include "core/device.h"
#include "core/errors.h"
#include "core/model-factory.h"
#include "core/weights.h"

namespace voltlab {
namespace {

// Decorrelates the shuffling stream from torch's generator seeded with the same seed.
constexpr uint64_t kShuffleSeedSalt = 0x9E3779B97F4A7C15ULL;

void checkXY(const std::string& split, const ModelSpec& m, const FloatArray& x,
             const FloatArray& y) {
  const std::string xName = "x" + split, yName = "y" + split;
  if (m.kind == ModelKind::BiLstm) {
    checkArray(xName, x, {"n", "window", "inputDim"}, {-1, m.window, m.inputDim},
               {"", "model.window", "model.inputDim"});
  } else {
    checkArray(xName, x, {"n", "inputDim"}, {-1, m.inputDim}, {"", "model.inputDim"});
  }
  checkArray(yName, y, {"n", "outputs"}, {x.shape[0], m.outputs},
             {xName + ".shape[0]", "model.outputs"});
  checkFinite(xName, x);
  checkFinite(yName, y);
}

// Fisher-Yates with our own 64-bit engine: identical on every platform.
std::vector<int64_t> shuffled(int64_t n, std::mt19937_64& rng) {
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = static_cast<int64_t>(rng() % static_cast<uint64_t>(i + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

void requireFinite(double loss, const char* what, int epoch, int64_t batch) {
  if (std::isfinite(loss)) return;
  std::string where = "epoch " + std::to_string(epoch);
  if (batch >= 0) where += ", batch " + std::to_string(batch + 1);
  throw NonFiniteLoss(std::string(what) + " became " + (std::isnan(loss) ? "NaN" : "infinite") +
                      " at " + where +
                      "; training stopped (lower the learning rate or check the inputs)");
}

// A training step allocates and frees the same few hundred-kilobyte tensors
// thousands of times. glibc hands such blocks back to the kernel (mmap above the
// mmap threshold, arena trimming below it), so every batch paid page faults and
// page clearing: about 10 % of a DeepHPM epoch. Keeping freed memory in the
// arena removes that; the process keeps its peak heap instead of shrinking.
void keepFreedMemory() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum: larger blocks are still mmapped
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
#endif
}

// Shortest round-trip text of a limit or value (1e-06, 0.1), for error messages.
std::string number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

void validate(const TrainSpec& spec) {
  try {
    validate(spec.model);
  } catch (const std::invalid_argument& e) {
    throw InvalidArgument(e.what());
  }
  if (spec.epochs < 1 || spec.epochs > TrainLimits::kMaxEpochs) {
    throw InvalidArgument("epochs must be between 1 and " +
                          std::to_string(TrainLimits::kMaxEpochs));
  }
  if (spec.batchSize < 1 || spec.batchSize > TrainLimits::kMaxBatchSize) {
    throw InvalidArgument("batchSize must be between 1 and " +
                          std::to_string(TrainLimits::kMaxBatchSize));
  }
  if (!(spec.learningRate >= TrainLimits::kMinLearningRate &&
        spec.learningRate <= TrainLimits::kMaxLearningRate)) {
    throw InvalidArgument("learningRate must be between " + number(TrainLimits::kMinLearningRate) +
                          " and " + number(TrainLimits::kMaxLearningRate) + ", got " +
                          number(spec.learningRate));
  }
  if (!(spec.inputNoise >= 0 && spec.inputNoise <= TrainLimits::kMaxInputNoise)) {
    throw InvalidArgument("inputNoise must be between 0 and " + number(TrainLimits::kMaxInputNoise) +
                          " (normalised units), got " + number(spec.inputNoise));
  }
  if (spec.threads < 1 || spec.threads > TrainLimits::kMaxThreads) {
    throw InvalidArgument("threads must be between 1 and " +
                          std::to_string(TrainLimits::kMaxThreads));
  }
  checkXY("Train", spec.model, spec.xTrain, spec.yTrain);
  checkXY("Val", spec.model, spec.xVal, spec.yVal);
  if (!spec.xMonitor.shape.empty() || !spec.xMonitor.data.empty()) {
    const ModelSpec& m = spec.model;
    if (m.kind == ModelKind::BiLstm) {
      checkArray("monitor", spec.xMonitor, {"n", "window", "inputDim"}, {-1, m.window, m.inputDim},
                 {"", "model.window", "model.inputDim"});
    } else {
      checkArray("monitor", spec.xMonitor, {"n", "inputDim"}, {-1, m.inputDim},
                 {"", "model.inputDim"});
    }
    checkFinite("monitor", spec.xMonitor);
  }
}

namespace {

TrainResult trainImpl(const TrainSpec& spec, const EpochCallback& onEpoch,
                      const std::atomic<bool>& cancel) {
  const torch::Device device = resolveDevice(spec.device);
  keepFreedMemory();
  at::set_num_threads(spec.threads);  // per thread: this is the training thread
  setBlasThreads(spec.threads);

  auto generator = at::make_generator<at::CPUGeneratorImpl>(spec.seed);
  if (device.is_cuda()) torch::cuda::manual_seed_all(spec.seed);
  std::mt19937_64 shuffleRng(spec.seed ^ kShuffleSeedSalt);

  auto model = makeModel(spec.model, generator);
  torch::nn::Module& module = model->module();
  module.to(device);
  const auto optimiser = makeAdam(module.parameters(), spec.learningRate);

  const auto xTrain = toTensor(spec.xTrain, device);
  const auto yTrain = toTensor(spec.yTrain, device);
  const auto xVal = toTensor(spec.xVal, device);
  const auto yVal = toTensor(spec.yVal, device);
  const bool monitored = !spec.xMonitor.shape.empty();
  const auto xMonitor = monitored ? toTensor(spec.xMonitor, device) : torch::Tensor();
  const int64_t n = xTrain.size(0);
  const int64_t batches = (n + spec.batchSize - 1) / spec.batchSize;

  TrainResult result;
  result.bestValLoss = INFINITY;
  std::vector<torch::Tensor> best;

  for (int epoch = 1; epoch <= spec.epochs && !result.cancelled; ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    const double cpuStarted = threadCpuMs();
    const auto order = shuffled(n, shuffleRng);
    const auto perm = torch::tensor(order, torch::kLong).to(device);

    module.train();
    double lossSum = 0;
    for (int64_t b = 0; b < batches; ++b) {
      if (cancel.load(std::memory_order_relaxed)) {
        result.cancelled = true;
        break;
      }
      const int64_t from = b * spec.batchSize;
      const int64_t size = std::min<int64_t>(spec.batchSize, n - from);
      const auto idx = perm.narrow(0, from, size);
      optimiser->zeroGrad();
      auto xBatch = xTrain.index_select(0, idx);
      if (spec.inputNoise > 0) {
        // Noise injection (a smoothness regulariser, Bishop 1995): the model sees each
        // training sample at a slightly different point every epoch.
        auto noise = torch::randn(xBatch.sizes(), generator, torch::kFloat32);
        xBatch = xBatch + spec.inputNoise * noise.to(device);
      }
      const double value = model->lossBackward(xBatch, yTrain.index_select(0, idx));
      requireFinite(value, "training loss", epoch, b);
      optimiser->step();
      lossSum += value * static_cast<double>(size);
    }
    if (result.cancelled) break;

    EpochReport report;
    report.epoch = epoch;
    report.trainLoss = lossSum / static_cast<double>(n);
    {
      torch::NoGradGuard noGrad;
      module.eval();
      auto pred = model->forward(xVal);
      report.valLoss = torch::mse_loss(pred, yVal).item<double>();
      report.valPredictions = toFloatArray(pred).data;
      if (monitored) report.monitorPredictions = toFloatArray(model->forward(xMonitor)).data;
    }
    requireFinite(report.valLoss, "validation loss", epoch, -1);
    if (report.valLoss < result.bestValLoss) {
      result.bestValLoss = report.valLoss;
      result.bestEpoch = epoch;
      best = snapshot(module);
    }
    report.elapsedMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    report.cpuMs = threadCpuMs() - cpuStarted;
    result.history.push_back(
        EpochSummary{epoch, report.trainLoss, report.valLoss, report.elapsedMs, report.cpuMs});
    if (onEpoch) onEpoch(report);
    if (cancel.load(std::memory_order_relaxed)) result.cancelled = true;
  }

  if (result.bestEpoch > 0) {
    restore(module, best);
    result.weights = namedWeights(module);
    if (!spec.checkpointPath.empty()) saveCheckpoint(module, spec.checkpointPath);
  } else {
    result.bestValLoss = NAN;
  }
  return result;
}

}  // namespace

TrainResult train(const TrainSpec& spec, const EpochCallback& onEpoch,
                  const std::atomic<bool>& cancel) {
  validate(spec);
  try {
    return trainImpl(spec, onEpoch, cancel);
  } catch (const c10::Error& e) {
    throw TorchError(std::string("LibTorch error: ") + e.what_without_backtrace());
  }
}

}  // namespace voltlab
