// The fused MLP paths against standard ops: DeepHPM's forward-mode derivative
// path (MLP jets with fused tanh blocks) against nested autograd, and the
// Baseline MLP's fused block against plain tensor ops. Same losses and weight
// gradients, with dropout on.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "core/deephpm.h"
#include "core/tanh-block.h"
#undef CHECK  // glog's, from the torch headers; the harness defines its own
#include "tests/test-harness.h"

namespace {

using voltlab::DeepHpm;
using voltlab::DeepHpmLosses;
using voltlab::DeepHpmOptions;
using voltlab::PhysicsInput;
using voltlab::PhysicsLoss;

DeepHpm build(const DeepHpmOptions& o, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return DeepHpm(o, gen);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

// Every parameter of `model` has the gradient `reference` has (within 1e-4 of
// the larger of 1 and the reference's largest entry).
void expectSameGradients(torch::nn::Module& model, torch::nn::Module& reference,
                         bool requireNonZero) {
  const auto pa = model.named_parameters(), pb = reference.named_parameters();
  CHECK(pa.size() == pb.size());
  for (const auto& item : pa) {
    const auto& ga = item.value().grad();
    const auto& gb = pb[item.key()].grad();
    CHECK_MSG(ga.defined() && gb.defined(), item.key() << " has no gradient");
    const double scale = std::max(1.0, gb.abs().max().item<double>());
    CHECK_MSG(maxAbsDiff(ga, gb) <= 1e-4 * scale,
              item.key() << " gradient differs by " << maxAbsDiff(ga, gb));
    if (requireNonZero) {
      CHECK_MSG(gb.abs().max().item<double>() > 0, item.key() << " gradient is zero");
    }
  }
}

// Two identically seeded models draw identical weights and dropout masks, so
// one can take each path on the same batch.
void expectSamePaths(DeepHpmOptions o, bool training) {
  o.inputs = 4;
  torch::manual_seed(7);
  const auto x = torch::randn({300, o.inputs});
  const auto y = torch::randn({300, o.outputs});
  auto jets = build(o, 11), reference = build(o, 11);
  jets->train(training);
  reference->train(training);

  const DeepHpmLosses a = jets->losses(x, y);
  const DeepHpmLosses b = reference->lossesByAutograd(x, y);
  for (auto [name, l, r] : {std::tuple{"data", a.data, b.data}, {"f", a.f, b.f},
                            {"ft", a.ft, b.ft}, {"total", a.total, b.total}}) {
    const double lv = l.item<double>(), rv = r.item<double>();
    CHECK_MSG(std::abs(lv - rv) <= 1e-5 * std::max(1.0, std::abs(rv)),
              name << " loss: jets " << lv << " vs autograd " << rv);
  }
  CHECK_MSG(a.f.item<double>() > 1e-6 && a.ft.item<double>() > 1e-8,
            "physics terms should be non-trivial: " << a.f.item<double>() << ", "
                                                    << a.ft.item<double>());
  a.total.backward();
  b.total.backward();
  expectSameGradients(*jets, *reference, /*requireNonZero=*/false);
}

}  // namespace

TEST(deephpm_jets_match_autograd_sum_training) {
  DeepHpmOptions o;
  o.width = o.physicsWidth = 32;
  expectSamePaths(o, /*training=*/true);
}

TEST(deephpm_jets_match_autograd_adaptive_two_outputs_ut) {
  DeepHpmOptions o;
  o.outputs = 2;
  o.layers = 3;
  o.width = o.physicsWidth = 24;
  o.loss = PhysicsLoss::Adaptive;
  o.physicsInputs = {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U, PhysicsInput::Ut};
  expectSamePaths(o, /*training=*/true);
}

TEST(deephpm_jets_match_autograd_eval_t_only) {
  DeepHpmOptions o;
  o.width = o.physicsWidth = 16;
  o.physicsInputs = {PhysicsInput::T};
  expectSamePaths(o, /*training=*/false);
}

// The fused training step (no autograd) against nested autograd: same
// objective and the same gradient for every parameter, masks included.
void expectFusedMatchesAutograd(DeepHpmOptions o, bool training, int64_t rows = 300) {
  o.inputs = 4;
  torch::manual_seed(9);
  const auto x = torch::randn({rows, o.inputs});
  const auto y = torch::randn({rows, o.outputs});
  auto fused = build(o, 13), reference = build(o, 13);
  fused->train(training);
  reference->train(training);
  const double value = fused->lossBackward(x, y);
  const DeepHpmLosses b = reference->lossesByAutograd(x, y);
  const double rv = b.total.item<double>();
  CHECK_MSG(std::abs(value - rv) <= 1e-5 * std::max(1.0, std::abs(rv)),
            "objective: fused " << value << " vs autograd " << rv);
  CHECK_MSG(b.f.item<double>() > 1e-6 && b.ft.item<double>() > 1e-8,
            "physics terms should be non-trivial");
  b.total.backward();
  expectSameGradients(*fused, *reference, /*requireNonZero=*/true);
}

TEST(deephpm_fused_step_matches_autograd_sum_training) {
  DeepHpmOptions o;
  o.width = o.physicsWidth = 32;
  expectFusedMatchesAutograd(o, /*training=*/true);
}

// The sum loss weighs its physics terms by physicsWeight on every path: the
// autograd objective is data + w (F + F_t), and the fused step's objective and
// gradients follow it (a fused step that ignored w would differ from both).
TEST(deephpm_physics_weight_scales_the_physics_terms_on_every_path) {
  DeepHpmOptions o;
  o.width = o.physicsWidth = 24;
  o.physicsInputs = {PhysicsInput::S, PhysicsInput::T, PhysicsInput::U, PhysicsInput::Ut};
  o.physicsWeight = 0.25;
  o.inputs = 4;
  torch::manual_seed(5);
  const auto x = torch::randn({200, o.inputs});
  const auto y = torch::randn({200, o.outputs});
  auto reference = build(o, 17);
  const DeepHpmLosses b = reference->lossesByAutograd(x, y);
  const double expected = b.data.item<double>() + 0.25 * (b.f.item<double>() + b.ft.item<double>());
  CHECK_MSG(std::abs(b.total.item<double>() - expected) <= 1e-6 * std::max(1.0, expected),
            "weighted objective " << b.total.item<double>() << " vs " << expected);
  expectFusedMatchesAutograd(o, /*training=*/true);
}

TEST(deephpm_fused_step_matches_autograd_adaptive_two_outputs_ut_three_layers) {
  DeepHpmOptions o;
  o.outputs = 2;
  o.layers = 3;
  o.physicsLayers = 1;
  o.width = 24;
  o.physicsWidth = 20;
  o.loss = PhysicsLoss::Adaptive;
  o.physicsInputs = {PhysicsInput::Ut, PhysicsInput::S, PhysicsInput::U, PhysicsInput::T};
  expectFusedMatchesAutograd(o, /*training=*/true, 257);
}

TEST(deephpm_fused_step_matches_autograd_one_layer_eval_t_only) {
  DeepHpmOptions o;
  o.layers = 1;
  o.physicsLayers = 3;
  o.width = o.physicsWidth = 16;
  o.physicsInputs = {PhysicsInput::T};
  expectFusedMatchesAutograd(o, /*training=*/false, 5);
}

// G's input row: each input's columns in the order listed, u_s one column per
// (output, feature); the row's width is what DeepHPM sizes G's first layer by.
TEST(physics_columns_lay_out_g_input_in_listed_order) {
  const auto columns = voltlab::physicsColumns(
      {PhysicsInput::Us, PhysicsInput::T, PhysicsInput::U, PhysicsInput::S, PhysicsInput::Ut},
      /*features=*/3, /*outputs=*/2);
  const std::vector<std::pair<int64_t, int64_t>> expected = {{0, 6}, {6, 1}, {7, 2}, {9, 3}, {12, 2}};
  CHECK(columns.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK_MSG(columns[i].offset == expected[i].first && columns[i].width == expected[i].second,
              "column " << i << ": offset " << columns[i].offset << ", width " << columns[i].width);
  }
  DeepHpmOptions o;
  o.inputs = 4;
  o.outputs = 2;
  o.physicsInputs = {PhysicsInput::Us, PhysicsInput::T, PhysicsInput::U, PhysicsInput::S,
                     PhysicsInput::Ut};
  CHECK(voltlab::DeepHpmImpl::physicsInputWidth(o) == 14);
}

TEST(deephpm_fused_step_accumulates_like_backward) {
  // Two steps without zeroing: gradients add up, as with backward().
  DeepHpmOptions o;
  o.inputs = 4;
  o.width = o.physicsWidth = 16;
  o.dropout = 0;
  torch::manual_seed(4);
  const auto x = torch::randn({64, o.inputs}), y = torch::randn({64, o.outputs});
  auto model = build(o, 3);
  model->lossBackward(x, y);
  std::vector<torch::Tensor> once;
  for (const auto& p : model->parameters()) once.push_back(p.grad().clone());
  model->lossBackward(x, y);
  size_t i = 0;
  for (const auto& p : model->parameters()) {
    const auto& first = once[i++];
    const double scale = std::max(1.0, first.abs().max().item<double>());
    CHECK(maxAbsDiff(p.grad(), 2 * first) <= 1e-5 * scale);
  }
}

// The Baseline MLP's fused tanh + dropout node against the same network from
// standard ops: same output and weight gradients with dropout on.
TEST(mlp_fused_block_matches_composite) {
  torch::manual_seed(3);
  const auto x = torch::randn({257, 5});
  const auto y = torch::randn({257, 2});
  auto gen1 = at::make_generator<at::CPUGeneratorImpl>(5);
  auto gen2 = at::make_generator<at::CPUGeneratorImpl>(5);
  voltlab::Mlp fused(voltlab::MlpOptions{5, 2, 3, 48, 0.2}, gen1);
  voltlab::Mlp plain(voltlab::MlpOptions{5, 2, 3, 48, 0.2}, gen2);
  const auto a = torch::mse_loss(fused->forward(x), y);
  const auto b = torch::mse_loss(plain->forwardComposite(x), y);
  CHECK_MSG(std::abs(a.item<double>() - b.item<double>()) < 1e-6,
            "loss " << a.item<double>() << " vs " << b.item<double>());
  a.backward();
  b.backward();
  auto pb = plain->named_parameters();
  for (const auto& item : fused->named_parameters()) {
    const double diff = maxAbsDiff(item.value().grad(), pb[item.key()].grad());
    CHECK_MSG(diff < 1e-5, item.key() << " gradient differs by " << diff);
  }
}

// Tensors the fused node does not take (here float64, on a GPU float32 CUDA)
// run the same formulas as standard ops: both paths agree.
TEST(tanh_block_composite_path_matches_fused) {
  torch::manual_seed(4);
  const auto z = torch::randn({64, 8}), z1 = torch::randn({1, 8}), z2 = torch::randn({64, 8});
  const auto mask = (torch::rand({64, 8}) > 0.2).to(torch::kFloat32) / 0.8;
  CHECK(voltlab::tanhBlockSupports(z) && !voltlab::tanhBlockSupports(z.to(torch::kFloat64)));
  for (int order = 0; order <= 2; ++order) {
    const auto fused = voltlab::tanhBlock(z, z1, z2, mask, order);
    const auto plain = voltlab::tanhBlock(z.to(torch::kFloat64), z1.to(torch::kFloat64),
                                          z2.to(torch::kFloat64), mask.to(torch::kFloat64), order);
    CHECK(maxAbsDiff(fused.a, plain.a.to(torch::kFloat32)) < 1e-6);
    CHECK(fused.a1.defined() == (order >= 1) && plain.a1.defined() == (order >= 1));
    CHECK(fused.a2.defined() == (order >= 2) && plain.a2.defined() == (order >= 2));
    if (order >= 1) CHECK(maxAbsDiff(fused.a1, plain.a1.to(torch::kFloat32)) < 1e-5);
    if (order >= 2) CHECK(maxAbsDiff(fused.a2, plain.a2.to(torch::kFloat32)) < 1e-5);
  }
}

// Dropout masks: the vectorised fill reproduces the sequential splitmix64
// stream element by element (low half, then high half of each number), for
// sizes that end inside a vector block and at an odd element, and the stream
// continues where the previous mask stopped.
TEST(dropout_masks_follow_the_sequential_stream) {
  uint64_t state = 12345;
  auto next = [&state]() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  voltlab::DropoutMasks masks(12345);
  const double p = 0.3;
  const uint64_t keepBelow = static_cast<uint64_t>((1.0 - p) * 4294967296.0);
  const float scale = static_cast<float>(1.0 / (1.0 - p));
  int64_t kept = 0, total = 0;
  for (int64_t n : {1, 7, 8, 15, 16, 17, 1000, 1024 * 128 + 3}) {
    const auto mask = masks.mask(torch::empty({n}), p);
    const float* m = mask.data_ptr<float>();
    for (int64_t i = 0; i < n; i += 2) {
      const uint64_t r = next();
      const float lo = scale * static_cast<float>((r & 0xFFFFFFFFULL) < keepBelow);
      CHECK_MSG(m[i] == lo, "n=" << n << " element " << i << ": " << m[i] << " vs " << lo);
      if (i + 1 < n) {
        const float hi = scale * static_cast<float>((r >> 32) < keepBelow);
        CHECK_MSG(m[i + 1] == hi, "n=" << n << " element " << i + 1 << ": " << m[i + 1] << " vs " << hi);
      }
    }
    kept += (mask > 0).sum().item<int64_t>();
    total += n;
  }
  const double keptShare = static_cast<double>(kept) / static_cast<double>(total);
  CHECK_MSG(std::abs(keptShare - 0.7) < 0.01, "kept share " << keptShare);
}
