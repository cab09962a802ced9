// Forward pass from named weights (for ONNX parity and inference benchmarks).
#pragma once

#include <string>
#include <vector>

#include "core/float-array.h"
#include "core/model-spec.h"

namespace voltlab {

struct PredictSpec {
  ModelSpec model;
  std::vector<NamedWeight> weights;  // at least the weights forward() uses
  FloatArray x;                      // [n, d] or [n, window, d]
  bool hasNormalization = false;     // if set, x is raw and the result is raw
  Normalization normalization;
  std::string device = "cpu";
  int threads = 1;
};

// Returns [n, outputs].
FloatArray predict(const PredictSpec& spec);

void validate(const PredictSpec& spec);

// Reads the parameters saved by train() at checkpointPath.
std::vector<NamedWeight> readCheckpoint(const ModelSpec& model, const std::string& path);

}  // namespace voltlab
