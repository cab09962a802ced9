#include "core/bilstm-fused.h"

#include <cstring>
#include <stdexcept>

#include "core/gemm.h"
#include "core/lstm-fused.h"

namespace voltlab {

struct BiLstmFusedWorkspace {
  int64_t batch = 0, steps = 0, inputs = 0, hidden = 0, layers = 0;
  std::vector<float> x;                  // time-major input [T, B, inputs]
  std::vector<std::vector<float>> y;     // per layer [T, B, 2H]: both directions' h
  std::vector<std::vector<float>> dy;    // their gradients
  std::vector<lstm::Tape> tapes;         // per layer and direction
};

namespace {

float* ptr(const torch::Tensor& t) { return t.data_ptr<float>(); }

float* gradPtr(const torch::Tensor& p) {
  if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  return p.grad().data_ptr<float>();
}

lstm::Params params(const std::vector<torch::Tensor>& lstm, int64_t layer, int dir,
                    bool withGrad) {
  const size_t at = static_cast<size_t>(4 * (2 * layer + dir));
  lstm::Params p;
  p.wih = ptr(lstm[at]);
  p.whh = ptr(lstm[at + 1]);
  p.bih = ptr(lstm[at + 2]);
  p.bhh = ptr(lstm[at + 3]);
  if (withGrad) {
    p.gWih = gradPtr(lstm[at]);
    p.gWhh = gradPtr(lstm[at + 1]);
    p.gBih = gradPtr(lstm[at + 2]);
    p.gBhh = gradPtr(lstm[at + 3]);
  }
  return p;
}

lstm::Shape shape(const BiLstmFusedWorkspace& w, int64_t layer, int dir) {
  lstm::Shape s;
  s.steps = w.steps;
  s.batch = w.batch;
  s.inputs = layer == 0 ? w.inputs : 2 * w.hidden;
  s.hidden = w.hidden;
  s.reverse = dir == 1;
  // The head reads the last position only: there the top layer's reverse
  // direction has taken its first step.
  s.count = (s.reverse && layer + 1 == w.layers) ? 1 : w.steps;
  return s;
}

}  // namespace

BiLstmFusedStep::BiLstmFusedStep() : work_(std::make_unique<BiLstmFusedWorkspace>()) {}
BiLstmFusedStep::~BiLstmFusedStep() = default;

bool BiLstmFusedStep::supports(const torch::Tensor& x, const std::vector<torch::Tensor>& params) {
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || x.dim() != 3) return false;
  for (const auto& p : params) {
    if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32 || !p.is_contiguous()) {
      return false;
    }
  }
  return true;
}

void BiLstmFusedStep::run(const torch::Tensor& xIn, const std::vector<torch::Tensor>& lstm,
                          const torch::Tensor& headWeight, const torch::Tensor& headBias,
                          float* out) {
  if (lstm.empty() || lstm.size() % 8 != 0) {
    throw std::logic_error("fused BiLSTM step: expected 8 tensors per layer");
  }
  BiLstmFusedWorkspace& w = *work_;
  const auto x = xIn.contiguous();
  w.batch = x.size(0);
  w.steps = x.size(1);
  w.inputs = x.size(2);
  w.hidden = lstm[1].size(1);
  w.layers = static_cast<int64_t>(lstm.size() / 8);
  const int64_t B = w.batch, T = w.steps, I = w.inputs, H = w.hidden, L = w.layers;
  const int64_t k = headWeight.size(0);
  // Batch-first -> time-major.
  w.x.resize(T * B * I);
  const float* xs = ptr(x);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t t = 0; t < T; ++t) {
      std::memcpy(w.x.data() + (t * B + b) * I, xs + (b * T + t) * I, I * sizeof(float));
    }
  }
  w.y.resize(L);
  w.tapes.resize(2 * L);
  for (int64_t l = 0; l < L; ++l) {
    if (static_cast<int64_t>(w.y[l].size()) < T * B * 2 * H) w.y[l].resize(T * B * 2 * H);
    const float* in = l == 0 ? w.x.data() : w.y[l - 1].data();
    const int64_t ldIn = l == 0 ? I : 2 * H;
    for (int dir = 0; dir < 2; ++dir) {
      lstm::forward(params(lstm, l, dir, false), shape(w, l, dir), in, ldIn,
                    w.y[l].data() + dir * H, 2 * H, nullptr, nullptr, &w.tapes[2 * l + dir]);
    }
  }
  const float* last = w.y[L - 1].data() + (T - 1) * B * 2 * H;
  const float* bias = ptr(headBias);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t c = 0; c < k; ++c) out[b * k + c] = bias[c];
  }
  gemm(false, true, B, k, 2 * H, last, 2 * H, ptr(headWeight), 2 * H, 1.f, out, k);
}

torch::Tensor BiLstmFusedStep::forward(const torch::Tensor& x,
                                       const std::vector<torch::Tensor>& lstm,
                                       const torch::Tensor& headWeight,
                                       const torch::Tensor& headBias) {
  auto out = torch::empty({x.size(0), headWeight.size(0)}, torch::kFloat32);
  run(x, lstm, headWeight, headBias, ptr(out));
  return out;
}

double BiLstmFusedStep::lossBackward(const torch::Tensor& x, const torch::Tensor& yIn,
                                     const std::vector<torch::Tensor>& lstm,
                                     const torch::Tensor& headWeight,
                                     const torch::Tensor& headBias) {
  BiLstmFusedWorkspace& w = *work_;
  const auto y = yIn.contiguous();
  const int64_t B = x.size(0), k = headWeight.size(0);
  std::vector<float> out(B * k);
  run(x, lstm, headWeight, headBias, out.data());
  const int64_t T = w.steps, H = w.hidden, L = w.layers;

  // MSE and its gradient with respect to the head's output.
  const float* ys = ptr(y);
  double sum = 0;
  const float scale = static_cast<float>(2.0 / static_cast<double>(B * k));
  std::vector<float> dOut(B * k);
  for (int64_t e = 0; e < B * k; ++e) {
    const float r = out[e] - ys[e];
    sum += static_cast<double>(r) * r;
    dOut[e] = scale * r;
  }
  const double loss = sum / static_cast<double>(B * k);

  // Head.
  const float* last = w.y[L - 1].data() + (T - 1) * B * 2 * H;
  gemm(true, false, k, 2 * H, B, dOut.data(), k, last, 2 * H, 1.f, gradPtr(headWeight), 2 * H);
  float* gBias = gradPtr(headBias);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t c = 0; c < k; ++c) gBias[c] += dOut[b * k + c];
  }
  // The head reads the top layer at the last position only, which is each
  // top direction's final state: its gradient enters as dhLast.
  std::vector<float> dLast(B * 2 * H), dhTop[2] = {std::vector<float>(B * H),
                                                    std::vector<float>(B * H)};
  gemm(false, false, B, 2 * H, k, dOut.data(), k, ptr(headWeight), 2 * H, 0.f, dLast.data(),
       2 * H);
  for (int64_t b = 0; b < B; ++b) {
    for (int dir = 0; dir < 2; ++dir) {
      std::memcpy(dhTop[dir].data() + b * H, dLast.data() + b * 2 * H + dir * H,
                  H * sizeof(float));
    }
  }
  w.dy.resize(L);
  // Layers, top down; a layer's input gradient is the output gradient of the
  // one below, written by the forward direction (which covers every position)
  // and added to by the reverse one.
  for (int64_t l = L - 1; l >= 0; --l) {
    const bool top = l == L - 1;
    const float* in = l == 0 ? w.x.data() : w.y[l - 1].data();
    const int64_t ldIn = l == 0 ? w.inputs : 2 * H;
    float* dIn = nullptr;
    if (l > 0) {
      if (static_cast<int64_t>(w.dy[l - 1].size()) < T * B * 2 * H) w.dy[l - 1].resize(T * B * 2 * H);
      dIn = w.dy[l - 1].data();
    }
    for (int dir = 0; dir < 2; ++dir) {
      const float* dOutRows = top ? nullptr : w.dy[l].data() + dir * H;
      lstm::backward(params(lstm, l, dir, true), shape(w, l, dir), in, ldIn,
                     w.y[l].data() + dir * H, 2 * H, dOutRows, 2 * H, nullptr, nullptr,
                     top ? dhTop[dir].data() : nullptr, nullptr, dIn, /*overwriteDIn=*/dir == 0,
                     nullptr, nullptr, &w.tapes[2 * l + dir]);
    }
  }
  return loss;
}

}  // namespace voltlab
