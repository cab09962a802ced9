// Plain float32 arrays with a shape: how data crosses the torch-free API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voltlab {

struct FloatArray {
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major, size = product(shape)
};

// One named parameter tensor, e.g. "fc0.weight" [128, 4].
struct NamedWeight {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

// z-score statistics of one model version: raw = normalised * std + mean.
// xMean/xStd have inputDim entries, yMean/yStd have `outputs` entries.
struct Normalization {
  std::vector<float> xMean, xStd, yMean, yStd;
};

}  // namespace voltlab
