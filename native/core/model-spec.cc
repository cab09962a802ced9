#include "core/model-spec.h"

#include <cmath>
#include <stdexcept>

namespace voltlab {
namespace {

void checkRange(const char* field, int value, int lo, int hi) {
  if (value < lo || value > hi) {
    throw std::invalid_argument(std::string("model.") + field + " must be between " +
                                std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                                std::to_string(value));
  }
}

}  // namespace

void validate(const ModelSpec& spec) {
  using L = ModelLimits;
  checkRange("inputDim", spec.inputDim, 1, L::kMaxInputDim);
  checkRange("outputs", spec.outputs, 1, L::kMaxOutputs);
  if (!(spec.dropout >= 0.0 && spec.dropout <= L::kMaxDropout)) {
    throw std::invalid_argument("model.dropout must be between 0 and " +
                                std::to_string(L::kMaxDropout));
  }
  switch (spec.kind) {
    case ModelKind::Baseline:
      checkRange("hiddenLayers", spec.hiddenLayers, L::kMinLayers, L::kMaxLayers);
      checkRange("hiddenWidth", spec.hiddenWidth, L::kMinWidth, L::kMaxWidth);
      checkRange("window", spec.window, 1, 1);
      break;
    case ModelKind::BiLstm:
      checkRange("window", spec.window, 1, L::kMaxWindow);
      checkRange("lstmLayers", spec.lstmLayers, L::kMinLstmLayers, L::kMaxLstmLayers);
      checkRange("lstmHidden", spec.lstmHidden, L::kMinLstmHidden, L::kMaxLstmHidden);
      break;
    case ModelKind::DeepHpm: {
      checkRange("hiddenLayers", spec.hiddenLayers, L::kMinLayers, L::kMaxLayers);
      checkRange("hiddenWidth", spec.hiddenWidth, L::kMinWidth, L::kMaxWidth);
      checkRange("physicsLayers", spec.physicsLayers, L::kMinLayers, L::kMaxLayers);
      checkRange("physicsWidth", spec.physicsWidth, L::kMinWidth, L::kMaxWidth);
      checkRange("window", spec.window, 1, 1);
      if (!(spec.physicsWeight >= L::kMinPhysicsWeight && spec.physicsWeight <= L::kMaxPhysicsWeight)) {
        throw std::invalid_argument("model.physicsWeight must be between 0.001 and 100, got " +
                                    std::to_string(spec.physicsWeight));
      }
      if (spec.physicsLoss == PhysicsLoss::Adaptive && spec.physicsWeight != 1.0) {
        throw std::invalid_argument(
            "model.physicsWeight applies to the 'sum' loss only (the 'adaptive' loss learns its weights)");
      }
      if (spec.physicsInputs.empty()) {
        throw std::invalid_argument("model.physicsInputs must name at least one of s, t, u, u_s, u_t");
      }
      for (size_t i = 0; i < spec.physicsInputs.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (spec.physicsInputs[i] == spec.physicsInputs[j]) {
            throw std::invalid_argument(std::string("model.physicsInputs lists ") +
                                        toString(spec.physicsInputs[i]) + " twice");
          }
        }
        const PhysicsInput in = spec.physicsInputs[i];
        if ((in == PhysicsInput::S || in == PhysicsInput::Us) && spec.inputDim < 2) {
          throw std::invalid_argument(std::string("model.physicsInputs contains ") + toString(in) +
                                      " but inputDim is 1 (only the cycle column, no features)");
        }
      }
      break;
    }
  }
}

std::vector<int64_t> sampleShape(const ModelSpec& spec) {
  if (spec.kind == ModelKind::BiLstm) return {spec.window, spec.inputDim};
  return {spec.inputDim};
}

const char* toString(ModelKind kind) {
  switch (kind) {
    case ModelKind::Baseline: return "baseline";
    case ModelKind::BiLstm: return "bilstm";
    case ModelKind::DeepHpm: return "deephpm";
  }
  return "?";
}

std::vector<PhysicsColumn> physicsColumns(const std::vector<PhysicsInput>& inputs,
                                          int64_t features, int64_t outputs) {
  std::vector<PhysicsColumn> columns;
  int64_t offset = 0;
  for (auto input : inputs) {
    int64_t width = 0;
    switch (input) {
      case PhysicsInput::S: width = features; break;
      case PhysicsInput::T: width = 1; break;
      case PhysicsInput::U:
      case PhysicsInput::Ut: width = outputs; break;
      case PhysicsInput::Us: width = outputs * features; break;
    }
    columns.push_back({input, offset, width});
    offset += width;
  }
  return columns;
}

const char* toString(PhysicsInput input) {
  switch (input) {
    case PhysicsInput::S: return "s";
    case PhysicsInput::T: return "t";
    case PhysicsInput::U: return "u";
    case PhysicsInput::Us: return "u_s";
    case PhysicsInput::Ut: return "u_t";
  }
  return "?";
}

const char* toString(PhysicsLoss loss) {
  return loss == PhysicsLoss::Sum ? "sum" : "adaptive";
}

bool parseModelKind(const std::string& name, ModelKind* out) {
  for (ModelKind k : {ModelKind::Baseline, ModelKind::BiLstm, ModelKind::DeepHpm}) {
    if (name == toString(k)) { *out = k; return true; }
  }
  return false;
}

bool parsePhysicsInput(const std::string& name, PhysicsInput* out) {
  for (PhysicsInput p : {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U, PhysicsInput::Us,
                         PhysicsInput::Ut}) {
    if (name == toString(p)) { *out = p; return true; }
  }
  return false;
}

bool parsePhysicsLoss(const std::string& name, PhysicsLoss* out) {
  if (name == "sum") { *out = PhysicsLoss::Sum; return true; }
  if (name == "adaptive") { *out = PhysicsLoss::Adaptive; return true; }
  return false;
}

}  // namespace voltlab
