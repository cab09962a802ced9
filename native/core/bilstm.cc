#include "core/bilstm.h"

#include <cmath>
#include <string>

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

std::vector<torch::Tensor> BiLstmImpl::lstmParameters() const {
  const auto named = lstm_->named_parameters(/*recurse=*/false);
  std::vector<torch::Tensor> out;
  for (int64_t l = 0; l < options_.layers; ++l) {
    for (const char* suffix : {"", "_reverse"}) {
      for (const char* name : {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"}) {
        out.push_back(named[name + std::to_string(l) + suffix]);
      }
    }
  }
  return out;
}

torch::Tensor BiLstmImpl::forwardTorch(const torch::Tensor& x) {
  auto out = std::get<0>(lstm_->forward(x));  // [batch, window, 2 * hidden]
  auto last = out.select(/*dim=*/1, out.size(1) - 1);
  return head_->forward(last);
}

torch::Tensor BiLstmImpl::forward(torch::Tensor x) {
  if (!torch::GradMode::is_enabled()) {
    auto params = lstmParameters();
    params.push_back(head_->weight);
    params.push_back(head_->bias);
    if (BiLstmFusedStep::supports(x, params)) {
      params.resize(params.size() - 2);
      return fused_.forward(x, params, head_->weight, head_->bias);
    }
  }
  return forwardTorch(x);
}

double BiLstmImpl::lossBackward(const torch::Tensor& x, const torch::Tensor& y) {
  auto params = lstmParameters();
  params.push_back(head_->weight);
  params.push_back(head_->bias);
  if (!BiLstmFusedStep::supports(x, params) || !y.device().is_cpu()) {
    auto loss = torch::mse_loss(forwardTorch(x), y);
    const double value = loss.item<double>();
    loss.backward();
    return value;
  }
  params.resize(params.size() - 2);
  torch::NoGradGuard noGrad;
  return fused_.lossBackward(x, y.to(torch::kFloat32), params, head_->weight, head_->bias);
}

}  // namespace voltlab
