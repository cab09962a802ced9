// Bidirectional LSTM over a window of cycles; the last step's output -> Linear.
#pragma once

#include <torch/torch.h>

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

  // x: [batch, window, d] -> [batch, outputs]
  torch::Tensor forward(torch::Tensor x);

 private:
  BiLstmOptions options_;
  torch::nn::LSTM lstm_{nullptr};  // parameter names as PyTorch: weight_ih_l0[_reverse], ...
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(BiLstm);

}  // namespace voltlab
