// The fused Adam against torch::optim::Adam: the same parameters, bit for bit,
// after many steps, for tensor sizes that take LibTorch's vector path, its
// scalar path and both.
#include <torch/torch.h>

#include <cstring>
#include <vector>

#include "core/adam.h"
#undef CHECK  // glog's, from the torch headers; the harness defines its own
#include "tests/test-harness.h"

namespace {

std::vector<torch::Tensor> makeParams(const std::vector<int64_t>& sizes) {
  torch::manual_seed(21);
  std::vector<torch::Tensor> out;
  for (auto n : sizes) out.push_back(torch::randn({n}).requires_grad_(true));
  return out;
}

void setGrads(std::vector<torch::Tensor>& params, int step) {
  torch::manual_seed(100 + step);
  for (auto& p : params) p.mutable_grad() = torch::randn(p.sizes()) * (step % 3 + 0.5);
}

}  // namespace

TEST(fused_adam_matches_torch_adam_bit_for_bit) {
  const std::vector<int64_t> sizes = {1, 3, 7, 16, 128, 129, 640, 16384};
  auto mine = makeParams(sizes), theirs = makeParams(sizes);
  voltlab::FusedAdam fused(mine, 1e-3);
  torch::optim::Adam reference(theirs, torch::optim::AdamOptions(1e-3));
  for (int step = 0; step < 50; ++step) {
    fused.zeroGrad();
    reference.zero_grad();
    setGrads(mine, step);
    setGrads(theirs, step);
    fused.step();
    reference.step();
  }
  for (size_t t = 0; t < sizes.size(); ++t) {
    const auto& a = mine[t];
    const auto& b = theirs[t];
    CHECK_MSG(!torch::equal(a, makeParams(sizes)[t]), "size " << sizes[t] << " did not move");
    int64_t differing = 0;
    for (int64_t i = 0; i < a.numel(); ++i) {
      const float x = a.data_ptr<float>()[i], y = b.data_ptr<float>()[i];
      if (std::memcmp(&x, &y, sizeof(float)) != 0) ++differing;
    }
    CHECK_MSG(differing == 0, "size " << sizes[t] << ": " << differing
                                        << " elements differ from torch::optim::Adam (max "
                                        << (a - b).abs().max().item<double>() << ")");
  }
}
