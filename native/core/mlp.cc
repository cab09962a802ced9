#include "core/mlp.h"

#include "core/tanh-block.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <mutex>
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

namespace {

// Seed for the dropout stream, drawn from the initialisation generator.
uint64_t drawSeed(c10::optional<at::Generator> generator) {
  if (!generator) return 0;
  std::lock_guard<std::mutex> lock(generator->mutex());
  return at::check_generator<at::CPUGeneratorImpl>(*generator)->random64();
}

}  // namespace

uint64_t DropoutMasks::next() {
  // splitmix64 (Steele, Lea, Flood 2014).
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

torch::Tensor DropoutMasks::apply(const torch::Tensor& x, double p) {
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32) {
    return torch::dropout(x, p, /*train=*/true);
  }
  return x * mask(x, p);
}

torch::Tensor DropoutMasks::mask(const torch::Tensor& like, double p) {
  if (!like.device().is_cpu() || like.scalar_type() != torch::kFloat32) {
    return torch::empty_like(like).bernoulli_(1.0 - p).div_(1.0 - p);
  }
  auto mask = torch::empty(like.sizes(), torch::TensorOptions().dtype(torch::kFloat32));
  float* out = mask.data_ptr<float>();
  const int64_t n = mask.numel();
  // Keep an element when a 32-bit uniform falls below (1 - p) * 2^32.
  const uint64_t keepBelow = static_cast<uint64_t>((1.0 - p) * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  int64_t i = 0;
  for (; i + 1 < n; i += 2) {
    const uint64_t r = next();
    out[i] = scale * static_cast<float>((r & 0xFFFFFFFFULL) < keepBelow);
    out[i + 1] = scale * static_cast<float>((r >> 32) < keepBelow);
  }
  if (i < n) out[i] = scale * static_cast<float>((next() & 0xFFFFFFFFULL) < keepBelow);
  return mask;
}

MlpImpl::MlpImpl(const MlpOptions& options, c10::optional<at::Generator> generator)
    : options_(options), masks_(drawSeed(generator)) {
  int64_t in = options_.inputs;
  for (int64_t i = 0; i < options_.layers; ++i) {
    auto layer = register_module("fc" + std::to_string(i), torch::nn::Linear(in, options_.width));
    initLinear(layer, generator);
    hidden_.push_back(layer);
    in = options_.width;
  }
  head_ = register_module("out", torch::nn::Linear(in, options_.outputs));
  initLinear(head_, generator);
}

torch::Tensor MlpImpl::dropoutMask(const torch::Tensor& like) {
  return is_training() && options_.dropout > 0 ? masks_.mask(like, options_.dropout)
                                               : torch::Tensor();
}

torch::Tensor MlpImpl::forward(torch::Tensor x) {
  // Inference (no grad) and devices the fused node does not cover: plain ops.
  if (!torch::GradMode::is_enabled() || !tanhBlockSupports(x)) return forwardComposite(x);
  for (auto& layer : hidden_) {
    auto z = layer->forward(x);
    x = tanhBlock(z, {}, {}, dropoutMask(z), 0).a;
  }
  return head_->forward(x);
}

torch::Tensor MlpImpl::forwardComposite(torch::Tensor x) {
  for (auto& layer : hidden_) {
    x = torch::tanh(layer->forward(x));
    if (is_training() && options_.dropout > 0) x = masks_.apply(x, options_.dropout);
  }
  return head_->forward(x);
}

namespace {

// Derivative of a linear map without its bias; undefined (zero) stays undefined.
torch::Tensor linearTangent(const torch::Tensor& d, const torch::nn::Linear& layer) {
  return d.defined() ? torch::matmul(d, layer->weight.t()) : torch::Tensor();
}

}  // namespace

MlpImpl::Jet MlpImpl::forwardJet(const Jet& x, int order) {
  Jet h = x;
  if (order < 2) h.d2 = torch::Tensor();
  for (auto& layer : hidden_) {
    Jet z{layer->forward(h.value), linearTangent(h.d1, layer), linearTangent(h.d2, layer)};
    auto a = tanhBlock(z.value, z.d1, z.d2, dropoutMask(z.value), order);
    h = Jet{a.a, a.a1, a.a2};
  }
  return Jet{head_->forward(h.value), linearTangent(h.d1, head_), linearTangent(h.d2, head_)};
}

}  // namespace voltlab
