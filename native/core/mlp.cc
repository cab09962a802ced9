#include "core/mlp.h"

#include "core/tanh-block.h"

#include <ATen/CPUGeneratorImpl.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

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

namespace {

constexpr uint64_t kSplitMixGamma = 0x9E3779B97F4A7C15ULL;

// splitmix64's output function (Steele, Lea, Flood 2014): the k-th number of the
// stream started at `state` is mix(state + k * gamma).
inline uint64_t splitMix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Element 2j and 2j+1 take the low and high halves of the stream's (j+1)-th
// number. Every number is computed from its index, so iterations are
// independent. Integer arithmetic only: both versions write the same bits.
void fillMaskScalar(float* __restrict out, int64_t from, int64_t n, uint64_t state,
                    uint64_t keepBelow, float scale) {
  const int64_t pairs = n / 2;
  for (int64_t j = from; j < pairs; ++j) {
    const uint64_t r = splitMix(state + static_cast<uint64_t>(j + 1) * kSplitMixGamma);
    out[2 * j] = scale * static_cast<float>((r & 0xFFFFFFFFULL) < keepBelow);
    out[2 * j + 1] = scale * static_cast<float>((r >> 32) < keepBelow);
  }
  if (n % 2) {
    const uint64_t r = splitMix(state + static_cast<uint64_t>(pairs + 1) * kSplitMixGamma);
    out[n - 1] = scale * static_cast<float>((r & 0xFFFFFFFFULL) < keepBelow);
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
// 64-bit product modulo 2^64 of each lane by a constant, from 32-bit products
// (AVX2 has no 64-bit multiply): lo*lo + ((hi*lo + lo*hi) << 32).
__attribute__((target("avx2"))) inline __m256i mul64(__m256i a, uint64_t b) {
  const __m256i bLo = _mm256_set1_epi64x(static_cast<int64_t>(b & 0xFFFFFFFFULL));
  const __m256i bHi = _mm256_set1_epi64x(static_cast<int64_t>(b >> 32));
  const __m256i lo = _mm256_mul_epu32(a, bLo);
  const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), bLo),
                                         _mm256_mul_epu32(a, bHi));
  return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
}

__attribute__((target("avx2"))) inline __m256i mix4(__m256i z) {
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), 0xBF58476D1CE4E5B9ULL);
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), 0x94D049BB133111EBULL);
  return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

// Four stream numbers (eight mask elements) per step. The four numbers' 32-bit
// halves, in memory order, are exactly elements 2j, 2j+1, ..., 2j+7.
__attribute__((target("avx2"))) void fillMaskAvx2(float* __restrict out, int64_t n,
                                                   uint64_t state, uint64_t keepBelow,
                                                   float scale) {
  const int64_t blocks = (n / 2) / 4;
  const __m256i step = _mm256_set1_epi64x(static_cast<int64_t>(4 * kSplitMixGamma));
  __m256i z = _mm256_set_epi64x(static_cast<int64_t>(state + 4 * kSplitMixGamma),
                                static_cast<int64_t>(state + 3 * kSplitMixGamma),
                                static_cast<int64_t>(state + 2 * kSplitMixGamma),
                                static_cast<int64_t>(state + 1 * kSplitMixGamma));
  // Unsigned 32-bit r < keepBelow as a signed compare after flipping the sign bit.
  // keepBelow <= 2^32; at 2^32 every element is kept.
  const bool keepAll = keepBelow >= 4294967296ULL;
  const __m256i flip = _mm256_set1_epi32(static_cast<int>(0x80000000U));
  const __m256i limit = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(keepBelow) ^ 0x80000000U));
  const __m256 scaleV = _mm256_set1_ps(scale);
  for (int64_t b = 0; b < blocks; ++b) {
    const __m256i r = mix4(z);
    const __m256i keep = keepAll ? _mm256_set1_epi32(-1)
                                 : _mm256_cmpgt_epi32(limit, _mm256_xor_si256(r, flip));
    _mm256_storeu_ps(out + 8 * b, _mm256_and_ps(_mm256_castsi256_ps(keep), scaleV));
    z = _mm256_add_epi64(z, step);
  }
  fillMaskScalar(out, blocks * 4, n, state, keepBelow, scale);
}
#endif

void fillMask(float* __restrict out, int64_t n, uint64_t state, uint64_t keepBelow,
              float scale) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return fillMaskAvx2(out, n, state, keepBelow, scale);
#endif
  fillMaskScalar(out, 0, n, state, keepBelow, scale);
}

}  // namespace

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
  return cpuMask(like.sizes(), p);
}

torch::Tensor DropoutMasks::cpuMask(at::IntArrayRef sizes, double p) {
  auto mask = torch::empty(sizes, torch::TensorOptions().dtype(torch::kFloat32));
  const int64_t n = mask.numel();
  // Keep an element when a 32-bit uniform falls below (1 - p) * 2^32.
  const uint64_t keepBelow = static_cast<uint64_t>((1.0 - p) * 4294967296.0);
  fillMask(mask.data_ptr<float>(), n, state_, keepBelow, static_cast<float>(1.0 / (1.0 - p)));
  state_ += static_cast<uint64_t>((n + 1) / 2) * kSplitMixGamma;
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

torch::Tensor MlpImpl::nextDropoutMask(int64_t rows) {
  return is_training() && options_.dropout > 0 ? masks_.cpuMask({rows, options_.width}, options_.dropout)
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
