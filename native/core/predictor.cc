#include "core/predictor.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "core/array-checks.h"
#include "core/checkpoint.h"
#include "core/device.h"
#include "core/errors.h"
#include "core/model-factory.h"
#include "core/weights.h"

namespace voltlab {
namespace {

void checkStats(const char* name, const std::vector<float>& v, int expected, bool isStd) {
  if (static_cast<int>(v.size()) != expected) {
    throw InvalidArgument(std::string("normalization.") + name + " has " +
                          std::to_string(v.size()) + " values, expected " +
                          std::to_string(expected));
  }
  for (float f : v) {
    if (!std::isfinite(f) || (isStd && !(f > 0))) {
      throw InvalidArgument(std::string("normalization.") + name +
                            (isStd ? " must be finite and > 0" : " must be finite"));
    }
  }
}

torch::Tensor vec(const std::vector<float>& v, const torch::Device& device) {
  return toTensor(FloatArray{{static_cast<int64_t>(v.size())}, v}, device);
}

}  // namespace

void validate(const PredictSpec& spec) {
  try {
    validate(spec.model);
  } catch (const std::invalid_argument& e) {
    throw InvalidArgument(e.what());
  }
  const ModelSpec& m = spec.model;
  if (m.kind == ModelKind::BiLstm) {
    checkArray("x", spec.x, {"n", "window", "inputDim"}, {-1, m.window, m.inputDim},
               {"", "model.window", "model.inputDim"});
  } else {
    checkArray("x", spec.x, {"n", "inputDim"}, {-1, m.inputDim}, {"", "model.inputDim"});
  }
  checkFinite("x", spec.x);
  if (spec.hasNormalization) {
    checkStats("xMean", spec.normalization.xMean, m.inputDim, false);
    checkStats("xStd", spec.normalization.xStd, m.inputDim, true);
    checkStats("yMean", spec.normalization.yMean, m.outputs, false);
    checkStats("yStd", spec.normalization.yStd, m.outputs, true);
  }
  if (spec.threads < 1 || spec.threads > 256) {
    throw InvalidArgument("threads must be between 1 and 256");
  }
}

namespace {

FloatArray predictImpl(const PredictSpec& spec) {
  const torch::Device device = resolveDevice(spec.device);
  at::set_num_threads(spec.threads);
  auto model = makeModel(spec.model, c10::nullopt);
  torch::nn::Module& module = model->module();
  loadWeights(module, spec.weights,
              [&](const std::string& name) { return model->usedForInference(name); });
  module.to(device);
  module.eval();
  torch::NoGradGuard noGrad;
  auto x = toTensor(spec.x, device);
  if (spec.hasNormalization) {
    // Same operations, in the same order, as the ONNX graph: (x - mean) / std.
    x = (x - vec(spec.normalization.xMean, device)) / vec(spec.normalization.xStd, device);
  }
  auto y = model->forward(x);
  if (spec.hasNormalization) {
    y = y * vec(spec.normalization.yStd, device) + vec(spec.normalization.yMean, device);
  }
  return toFloatArray(y);
}

}  // namespace

FloatArray predict(const PredictSpec& spec) {
  validate(spec);
  try {
    return predictImpl(spec);
  } catch (const c10::Error& e) {
    throw TorchError(std::string("LibTorch error: ") + e.what_without_backtrace());
  }
}

std::vector<NamedWeight> readCheckpoint(const ModelSpec& spec, const std::string& path) {
  try {
    validate(spec);
  } catch (const std::invalid_argument& e) {
    throw InvalidArgument(e.what());
  }
  try {
    auto model = makeModel(spec, c10::nullopt);
    loadCheckpoint(model->module(), path);
    return namedWeights(model->module());
  } catch (const c10::Error& e) {
    throw TorchError("cannot read checkpoint " + path + ": " + e.what_without_backtrace());
  }
}

}  // namespace voltlab
