#include "core/deephpm.h"

#include <stdexcept>

namespace voltlab {
namespace {

// Number of loss terms weighted by the adaptive (uncertainty) scheme:
// data, F, F_t.
constexpr int64_t kAdaptiveTerms = 3;

bool wants(const DeepHpmOptions& o, PhysicsInput in) {
  for (auto p : o.physicsInputs) {
    if (p == in) return true;
  }
  return false;
}

}  // namespace

int64_t DeepHpmImpl::physicsInputWidth(const DeepHpmOptions& o) {
  const auto columns = physicsColumns(o.physicsInputs, o.inputs - 1, o.outputs);
  return columns.empty() ? 0 : columns.back().offset + columns.back().width;
}

DeepHpmImpl::DeepHpmImpl(const DeepHpmOptions& options, c10::optional<at::Generator> generator)
    : options_(options) {
  MlpOptions uOptions{options_.inputs, options_.outputs, options_.layers, options_.width,
                      options_.dropout};
  u_ = register_module("u", Mlp(uOptions, generator));
  MlpOptions gOptions{physicsInputWidth(options_), options_.outputs, options_.physicsLayers,
                      options_.physicsWidth, options_.dropout};
  g_ = register_module("g", Mlp(gOptions, generator));
  if (options_.loss == PhysicsLoss::Adaptive) {
    logSigma_ = register_parameter("log_sigma", torch::zeros({kAdaptiveTerms}));
  }
}

torch::Tensor DeepHpmImpl::forward(torch::Tensor x) { return u_->forward(x); }

DeepHpmLosses DeepHpmImpl::losses(const torch::Tensor& x, const torch::Tensor& y) {
  return wants(options_, PhysicsInput::Us) ? lossesByAutograd(x, y) : lossesByJets(x, y);
}

namespace {

FusedMlp fusedView(MlpImpl& net, int64_t rows) {
  FusedMlp view;
  for (const auto& layer : net.hidden()) {
    view.weights.push_back(layer->weight);
    view.biases.push_back(layer->bias);
    view.masks.push_back(net.nextDropoutMask(rows));
  }
  view.headWeight = net.head()->weight;
  view.headBias = net.head()->bias;
  return view;
}

}  // namespace

double DeepHpmImpl::lossBackward(const torch::Tensor& x, const torch::Tensor& y) {
  if (!DeepHpmFusedStep::supports(x, options_.physicsInputs)) {
    auto total = losses(x, y).total;
    const double value = total.item<double>();
    total.backward();
    return value;
  }
  // Masks in the order forwardJet draws them: u's layers, then G's.
  const FusedMlp u = fusedView(*u_, x.size(0));
  const FusedMlp g = fusedView(*g_, x.size(0));
  return fused_.run(x, y, u, g, options_.physicsInputs, logSigma_, options_.physicsWeight).total;
}

DeepHpmLosses DeepHpmImpl::lossesByJets(const torch::Tensor& x, const torch::Tensor& y) {
  const int64_t features = options_.inputs - 1;
  const int64_t n = x.size(0);
  // d/dt of the input row: the one-hot direction of the last column.
  auto dx = torch::zeros({1, options_.inputs}, x.options());
  dx.index_put_({0, features}, 1.0);
  const auto uJet = u_->forwardJet({x, dx, torch::Tensor()}, 2);
  const auto& u = uJet.value;   // [n, k]
  const auto& ut = uJet.d1;     // du/dt
  const auto& utt = uJet.d2;    // d2u/dt2

  std::vector<torch::Tensor> gIn, gDt;  // G's inputs and their d/dt
  for (auto p : options_.physicsInputs) {
    switch (p) {
      case PhysicsInput::S:
        gIn.push_back(x.narrow(1, 0, features));
        gDt.push_back(torch::zeros({n, features}, x.options()));
        break;
      case PhysicsInput::T:
        gIn.push_back(x.narrow(1, features, 1));
        gDt.push_back(torch::ones({n, 1}, x.options()));
        break;
      case PhysicsInput::U: gIn.push_back(u); gDt.push_back(ut); break;
      case PhysicsInput::Ut: gIn.push_back(ut); gDt.push_back(utt); break;
      case PhysicsInput::Us: throw std::logic_error("u_s needs the autograd path");
    }
  }
  const auto gJet = g_->forwardJet({torch::cat(gIn, 1), torch::cat(gDt, 1), torch::Tensor()}, 1);
  return combine(u, y, ut - gJet.value, utt - gJet.d1);
}

DeepHpmLosses DeepHpmImpl::combine(const torch::Tensor& u, const torch::Tensor& y,
                                   const torch::Tensor& f, const torch::Tensor& ft) {
  DeepHpmLosses out;
  out.data = torch::mse_loss(u, y);
  out.f = f.pow(2).mean();
  out.ft = ft.pow(2).mean();
  if (options_.loss == PhysicsLoss::Sum) {
    out.total = out.data + options_.physicsWeight * (out.f + out.ft);
  } else {
    auto terms = torch::stack({out.data, out.f, out.ft});
    out.total = (torch::exp(-logSigma_) * terms + logSigma_).sum();
  }
  return out;
}

DeepHpmLosses DeepHpmImpl::lossesByAutograd(const torch::Tensor& x, const torch::Tensor& y) {
  const int64_t features = options_.inputs - 1;
  const int64_t k = options_.outputs;
  const bool needUs = wants(options_, PhysicsInput::Us);

  auto s = x.narrow(1, 0, features).detach().requires_grad_(needUs);
  auto t = x.narrow(1, features, 1).detach().requires_grad_(true);
  auto u = u_->forwardComposite(torch::cat({s, t}, 1));  // [n, k]

  // Per-output derivatives: grad of a column sum gives that column's
  // per-sample derivative because samples do not interact.
  std::vector<torch::Tensor> uT, uS;
  for (int64_t j = 0; j < k; ++j) {
    std::vector<torch::Tensor> inputs = {t};
    if (needUs) inputs.push_back(s);
    auto grads = torch::autograd::grad({u.select(1, j).sum()}, inputs, {},
                                       /*retain_graph=*/true, /*create_graph=*/true);
    uT.push_back(grads[0]);
    if (needUs) uS.push_back(grads[1]);
  }
  auto ut = torch::cat(uT, 1);  // [n, k]

  std::vector<torch::Tensor> gIn;
  for (auto p : options_.physicsInputs) {
    switch (p) {
      case PhysicsInput::S: gIn.push_back(s); break;
      case PhysicsInput::T: gIn.push_back(t); break;
      case PhysicsInput::U: gIn.push_back(u); break;
      case PhysicsInput::Us: gIn.push_back(torch::cat(uS, 1)); break;
      case PhysicsInput::Ut: gIn.push_back(ut); break;
    }
  }
  auto f = ut - g_->forwardComposite(torch::cat(gIn, 1));  // [n, k]

  std::vector<torch::Tensor> fT;
  for (int64_t j = 0; j < k; ++j) {
    fT.push_back(torch::autograd::grad({f.select(1, j).sum()}, {t}, {},
                                       /*retain_graph=*/true, /*create_graph=*/true)[0]);
  }
  return combine(u, y, f, torch::cat(fT, 1));
}

}  // namespace voltlab
