#include "core/adam.h"

#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VOLTLAB_ADAM_AVX2 1
#endif

namespace voltlab {
namespace {

struct Coefficients {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtCorrection2, eps, negStep;
};

// LibTorch's scalar path (tensors shorter than two vectors, and tails).
void updateScalar(float* __restrict p, const float* __restrict g, float* __restrict m,
                  float* __restrict v, int64_t from, int64_t n, const Coefficients& c) {
  for (int64_t i = from; i < n; ++i) {
    const float mi = m[i] * c.beta1;
    m[i] = mi + c.oneMinusBeta1 * g[i];
    const float vi = v[i] * c.beta2;
    v[i] = vi + c.oneMinusBeta2 * g[i] * g[i];
    const float denom = std::sqrt(v[i]) / c.sqrtCorrection2 + c.eps;
    p[i] = p[i] + c.negStep * m[i] / denom;
  }
}

#ifdef VOLTLAB_ADAM_AVX2
// LibTorch's AVX2 path: eight lanes, whole blocks of sixteen elements.
__attribute__((target("avx2,fma"))) int64_t updateAvx2(float* __restrict p,
                                                       const float* __restrict g,
                                                       float* __restrict m, float* __restrict v,
                                                       int64_t n, const Coefficients& c) {
  const __m256 b1 = _mm256_set1_ps(c.beta1), omb1 = _mm256_set1_ps(c.oneMinusBeta1);
  const __m256 b2 = _mm256_set1_ps(c.beta2), omb2 = _mm256_set1_ps(c.oneMinusBeta2);
  const __m256 corr = _mm256_set1_ps(c.sqrtCorrection2), eps = _mm256_set1_ps(c.eps);
  const __m256 negStep = _mm256_set1_ps(c.negStep);
  const int64_t whole = n - n % 16;
  for (int64_t i = 0; i < whole; i += 8) {
    const __m256 gi = _mm256_loadu_ps(g + i);
    const __m256 mi = _mm256_fmadd_ps(gi, omb1, _mm256_mul_ps(_mm256_loadu_ps(m + i), b1));
    const __m256 vi = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(v + i), b2),
                                    _mm256_mul_ps(_mm256_mul_ps(omb2, gi), gi));
    const __m256 denom = _mm256_add_ps(_mm256_div_ps(_mm256_sqrt_ps(vi), corr), eps);
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    _mm256_storeu_ps(p + i, _mm256_add_ps(_mm256_loadu_ps(p + i),
                                          _mm256_div_ps(_mm256_mul_ps(negStep, mi), denom)));
  }
  return whole;
}
#endif

}  // namespace

FusedAdam::FusedAdam(std::vector<torch::Tensor> params, double lr, double beta1, double beta2,
                     double eps)
    : params_(std::move(params)), lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& p : params_) {
    m_.emplace_back(p.numel(), 0.f);
    v_.emplace_back(p.numel(), 0.f);
  }
}

bool FusedAdam::supports(const std::vector<torch::Tensor>& params) {
  for (const auto& p : params) {
    if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32 || !p.is_contiguous()) {
      return false;
    }
  }
  return true;
}

void FusedAdam::zeroGrad() {
  for (auto& p : params_) {
    if (p.grad().defined()) p.mutable_grad().zero_();
  }
}

void FusedAdam::step() {
  ++steps_;
  const double correction1 = 1 - std::pow(beta1_, static_cast<double>(steps_));
  const double correction2 = 1 - std::pow(beta2_, static_cast<double>(steps_));
  Coefficients c;
  c.beta1 = static_cast<float>(beta1_);
  c.oneMinusBeta1 = static_cast<float>(1 - beta1_);
  c.beta2 = static_cast<float>(beta2_);
  c.oneMinusBeta2 = static_cast<float>(1 - beta2_);
  c.sqrtCorrection2 = static_cast<float>(std::sqrt(correction2));
  c.eps = static_cast<float>(eps_);
  c.negStep = static_cast<float>(-(lr_ / correction1));
#ifdef VOLTLAB_ADAM_AVX2
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  torch::NoGradGuard noGrad;
  for (size_t t = 0; t < params_.size(); ++t) {
    auto& p = params_[t];
    if (!p.grad().defined()) continue;  // as torch::optim::Adam: no gradient, no step
    const auto grad = p.grad().contiguous();
    float* pp = p.data_ptr<float>();
    const float* g = grad.data_ptr<float>();
    float* m = m_[t].data();
    float* v = v_[t].data();
    const int64_t n = p.numel();
    int64_t done = 0;
#ifdef VOLTLAB_ADAM_AVX2
    if (avx2) done = updateAvx2(pp, g, m, v, n, c);
#endif
    updateScalar(pp, g, m, v, done, n, c);
  }
}

namespace {

class TorchAdam : public Optimiser {
 public:
  TorchAdam(const std::vector<torch::Tensor>& params, double lr)
      : adam_(params, torch::optim::AdamOptions(lr)) {}
  void zeroGrad() override { adam_.zero_grad(); }
  void step() override { adam_.step(); }

 private:
  torch::optim::Adam adam_;
};

}  // namespace

std::unique_ptr<Optimiser> makeAdam(const std::vector<torch::Tensor>& params, double lr) {
  if (FusedAdam::supports(params)) return std::make_unique<FusedAdam>(params, lr);
  return std::make_unique<TorchAdam>(params, lr);
}

}  // namespace voltlab
