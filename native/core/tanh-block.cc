#include "core/tanh-block.h"

#include <cstdint>
#include <type_traits>

namespace voltlab {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// Absent tensors travel through autograd as empty placeholders (Function::apply
// cannot take undefined inputs).
const float* ptrOrNull(const torch::Tensor& t) {
  return t.defined() && t.numel() > 0 ? t.data_ptr<float>() : nullptr;
}

torch::Tensor orEmpty(const torch::Tensor& t) { return t.defined() ? t : torch::empty({0}); }

// The loops, specialised per case so that the compiler vectorises them
// (no per-element branches; __restrict: outputs never alias inputs).
template <bool Masked, int Order>
void forwardKernel(int64_t n, const float* __restrict T, const float* __restrict M,
                   const float* __restrict Z1, const float* __restrict Z2, float* __restrict A,
                   float* __restrict A1, float* __restrict A2) {
  for (int64_t i = 0; i < n; ++i) {
    const float m = Masked ? M[i] : 1.f;
    const float ti = T[i];
    A[i] = m * ti;
    if constexpr (Order >= 1) {
      const float s = 1.f - ti * ti;
      A1[i] = m * s * Z1[i];
      if constexpr (Order >= 2) A2[i] = m * s * (Z2[i] - 2.f * ti * Z1[i] * Z1[i]);
    }
  }
}

template <bool Masked, int Order>
void backwardKernel(int64_t n, const float* __restrict T, const float* __restrict M,
                    const float* __restrict Z1, const float* __restrict Z2,
                    const float* __restrict G0, const float* __restrict G1,
                    const float* __restrict G2, float* __restrict GZ, float* __restrict GZ1,
                    float* __restrict GZ2) {
  for (int64_t i = 0; i < n; ++i) {
    const float m = Masked ? M[i] : 1.f;
    const float ti = T[i], s = 1.f - ti * ti;
    // d/dz of a, a1, a2 (ds/dz = -2 t s), chained with their incoming grads.
    float g = G0[i] * s;
    if constexpr (Order >= 1) {
      const float d1 = Z1[i];
      g -= 2.f * G1[i] * ti * s * d1;
      float g1 = G1[i] * s;
      if constexpr (Order >= 2) {
        const float d2 = Z2[i];
        g += G2[i] * (-2.f * ti * s * (d2 - 2.f * ti * d1 * d1) - 2.f * s * s * d1 * d1);
        g1 -= 4.f * G2[i] * s * ti * d1;
        GZ2[i] = m * G2[i] * s;
      }
      GZ1[i] = m * g1;
    }
    GZ[i] = m * g;
  }
}

template <typename Fn>
void dispatch(bool masked, int order, Fn&& fn) {
  auto withOrder = [&](auto maskedTag) {
    constexpr bool kMasked = decltype(maskedTag)::value;
    if (order == 0) fn(std::integral_constant<bool, kMasked>{}, std::integral_constant<int, 0>{});
    else if (order == 1) fn(std::integral_constant<bool, kMasked>{}, std::integral_constant<int, 1>{});
    else fn(std::integral_constant<bool, kMasked>{}, std::integral_constant<int, 2>{});
  };
  if (masked) withOrder(std::true_type{});
  else withOrder(std::false_type{});
}

// A missing derivative input is zero: materialise it so the kernels stay branch-free.
torch::Tensor zerosIfMissing(const torch::Tensor& t, const torch::Tensor& like) {
  return t.defined() && t.numel() > 0 ? t : torch::zeros_like(like);
}

class TanhBlockFunction : public torch::autograd::Function<TanhBlockFunction> {
 public:
  // Returns {a, a1, a2}; a1 and a2 are empty placeholders when order is lower.
  static tensor_list forward(AutogradContext* ctx, torch::Tensor z, torch::Tensor z1,
                             torch::Tensor z2, torch::Tensor mask, int64_t order) {
    auto t = torch::tanh(z);
    const int64_t n = t.numel();
    if (order >= 1) z1 = zerosIfMissing(z1, t);
    if (order >= 2) z2 = zerosIfMissing(z2, t);
    auto a = torch::empty_like(t);
    torch::Tensor a1 = order >= 1 ? torch::empty_like(t) : torch::empty({0});
    torch::Tensor a2 = order >= 2 ? torch::empty_like(t) : torch::empty({0});
    const float* M = ptrOrNull(mask);
    dispatch(M != nullptr, static_cast<int>(order), [&](auto masked, auto ord) {
      forwardKernel<decltype(masked)::value, decltype(ord)::value>(
          n, t.data_ptr<float>(), M, ptrOrNull(z1), ptrOrNull(z2), a.data_ptr<float>(),
          order >= 1 ? a1.data_ptr<float>() : nullptr, order >= 2 ? a2.data_ptr<float>() : nullptr);
    });
    ctx->save_for_backward({t, z1, z2, mask});
    ctx->saved_data["order"] = order;
    return {a, a1, a2};
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto& t = saved[0];
    const int order = static_cast<int>(ctx->saved_data["order"].toInt());
    const int64_t n = t.numel();
    auto grad = [&](int k) {
      return k <= order ? zerosIfMissing(grads[k], t).contiguous() : torch::Tensor();
    };
    const auto g0 = grad(0), g1 = grad(1), g2 = grad(2);
    auto gz = torch::empty_like(t);
    torch::Tensor gz1 = order >= 1 ? torch::empty_like(t) : torch::Tensor();
    torch::Tensor gz2 = order >= 2 ? torch::empty_like(t) : torch::Tensor();
    const float* M = ptrOrNull(saved[3]);
    dispatch(M != nullptr, order, [&](auto masked, auto ord) {
      backwardKernel<decltype(masked)::value, decltype(ord)::value>(
          n, t.data_ptr<float>(), M, ptrOrNull(saved[1]), ptrOrNull(saved[2]),
          g0.data_ptr<float>(), ptrOrNull(g1), ptrOrNull(g2), gz.data_ptr<float>(),
          order >= 1 ? gz1.data_ptr<float>() : nullptr, order >= 2 ? gz2.data_ptr<float>() : nullptr);
    });
    return {gz, gz1, gz2, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

bool tanhBlockSupports(const torch::Tensor& z) {
  return z.device().is_cpu() && z.scalar_type() == torch::kFloat32;
}

namespace {

// The same block from standard tensor ops, for devices and types the fused
// node does not cover (CUDA): a = tanh(z), a1 = s z1, a2 = s (z2 - 2 a z1^2).
TanhJet compositeBlock(const torch::Tensor& z, const torch::Tensor& z1, const torch::Tensor& z2,
                       const torch::Tensor& mask, int order) {
  TanhJet jet;
  jet.a = torch::tanh(z);
  const auto slope = 1 - jet.a * jet.a;
  if (order >= 1 && z1.defined()) jet.a1 = slope * z1;
  if (order >= 2) {
    torch::Tensor curve;
    if (z1.defined()) curve = -2 * jet.a * z1 * z1;
    if (z2.defined()) curve = curve.defined() ? curve + z2 : z2;
    if (curve.defined()) jet.a2 = slope * curve;
  }
  if (mask.defined()) {
    jet.a = jet.a * mask;
    if (jet.a1.defined()) jet.a1 = jet.a1 * mask;
    if (jet.a2.defined()) jet.a2 = jet.a2 * mask;
  }
  return jet;
}

}  // namespace

TanhJet tanhBlock(const torch::Tensor& z, const torch::Tensor& z1, const torch::Tensor& z2,
                  const torch::Tensor& mask, int order) {
  if (!tanhBlockSupports(z)) return compositeBlock(z, z1, z2, mask, order);
  auto full = [&](const torch::Tensor& d) {
    return d.defined() ? d.expand(z.sizes()).contiguous() : torch::Tensor();
  };
  auto out = TanhBlockFunction::apply(
      z.contiguous(), orEmpty(order >= 1 ? full(z1) : torch::Tensor()),
      orEmpty(order >= 2 ? full(z2) : torch::Tensor()),
      orEmpty(mask.defined() ? mask.contiguous() : torch::Tensor()), static_cast<int64_t>(order));
  TanhJet jet;
  jet.a = out[0];
  if (order >= 1 && z1.defined()) jet.a1 = out[1];
  if (order >= 2 && (z1.defined() || z2.defined())) jet.a2 = out[2];
  return jet;
}

}  // namespace voltlab
