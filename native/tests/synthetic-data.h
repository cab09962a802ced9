// Small synthetic regression problems for the core tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

#include "core/float-array.h"
#include "core/model-spec.h"
#include "core/trainer.h"

namespace voltlab::test {

// y_k = sin(x . w_k) + 0.5 * t (t = last column), roughly z-scored.
inline void fillSynthetic(const ModelSpec& m, int64_t n, uint32_t seed, FloatArray* x,
                          FloatArray* y) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.f, 1.f);
  const int64_t steps = m.kind == ModelKind::BiLstm ? m.window : 1;
  x->shape = m.kind == ModelKind::BiLstm ? std::vector<int64_t>{n, steps, m.inputDim}
                                         : std::vector<int64_t>{n, m.inputDim};
  y->shape = {n, m.outputs};
  x->data.resize(n * steps * m.inputDim);
  y->data.resize(n * m.outputs);
  for (auto& v : x->data) v = normal(rng);
  for (int64_t i = 0; i < n; ++i) {
    const float* last = &x->data[(i * steps + steps - 1) * m.inputDim];
    for (int k = 0; k < m.outputs; ++k) {
      float dot = 0;
      for (int j = 0; j < m.inputDim; ++j) dot += last[j] * (0.7f + 0.3f * j - 0.5f * k);
      y->data[i * m.outputs + k] = std::sin(dot) + 0.5f * last[m.inputDim - 1];
    }
  }
}

inline TrainSpec syntheticSpec(ModelKind kind, int outputs = 1) {
  TrainSpec spec;
  spec.model.kind = kind;
  spec.model.inputDim = 4;
  spec.model.outputs = outputs;
  spec.model.hiddenWidth = 32;
  spec.model.physicsWidth = 16;
  spec.model.lstmHidden = 16;
  spec.model.lstmLayers = 1;
  if (kind == ModelKind::BiLstm) spec.model.window = 5;
  spec.epochs = 15;
  spec.batchSize = 64;
  spec.learningRate = 1e-2;
  spec.seed = 7;
  fillSynthetic(spec.model, 256, 1, &spec.xTrain, &spec.yTrain);
  fillSynthetic(spec.model, 64, 2, &spec.xVal, &spec.yVal);
  return spec;
}

}  // namespace voltlab::test
