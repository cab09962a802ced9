// Bidirectional LSTM over a window of cycles; the last step's output -> Linear.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/bilstm-fused.h"

namespace voltlab {

struct BiLstmOptions {
  int64_t inputs = 1;   // features per time step (d)
  int64_t outputs = 1;
  int64_t layers = 2;
  int64_t hidden = 64;  // per direction
};

class BiLstmImpl : public torch::nn::Module {
 public:
  BiLstmImpl(const BiLstmOptions& options, c10::optional<at::Generator> generator);

  // x: [batch, window, d] -> [batch, outputs]. Without grad mode on CPU float32
  // (validation, inference) the fused forward pass (core/bilstm-fused.h), else
  // forwardTorch().
  torch::Tensor forward(torch::Tensor x);

  // torch::nn::LSTM and the head: the autograd path (CUDA, and the reference
  // the fused step is tested against).
  torch::Tensor forwardTorch(const torch::Tensor& x);

  // The data MSE of a batch, with its gradient added to the parameters'
  // .grad: the fused step on CPU float32, else forwardTorch() and backward().
  double lossBackward(const torch::Tensor& x, const torch::Tensor& y);

 private:
  // weight_ih, weight_hh, bias_ih, bias_hh per layer and direction (forward, reverse).
  std::vector<torch::Tensor> lstmParameters() const;

  BiLstmOptions options_;
  torch::nn::LSTM lstm_{nullptr};  // parameter names as PyTorch: weight_ih_l0[_reverse], ...
  torch::nn::Linear head_{nullptr};
  BiLstmFusedStep fused_;
};
TORCH_MODULE(BiLstm);

}  // namespace voltlab
