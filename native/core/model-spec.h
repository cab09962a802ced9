// Model description shared by the trainer, the predictor and the binding.
// Torch-free on purpose: the N-API binding includes it without paying for
// LibTorch's headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/limits.h"

namespace voltlab {

enum class ModelKind { Baseline, BiLstm, DeepHpm };

// Training objective of DeepHPM.
enum class PhysicsLoss {
  Sum,       // data MSE + w * (mean(F^2) + mean(F_t^2)), w = physicsWeight
  Adaptive,  // sum_i exp(-log_sigma_i) * L_i + log_sigma_i (learned log_sigma)
};

// Inputs of DeepHPM's hidden-physics network G, a subset of [s, t, u, u_s, u_t].
// s = every input column but the last; t = the LAST input column (cycle number).
enum class PhysicsInput { S, T, U, Us, Ut };

struct ModelSpec {
  ModelKind kind = ModelKind::Baseline;
  int inputDim = 0;  // d: features + the cycle number (last column)
  int window = 1;    // BiLSTM sequence length W (1 for the per-cycle models)
  int outputs = 1;   // 1 or 2 targets
  // Baseline MLP and DeepHPM's solution network u(s, t).
  int hiddenLayers = 2;
  int hiddenWidth = 128;
  double dropout = 0.2;
  // BiLSTM.
  int lstmLayers = 2;
  int lstmHidden = 64;
  // DeepHPM.
  std::vector<PhysicsInput> physicsInputs = {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U};
  int physicsLayers = 2;
  int physicsWidth = 128;
  PhysicsLoss physicsLoss = PhysicsLoss::Sum;
  // Weight w of the physics terms in the `sum` loss (1 = the unweighted sum of
  // docs/ml.md); the `adaptive` loss learns its weights and accepts only 1.
  double physicsWeight = 1.0;
};

// Limits enforced by validate(): ModelLimits in core/limits.h.

// Throws std::invalid_argument naming the first field out of range.
void validate(const ModelSpec& spec);

// Expected per-sample input shape: [d] or [window, d].
std::vector<int64_t> sampleShape(const ModelSpec& spec);

// Where one of G's inputs sits in G's input row: columns [offset, offset + width).
struct PhysicsColumn {
  PhysicsInput input;
  int64_t offset, width;
};

// G's input row, in the order `inputs` lists, for `features` feature columns
// (s) and `outputs` targets: s is `features` wide, t 1, u and u_t `outputs`,
// u_s `outputs * features`.
std::vector<PhysicsColumn> physicsColumns(const std::vector<PhysicsInput>& inputs,
                                          int64_t features, int64_t outputs);

const char* toString(ModelKind kind);
const char* toString(PhysicsInput input);
const char* toString(PhysicsLoss loss);
bool parseModelKind(const std::string& name, ModelKind* out);
bool parsePhysicsInput(const std::string& name, PhysicsInput* out);
bool parsePhysicsLoss(const std::string& name, PhysicsLoss* out);

}  // namespace voltlab
