// The battery BiLSTM's training step without autograd (CPU, float32): the
// forward pass through every layer and direction (core/lstm-fused.h), the
// linear head on the last step, the MSE and the hand-written backward pass,
// adding every parameter's gradient to its .grad. Only the last time step's
// output reaches the head, so the top layer's reverse direction runs one step
// (its output at the last position has seen that position alone); everything
// else is the full recurrence. Same parameters, same function as
// torch::nn::LSTM: the tests compare loss and gradients with autograd.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace voltlab {

struct BiLstmFusedWorkspace;

class BiLstmFusedStep {
 public:
  BiLstmFusedStep();
  ~BiLstmFusedStep();

  // x on CPU, float32, [batch, window, inputs], and every parameter CPU float32 contiguous.
  static bool supports(const torch::Tensor& x, const std::vector<torch::Tensor>& params);

  // lstm: per layer, per direction (forward, reverse): weight_ih, weight_hh,
  // bias_ih, bias_hh. head: weight [k, 2H], bias [k].
  // Returns the head's output [batch, k].
  torch::Tensor forward(const torch::Tensor& x, const std::vector<torch::Tensor>& lstm,
                        const torch::Tensor& headWeight, const torch::Tensor& headBias);

  // MSE against y [batch, k]; adds the gradient to every parameter's .grad.
  double lossBackward(const torch::Tensor& x, const torch::Tensor& y,
                      const std::vector<torch::Tensor>& lstm, const torch::Tensor& headWeight,
                      const torch::Tensor& headBias);

 private:
  void run(const torch::Tensor& x, const std::vector<torch::Tensor>& lstm,
           const torch::Tensor& headWeight, const torch::Tensor& headBias, float* out);
  std::unique_ptr<BiLstmFusedWorkspace> work_;
};

}  // namespace voltlab
