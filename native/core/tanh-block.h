// Fused hidden-block nonlinearity of the MLPs: a = m * tanh(z), optionally with
// the first and second derivatives along one input direction (the "jet" that
// DeepHPM needs for u_t and u_tt):
//   a1 = m * s * z1,   a2 = m * s * (z2 - 2 t z1^2),   t = tanh(z), s = 1 - t^2,
// where m is the dropout mask (or 1). One autograd node with a hand-written
// backward replaces the ten to twenty elementwise nodes (and their backward
// nodes) that the same formulas cost as separate tensor ops; on small
// batches those dominated the epoch time, not the matrix products.
// Fused for CPU float32; elsewhere (CUDA) the same formulas run as standard
// tensor ops.
#pragma once

#include <torch/torch.h>

namespace voltlab {

struct TanhJet {
  torch::Tensor a, a1, a2;  // a1 / a2 undefined when not requested
};

// z: [n, w] contiguous float32 CPU. z1, z2: same shape or undefined (zero).
// mask: same shape or undefined (no dropout). order: 0, 1 or 2 (how many
// derivatives to return; z2 is ignored below order 2).
TanhJet tanhBlock(const torch::Tensor& z, const torch::Tensor& z1, const torch::Tensor& z2,
                  const torch::Tensor& mask, int order);

// Whether tanhBlock fuses for tensors like z (CPU float32).
bool tanhBlockSupports(const torch::Tensor& z);

}  // namespace voltlab
