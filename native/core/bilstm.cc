#include "core/bilstm.h"

#include <cmath>

#include "core/mlp.h"

namespace voltlab {

BiLstmImpl::BiLstmImpl(const BiLstmOptions& options, c10::optional<at::Generator> generator)
    : options_(options) {
  lstm_ = register_module(
      "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(options_.inputs, options_.hidden)
                                  .num_layers(options_.layers)
                                  .batch_first(true)
                                  .bidirectional(true)));
  head_ = register_module("head", torch::nn::Linear(2 * options_.hidden, options_.outputs));
  // PyTorch's LSTM initialisation, uniform(+-1/sqrt(hidden)), but from our generator.
  torch::NoGradGuard noGrad;
  const double bound = 1.0 / std::sqrt(static_cast<double>(options_.hidden));
  for (auto& p : lstm_->parameters()) p.uniform_(-bound, bound, generator);
  initLinear(head_, generator);
}

torch::Tensor BiLstmImpl::forward(torch::Tensor x) {
  auto out = std::get<0>(lstm_->forward(x));  // [batch, window, 2 * hidden]
  auto last = out.select(/*dim=*/1, out.size(1) - 1);
  return head_->forward(last);
}

}  // namespace voltlab
