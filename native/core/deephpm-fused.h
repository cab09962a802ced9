// DeepHPM's training step without autograd: the objective and its gradient
// with respect to every parameter in one forward and one hand-written backward
// pass (CPU, float32, G not reading u_s).
//
// Same mathematics as DeepHpmImpl::lossesByJets (forward-mode jets along t
// through both networks): u and its first two t-derivatives travel through
// the u network stacked as one [3n, w] matrix per layer, G and its
// t-derivative as one [2n, w] matrix, so each layer is one matrix product per
// pass instead of one per derivative; bias, tanh, dropout and the jet terms
// are one loop per row, and the backward loops also sum the bias gradients.
// LibTorch's dispatcher and autograd graph, which cost about as much as the
// products themselves at this size, are not involved. The tests compare the
// objective and every gradient with the autograd path.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "core/model-spec.h"

namespace voltlab {

// One MLP's parameters (Linear weights [out, in], biases [out]) and the
// dropout masks of its hidden layers for this batch ([n, width]; undefined
// when dropout is off).
struct FusedMlp {
  std::vector<torch::Tensor> weights, biases;
  torch::Tensor headWeight, headBias;
  std::vector<torch::Tensor> masks;
};

struct FusedLosses {
  double total = 0, data = 0, f = 0, ft = 0;
};

// Scratch memory reused from batch to batch.
struct FusedWorkspace;

class DeepHpmFusedStep {
 public:
  DeepHpmFusedStep();
  ~DeepHpmFusedStep();

  // Whether the fused step covers this batch and configuration.
  static bool supports(const torch::Tensor& x, const std::vector<PhysicsInput>& physicsInputs);

  // x [n, d] (t = last column), y [n, k]. Adds the objective's gradient to the
  // .grad of every parameter in u, g and logSigma (undefined: `sum` loss,
  // whose physics terms carry physicsWeight) and returns the loss terms. G's
  // input columns follow physicsInputs.
  FusedLosses run(const torch::Tensor& x, const torch::Tensor& y, const FusedMlp& u,
                  const FusedMlp& g, const std::vector<PhysicsInput>& physicsInputs,
                  const torch::Tensor& logSigma, double physicsWeight = 1.0);

 private:
  std::unique_ptr<FusedWorkspace> work_;
};

}  // namespace voltlab
