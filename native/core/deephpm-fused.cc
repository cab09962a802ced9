#include "core/deephpm-fused.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "core/gemm.h"
#include "core/vector-tanh.h"

namespace voltlab {

// ---------------------------------------------------------------------------
// Row loops on raw float arrays; matrix products through core/gemm.h.
namespace {

// ---------------------------------------------------------------------------
// One hidden block a = m * tanh(z + b) with its t-derivatives (tanh-block.h):
//   a1 = m s z1,  a2 = m s (z2 - 2 t z1^2),  t = tanh(z + b), s = 1 - t^2,
// for all n rows of a layer. Stacked matrices hold the value rows [0, n), the
// first-derivative rows [n, 2n) and (order 2) the second-derivative rows
// [2n, 3n). z1 and z2 rows advance by their strides (0: one row shared by all
// samples, as in the u network's first layer, where z1 is the weight column
// of t and z2 is zero).
struct LayerForward {
  int64_t n = 0, w = 0;
  const float* Z = nullptr;  // pre-activations without bias, from a product
  const float* z1 = nullptr;
  int64_t z1Stride = 0;
  const float* z2 = nullptr;
  int64_t z2Stride = 0;
  // First layer: z = in W^T + b (and z1 = in1 W^T, written to z1Out) instead of Z.
  const float* in = nullptr;
  const float* in1 = nullptr;
  int64_t inWidth = 0;
  const float* WT = nullptr;  // W^T [inWidth, w]
  float* z1Out = nullptr;
  const float* bias = nullptr;
  const float* mask = nullptr;  // null: no dropout
  float* T = nullptr;           // tanh values [n, w]
  float* A = nullptr;           // stacked activations; null: not kept (last layer)
  // Last layer: the head's outputs U (blocks n * k apart) = a Wo^T (+ bo).
  const float* Wo = nullptr;
  const float* bo = nullptr;
  int64_t k = 0;
  float* U = nullptr;
};

struct LayerBackward {
  int64_t n = 0, w = 0;
  const float* T = nullptr;
  const float* mask = nullptr;
  const float* z1 = nullptr;
  int64_t z1Stride = 0;
  const float* z2 = nullptr;
  int64_t z2Stride = 0;
  // Incoming gradient: stacked dA from the next layer's product (overwritten
  // with dZ unless dZ is set) or, for the last layer, from the head's dU.
  float* dA = nullptr;
  const float* dU = nullptr;
  int64_t k = 0;
  const float* Wo = nullptr;
  float* dWo = nullptr;  // head weight gradient [k, w], accumulated
  float* dZ = nullptr;   // where the stacked dZ goes when it is not dA
  float* dBias = nullptr;
  // First layer: accumulate dW^T [inWidth, w] and (dIn) the input's gradient.
  const float* in = nullptr;
  const float* in1 = nullptr;
  int64_t inWidth = 0;
  const float* WT = nullptr;
  float* dWT = nullptr;
  float* dIn = nullptr;     // stacked [2n, inWidth]: only dInColumns are written
  std::vector<int64_t> dInColumns;
  float* dZ1Sum = nullptr;  // column sums of dz1 (u's first layer: the t column)
};

// The row loops, compiled twice: for any x86-64 and for AVX2 + FMA (chosen at
// run time), specialised per case so that both vectorise.
namespace generic {
inline void tanhRow(float* x, int64_t n) { simd::tanhRowScalar(x, n); }
#include "core/deephpm-fused-kernels.inc"
}  // namespace generic

#ifdef VOLTLAB_X86_AVX2
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
inline void tanhRow(float* x, int64_t n) { simd::tanhRowAvx2(x, n); }
#include "core/deephpm-fused-kernels.inc"
}  // namespace avx2
#pragma GCC pop_options
#endif

bool useAvx2() { return simd::hasAvx2(); }

template <int Order>
void forwardLayer(const LayerForward& L) {
  const bool masked = L.mask != nullptr;
#ifdef VOLTLAB_X86_AVX2
  if (useAvx2()) {
    return masked ? avx2::forwardLayer<Order, true>(L) : avx2::forwardLayer<Order, false>(L);
  }
#endif
  masked ? generic::forwardLayer<Order, true>(L) : generic::forwardLayer<Order, false>(L);
}

template <int Order>
void backwardLayer(const LayerBackward& L) {
  const bool masked = L.mask != nullptr;
#ifdef VOLTLAB_X86_AVX2
  if (useAvx2()) {
    return masked ? avx2::backwardLayer<Order, true>(L) : avx2::backwardLayer<Order, false>(L);
  }
#endif
  masked ? generic::backwardLayer<Order, true>(L) : generic::backwardLayer<Order, false>(L);
}

float* ptr(const torch::Tensor& t) { return t.data_ptr<float>(); }

// The parameter's gradient, created (zero) when the parameter has none yet.
float* gradPtr(const torch::Tensor& p) {
  if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  return p.grad().data_ptr<float>();
}

void checkMlp(const FusedMlp& net, const char* name) {
  if (net.weights.empty() || net.weights.size() != net.biases.size() ||
      net.masks.size() != net.weights.size()) {
    throw std::logic_error(std::string("fused DeepHPM step: malformed ") + name + " network");
  }
}

// W [w, in] -> W^T [in, w]
std::vector<float> transposed(const torch::Tensor& weight) {
  const int64_t rows = weight.size(0), cols = weight.size(1);
  const float* src = ptr(weight);
  std::vector<float> out(rows * cols);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) out[c * rows + r] = src[r * cols + c];
  }
  return out;
}

// grad(W) [w, in] += dWT^T
void addTransposed(const std::vector<float>& dWT, const torch::Tensor& weight) {
  const int64_t rows = weight.size(0), cols = weight.size(1);
  float* g = gradPtr(weight);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) g[r * cols + c] += dWT[c * rows + r];
  }
}

}  // namespace

// ---------------------------------------------------------------------------

struct FusedWorkspace {
  // Per hidden layer: tanh values, stacked pre-activations (for G's first
  // layer: its z1), stacked activations; then G's input, the heads' outputs
  // and the gradient buffers.
  std::vector<std::vector<float>> uT, uZ, uA, gT, gZ, gA;
  std::vector<float> U, gin, gout, dU, dGout, dGin, dA[2], zeros;

  static float* fit(std::vector<float>& v, int64_t size) {
    if (static_cast<int64_t>(v.size()) < size) v.resize(size);
    return v.data();
  }
};

DeepHpmFusedStep::DeepHpmFusedStep() : work_(std::make_unique<FusedWorkspace>()) {}
DeepHpmFusedStep::~DeepHpmFusedStep() = default;

bool DeepHpmFusedStep::supports(const torch::Tensor& x,
                                const std::vector<PhysicsInput>& physicsInputs) {
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || x.dim() != 2) return false;
  for (auto p : physicsInputs) {
    if (p == PhysicsInput::Us) return false;
  }
  return true;
}

namespace {

// Forward through one network's hidden layers and head into U (stacked
// blocks). First-layer input: `in` and its t-derivative `in1`, or, when in1 is
// null, the broadcast row z1Row as the first layer's z1. Order 2: three
// stacked blocks, order 1: two.
template <int Order>
void networkForward(FusedWorkspace& W, std::vector<std::vector<float>>& T,
                    std::vector<std::vector<float>>& Z, std::vector<std::vector<float>>& A,
                    const FusedMlp& net, int64_t n, const float* in, const float* in1,
                    const float* z1Row, int64_t inWidth, const std::vector<float>& firstWT,
                    float* U, int64_t k, std::vector<LayerForward>* layers) {
  constexpr int64_t blocks = Order + 1;
  const int64_t L = static_cast<int64_t>(net.weights.size());
  T.resize(L);
  Z.resize(L);
  A.resize(L);
  layers->assign(L, LayerForward{});
  const float* prev = nullptr;
  int64_t prevWidth = inWidth;
  for (int64_t l = 0; l < L; ++l) {
    const auto& weight = net.weights[l];
    const int64_t w = weight.size(0);
    LayerForward& f = (*layers)[l];
    f.n = n;
    f.w = w;
    f.bias = ptr(net.biases[l]);
    f.mask = net.masks[l].defined() ? ptr(net.masks[l]) : nullptr;
    f.T = FusedWorkspace::fit(T[l], n * w);
    f.z2 = W.zeros.data();
    f.z2Stride = 0;
    if (l == 0) {
      f.in = in;
      f.inWidth = inWidth;
      f.WT = firstWT.data();
      if (in1) {
        f.in1 = in1;
        f.z1Out = FusedWorkspace::fit(Z[l], n * w);
        f.z1 = f.z1Out;
        f.z1Stride = w;
      } else {
        f.z1 = z1Row;
        f.z1Stride = 0;
      }
    } else {
      float* z = FusedWorkspace::fit(Z[l], blocks * n * w);
      gemm(false, true, blocks * n, w, prevWidth, prev, prevWidth, ptr(weight), prevWidth, 0.f,
           z, w);
      f.Z = z;
      f.z1 = z + n * w;
      f.z1Stride = w;
      if (Order >= 2) {
        f.z2 = z + 2 * n * w;
        f.z2Stride = w;
      }
    }
    if (l + 1 < L) {
      f.A = FusedWorkspace::fit(A[l], blocks * n * w);
    } else {
      f.Wo = ptr(net.headWeight);
      f.bo = ptr(net.headBias);
      f.k = k;
      f.U = U;
    }
    forwardLayer<Order>(f);
    prev = f.A;
    prevWidth = w;
  }
}

// Backward through one network from dU, the stacked gradient of its outputs.
// The first layer's weight gradient is accumulated from its input; dIn (when
// set) receives the gradient with respect to the stacked first-layer input,
// dZ1Sum (when set) the column sums of the first layer's dz1.
template <int Order>
void networkBackward(FusedWorkspace& W, const std::vector<std::vector<float>>& A,
                     const std::vector<LayerForward>& layers, const FusedMlp& net, int64_t n,
                     const float* dU, int64_t k, const std::vector<float>& firstWT, float* dIn,
                     const std::vector<int64_t>& dInColumns, float* dZ1Sum) {
  constexpr int64_t blocks = Order + 1;
  const int64_t L = static_cast<int64_t>(net.weights.size());
  float* dAct = nullptr;
  int which = 0;
  for (int64_t l = L - 1; l >= 0; --l) {
    const LayerForward& f = layers[l];
    const int64_t w = f.w;
    LayerBackward b;
    b.n = n;
    b.w = w;
    b.T = f.T;
    b.mask = f.mask;
    b.z1 = f.z1;
    b.z1Stride = f.z1Stride;
    b.z2 = f.z2;
    b.z2Stride = f.z2Stride;
    b.dBias = gradPtr(net.biases[l]);
    if (l == L - 1) {
      b.dU = dU;
      b.k = k;
      b.Wo = ptr(net.headWeight);
      b.dWo = gradPtr(net.headWeight);
      if (l > 0) b.dZ = FusedWorkspace::fit(W.dA[which], blocks * n * w);
    } else {
      b.dA = dAct;
    }
    std::vector<float> dWT;
    if (l == 0) {
      b.in = f.in;
      b.in1 = f.in1;
      b.inWidth = f.inWidth;
      b.WT = firstWT.data();
      dWT.assign(f.inWidth * w, 0.f);
      b.dWT = dWT.data();
      b.dIn = dIn;
      if (dIn) b.dInColumns = dInColumns;
      b.dZ1Sum = dZ1Sum;
    }
    backwardLayer<Order>(b);
    if (l == 0) {
      addTransposed(dWT, net.weights[0]);
      break;
    }
    // Stacked dZ -> this layer's weight gradient and the layer below's dA.
    const float* dZ = b.dZ ? b.dZ : b.dA;
    const auto& weight = net.weights[l];
    const int64_t inW = weight.size(1);
    gemm(true, false, w, inW, blocks * n, dZ, w, A[l - 1].data(), inW, 1.f, gradPtr(weight), inW);
    which ^= 1;
    float* next = FusedWorkspace::fit(W.dA[which], blocks * n * inW);
    gemm(false, false, blocks * n, inW, w, dZ, w, ptr(weight), inW, 0.f, next, inW);
    dAct = next;
  }
}

}  // namespace

FusedLosses DeepHpmFusedStep::run(const torch::Tensor& xIn, const torch::Tensor& yIn,
                                  const FusedMlp& u, const FusedMlp& g,
                                  const std::vector<PhysicsInput>& physicsInputs,
                                  const torch::Tensor& logSigma, double physicsWeight) {
  checkMlp(u, "u");
  checkMlp(g, "G");
  const auto x = xIn.contiguous();
  const auto y = yIn.contiguous();
  FusedWorkspace& W = *work_;
  const int64_t n = x.size(0), d = x.size(1), features = d - 1;
  const int64_t k = y.size(1);
  const int64_t p = g.weights[0].size(1);  // G's input width
  int64_t widest = 0;
  for (const auto* net : {&u, &g}) {
    for (const auto& weight : net->weights) widest = std::max(widest, weight.size(0));
  }
  W.zeros.assign(widest, 0.f);

  // ---- u network, jets of order 2: U rows [0, n) values, [n, 2n) d/dt,
  // [2n, 3n) d2/dt2. First layer: z1 = the weight column of t, z2 = 0.
  const std::vector<float> uWT = transposed(u.weights[0]);  // [d, w]
  const float* tRow = uWT.data() + features * u.weights[0].size(0);
  float* U = FusedWorkspace::fit(W.U, 3 * n * k);
  std::vector<LayerForward> uLayers, gLayers;
  networkForward<2>(W, W.uT, W.uZ, W.uA, u, n, ptr(x), nullptr, tRow, d, uWT, U, k, &uLayers);
  const float* uVal = U;
  const float* ut = U + n * k;
  const float* utt = U + 2 * n * k;

  // ---- G's input and its d/dt, stacked [2n, p].
  float* gin = FusedWorkspace::fit(W.gin, 2 * n * p);
  const std::vector<PhysicsColumn> columns = physicsColumns(physicsInputs, features, k);
  if (columns.empty() || columns.back().offset + columns.back().width != p) {
    throw std::logic_error("fused DeepHPM step: G's input width does not match");
  }
  {
    const float* xs = ptr(x);
    for (const auto& column : columns) {
      auto put = [&](auto value, auto slope) {
        for (int64_t i = 0; i < n; ++i) {
          for (int64_t c = 0; c < column.width; ++c) {
            gin[i * p + column.offset + c] = value(i, c);
            gin[(n + i) * p + column.offset + c] = slope(i, c);
          }
        }
      };
      switch (column.input) {
        case PhysicsInput::S:
          put([&](int64_t i, int64_t c) { return xs[i * d + c]; },
              [](int64_t, int64_t) { return 0.f; });
          break;
        case PhysicsInput::T:
          put([&](int64_t i, int64_t) { return xs[i * d + features]; },
              [](int64_t, int64_t) { return 1.f; });
          break;
        case PhysicsInput::U:
          put([&](int64_t i, int64_t c) { return uVal[i * k + c]; },
              [&](int64_t i, int64_t c) { return ut[i * k + c]; });
          break;
        case PhysicsInput::Ut:
          put([&](int64_t i, int64_t c) { return ut[i * k + c]; },
              [&](int64_t i, int64_t c) { return utt[i * k + c]; });
          break;
        case PhysicsInput::Us: throw std::logic_error("fused DeepHPM step: u_s is not covered");
      }
    }
  }

  // ---- G network, jets of order 1: rows [0, n) values, [n, 2n) d/dt.
  const std::vector<float> gWT = transposed(g.weights[0]);  // [p, w]
  float* gout = FusedWorkspace::fit(W.gout, 2 * n * k);
  networkForward<1>(W, W.gT, W.gZ, W.gA, g, n, gin, gin + n * p, nullptr, p, gWT, gout, k,
                    &gLayers);

  // ---- Residuals F = u_t - G, F_t = u_tt - G_t, the loss terms, and the
  // objective's gradient with respect to both networks' outputs.
  const float* yv = ptr(y);
  double sumData = 0, sumF = 0, sumFt = 0;
  float* dU = FusedWorkspace::fit(W.dU, 3 * n * k);
  float* dGout = FusedWorkspace::fit(W.dGout, 2 * n * k);
  for (int64_t e = 0; e < n * k; ++e) {
    const float r = uVal[e] - yv[e];
    const float f = ut[e] - gout[e];
    const float ft = utt[e] - gout[n * k + e];
    sumData += static_cast<double>(r) * r;
    sumF += static_cast<double>(f) * f;
    sumFt += static_cast<double>(ft) * ft;
    dU[e] = r;
    dU[n * k + e] = f;
    dU[2 * n * k + e] = ft;
  }
  const double count = static_cast<double>(n * k);
  FusedLosses out;
  out.data = sumData / count;
  out.f = sumF / count;
  out.ft = sumFt / count;
  double weightData = 1, weightF = physicsWeight, weightFt = physicsWeight;
  if (logSigma.defined()) {
    const float* ls = ptr(logSigma);
    weightData = std::exp(-static_cast<double>(ls[0]));
    weightF = std::exp(-static_cast<double>(ls[1]));
    weightFt = std::exp(-static_cast<double>(ls[2]));
    out.total = weightData * out.data + weightF * out.f + weightFt * out.ft + ls[0] + ls[1] + ls[2];
    float* gls = gradPtr(logSigma);
    gls[0] += static_cast<float>(1 - weightData * out.data);
    gls[1] += static_cast<float>(1 - weightF * out.f);
    gls[2] += static_cast<float>(1 - weightFt * out.ft);
  } else {
    out.total = out.data + weightF * out.f + weightFt * out.ft;
  }
  {
    const float cData = static_cast<float>(2 * weightData / count);
    const float cF = static_cast<float>(2 * weightF / count);
    const float cFt = static_cast<float>(2 * weightFt / count);
    for (int64_t e = 0; e < n * k; ++e) {
      dU[e] *= cData;
      dU[n * k + e] *= cF;
      dU[2 * n * k + e] *= cFt;
      dGout[e] = -dU[n * k + e];
      dGout[n * k + e] = -dU[2 * n * k + e];
    }
  }

  // ---- G backward; its head bias adds to the value rows only.
  {
    float* gHeadB = gradPtr(g.headBias);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t c = 0; c < k; ++c) gHeadB[c] += dGout[i * k + c];
    }
  }
  std::vector<int64_t> uColumns;  // G's input columns holding u or u_t
  for (const auto& column : columns) {
    if (column.input == PhysicsInput::U || column.input == PhysicsInput::Ut) {
      for (int64_t c = 0; c < column.width; ++c) uColumns.push_back(column.offset + c);
    }
  }
  float* dGin = FusedWorkspace::fit(W.dGin, 2 * n * p);
  networkBackward<1>(W, W.gA, gLayers, g, n, dGout, k, gWT, dGin, uColumns, nullptr);

  // ---- G's input gradient back into u, u_t, u_tt: u feeds G's value and u_t
  // its slope; u_t feeds the value and u_tt the slope.
  for (const auto& column : columns) {
    if (column.input != PhysicsInput::U && column.input != PhysicsInput::Ut) continue;
    float* toValue = column.input == PhysicsInput::U ? dU : dU + n * k;
    float* toSlope = column.input == PhysicsInput::U ? dU + n * k : dU + 2 * n * k;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t c = 0; c < k; ++c) {
        toValue[i * k + c] += dGin[i * p + column.offset + c];
        toSlope[i * k + c] += dGin[(n + i) * p + column.offset + c];
      }
    }
  }

  // ---- u backward. The first layer's z1 is the weight column of t for every
  // sample, so that column's gradient gains the column sums of dz1.
  {
    float* uHeadB = gradPtr(u.headBias);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t c = 0; c < k; ++c) uHeadB[c] += dU[i * k + c];
    }
  }
  const int64_t w0 = u.weights[0].size(0);
  std::vector<float> tColumnGrad(w0, 0.f);
  networkBackward<2>(W, W.uA, uLayers, u, n, dU, k, uWT, nullptr, {}, tColumnGrad.data());
  {
    float* g0 = gradPtr(u.weights[0]);
    for (int64_t j = 0; j < w0; ++j) g0[j * d + features] += tColumnGrad[j];
  }
  return out;
}

}  // namespace voltlab
