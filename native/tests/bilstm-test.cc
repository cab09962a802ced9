// The fused BiLSTM step (core/bilstm-fused.h, core/lstm-fused.h) against
// torch::nn::LSTM with autograd: the same loss and the same gradient for every
// parameter, and the same predictions without grad mode.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <string>

#include "core/bilstm.h"
#undef CHECK  // glog's, from the torch headers; the harness defines its own
#include "tests/test-harness.h"

namespace {

using voltlab::BiLstm;
using voltlab::BiLstmOptions;

BiLstm build(const BiLstmOptions& o, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return BiLstm(o, gen);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// Two identically seeded models; one takes the fused step, the other
// torch::nn::LSTM + mse_loss + backward() on the same batch.
void expectFusedMatchesAutograd(const BiLstmOptions& o, int64_t batch, int64_t window) {
  torch::manual_seed(21);
  const auto x = torch::randn({batch, window, o.inputs});
  const auto y = torch::randn({batch, o.outputs});
  auto fused = build(o, 5), reference = build(o, 5);
  const double value = fused->lossBackward(x, y);
  const auto loss = torch::mse_loss(reference->forwardTorch(x), y);
  const double rv = loss.item<double>();
  CHECK_MSG(std::abs(value - rv) <= 1e-5 * std::max(1.0, std::abs(rv)),
            "loss: fused " << value << " vs autograd " << rv);
  loss.backward();
  auto pb = reference->named_parameters();
  int checked = 0;
  for (const auto& item : fused->named_parameters()) {
    const auto& ga = item.value().grad();
    const auto& gb = pb[item.key()].grad();
    CHECK_MSG(ga.defined() && gb.defined(), item.key() << " has no gradient");
    const double scale = std::max(1e-3, gb.abs().max().item<double>());
    // The recurrent weights see no gradient where no step reads an earlier h:
    // the top layer's reverse direction (the head reads its first step) and a
    // window of one.
    const std::string top = "lstm.weight_hh_l" + std::to_string(o.layers - 1) + "_reverse";
    const bool structurallyZero =
        item.key() == top || (window == 1 && item.key().find("weight_hh") != std::string::npos);
    CHECK_MSG(structurallyZero == (gb.abs().max().item<double>() == 0),
              item.key() << " reference gradient " << gb.abs().max().item<double>());
    CHECK_MSG(maxAbsDiff(ga, gb) <= 1e-4 * scale,
              item.key() << " gradient differs by " << maxAbsDiff(ga, gb) << " (largest entry "
                         << gb.abs().max().item<double>() << ")");
    ++checked;
  }
  CHECK(checked == 8 * o.layers + 2);
}

}  // namespace

TEST(bilstm_fused_step_matches_autograd_two_layers) {
  expectFusedMatchesAutograd(BiLstmOptions{3, 1, 2, 16}, 37, 7);
}

TEST(bilstm_fused_step_matches_autograd_three_layers_two_outputs_odd_hidden) {
  expectFusedMatchesAutograd(BiLstmOptions{4, 2, 3, 13}, 64, 5);
}

TEST(bilstm_fused_step_matches_autograd_one_layer_window_one) {
  expectFusedMatchesAutograd(BiLstmOptions{2, 1, 1, 12}, 9, 1);
}

// The bench's shape (2 x 64, window 10, batch 256): long vector loops.
TEST(bilstm_fused_step_matches_autograd_bench_shape) {
  expectFusedMatchesAutograd(BiLstmOptions{4, 1, 2, 64}, 256, 10);
}

TEST(bilstm_fused_forward_matches_torch_lstm) {
  const BiLstmOptions o{5, 2, 2, 24};
  torch::manual_seed(8);
  const auto x = torch::randn({50, 6, o.inputs});
  auto model = build(o, 3);
  torch::NoGradGuard noGrad;
  const auto fused = model->forward(x);
  const auto reference = model->forwardTorch(x);
  CHECK(fused.sizes() == reference.sizes());
  CHECK_MSG(maxAbsDiff(fused, reference) <= 1e-5, "predictions differ by " << maxAbsDiff(fused, reference));
}

TEST(bilstm_fused_step_accumulates_like_backward) {
  const BiLstmOptions o{3, 1, 2, 8};
  torch::manual_seed(4);
  const auto x = torch::randn({16, 4, o.inputs}), y = torch::randn({16, 1});
  auto model = build(o, 3);
  model->lossBackward(x, y);
  std::vector<torch::Tensor> once;
  for (const auto& p : model->parameters()) once.push_back(p.grad().clone());
  model->lossBackward(x, y);
  size_t i = 0;
  for (const auto& p : model->parameters()) {
    const auto& first = once[i++];
    CHECK(maxAbsDiff(p.grad(), 2 * first) <= 1e-5 * std::max(1.0, first.abs().max().item<double>()));
  }
}
