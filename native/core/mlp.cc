#include "core/mlp.h"

#include <cmath>
#include <string>

namespace voltlab {

void initLinear(const torch::nn::Linear& linear, c10::optional<at::Generator> generator) {
  torch::NoGradGuard noGrad;
  auto& w = linear->weight;
  const double fanIn = static_cast<double>(w.size(1));
  const double fanOut = static_cast<double>(w.size(0));
  const double xavierStd = std::sqrt(2.0 / (fanIn + fanOut));
  w.normal_(0.0, xavierStd, generator);
  if (linear->bias.defined()) {
    const double bound = 1.0 / std::sqrt(fanIn);
    linear->bias.uniform_(-bound, bound, generator);
  }
}

torch::Tensor dropout(const torch::Tensor& x, double p, bool training,
                      const c10::optional<at::Generator>& generator) {
  if (!training || p <= 0.0) return x;
  if (x.is_cuda() || !generator) return torch::dropout(x, p, /*train=*/true);
  auto mask = torch::empty_like(x).bernoulli_(1.0 - p, generator);
  return x * mask / (1.0 - p);
}

MlpImpl::MlpImpl(const MlpOptions& options, c10::optional<at::Generator> generator)
    : options_(options), generator_(std::move(generator)) {
  int64_t in = options_.inputs;
  for (int64_t i = 0; i < options_.layers; ++i) {
    auto layer = register_module("fc" + std::to_string(i), torch::nn::Linear(in, options_.width));
    initLinear(layer, generator_);
    hidden_.push_back(layer);
    in = options_.width;
  }
  head_ = register_module("out", torch::nn::Linear(in, options_.outputs));
  initLinear(head_, generator_);
}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  for (auto& layer : hidden_) {
    x = dropout(torch::tanh(layer->forward(x)), options_.dropout, is_training(), generator_);
  }
  return head_->forward(x);
}

}  // namespace voltlab
