// Deep hidden physics model (Raissi 2018; Wen et al. 2024 for batteries).
//
// Input columns: s = all columns but the last (features), t = the LAST column
// (cycle number). A solution network u(s, t) predicts the target(s); a
// hidden-physics network G models du/dt from a chosen subset of
// [s, t, u, u_s, u_t]. Residual F = u_t - G and F_t = dF/dt are differentiable
// functions of the weights, so the physics terms are trained too. They are
// computed by forward-mode propagation of d/dt through both networks (MLP
// jets), which gives the same values as nested autograd with create_graph at
// about a third of the cost; when G reads u_s (one derivative per feature) the
// nested-autograd path is used. Training on CPU goes through lossBackward(),
// which runs the jets and their backward pass without autograd
// (core/deephpm-fused.h); the tests hold all three paths to the same values. Derivatives are
// taken in normalised units (inputs and targets arrive z-scored), which only
// rescales F by constants G can absorb. Only u is used for inference.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/deephpm-fused.h"
#include "core/mlp.h"
#include "core/model-spec.h"

namespace voltlab {

struct DeepHpmOptions {
  int64_t inputs = 2;  // d = features + 1
  int64_t outputs = 1;
  int64_t layers = 2, width = 128;                // u(s, t)
  int64_t physicsLayers = 2, physicsWidth = 128;  // G
  double dropout = 0.2;
  std::vector<PhysicsInput> physicsInputs = {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U};
  PhysicsLoss loss = PhysicsLoss::Sum;
  double physicsWeight = 1.0;  // w in the sum loss: data + w * (F term + F_t term)
};

struct DeepHpmLosses {
  torch::Tensor total;  // the training objective
  torch::Tensor data;   // MSE(u, y)
  torch::Tensor f;      // mean(F^2)
  torch::Tensor ft;     // mean(F_t^2)
};

class DeepHpmImpl : public torch::nn::Module {
 public:
  DeepHpmImpl(const DeepHpmOptions& options, c10::optional<at::Generator> generator);

  // u(s, t) only: x [batch, d] -> [batch, outputs]
  torch::Tensor forward(torch::Tensor x);

  DeepHpmLosses losses(const torch::Tensor& x, const torch::Tensor& y);

  // The same losses by nested autograd::grad (create_graph): the reference the
  // forward-mode path is tested against, and the path used when G reads u_s.
  DeepHpmLosses lossesByAutograd(const torch::Tensor& x, const torch::Tensor& y);

  // The training objective's value, with its gradient added to the
  // parameters' .grad: the fused step (core/deephpm-fused.h) where it applies
  // (CPU float32, G not reading u_s), else losses().total.backward().
  double lossBackward(const torch::Tensor& x, const torch::Tensor& y);

  // Width of G's input for the chosen physics inputs.
  static int64_t physicsInputWidth(const DeepHpmOptions& options);

 private:
  DeepHpmLosses lossesByJets(const torch::Tensor& x, const torch::Tensor& y);
  DeepHpmLosses combine(const torch::Tensor& u, const torch::Tensor& y, const torch::Tensor& f,
                        const torch::Tensor& ft);

  DeepHpmOptions options_;
  Mlp u_{nullptr};           // registered as "u"
  Mlp g_{nullptr};           // registered as "g"
  torch::Tensor logSigma_;   // [3], registered as "log_sigma" (adaptive loss only)
  DeepHpmFusedStep fused_;
};
TORCH_MODULE(DeepHpm);

}  // namespace voltlab
