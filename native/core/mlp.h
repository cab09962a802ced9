// Multilayer perceptron: blocks of Linear -> Tanh -> Dropout, then a Linear head.
// Used as the Baseline model and as both networks of DeepHPM.
#pragma once

#include <torch/torch.h>

#include <optional>

namespace voltlab {

struct MlpOptions {
  int64_t inputs = 1;
  int64_t outputs = 1;
  int64_t layers = 2;   // hidden blocks
  int64_t width = 128;  // units per hidden block
  double dropout = 0.2;
};

// Dropout masks from our own splitmix64 stream: about 10x faster than
// bernoulli_ on CPU (which dominated a Baseline epoch) and reproducible even
// when other training runs share the process.
class DropoutMasks {
 public:
  explicit DropoutMasks(uint64_t seed) : state_(seed) {}
  // x * mask, mask in {0, 1 / (1 - p)}; CUDA tensors use torch::dropout.
  torch::Tensor apply(const torch::Tensor& x, double p);
  // The mask itself, for applying one mask to a value and its derivatives.
  // CPU float32: the same stream as apply(); other devices: bernoulli.
  torch::Tensor mask(const torch::Tensor& like, double p);
  // The CPU float32 mask of the given shape (the same stream).
  torch::Tensor cpuMask(at::IntArrayRef sizes, double p);

 private:
  uint64_t state_;  // splitmix64 state: one 64-bit number per two mask elements
};

class MlpImpl : public torch::nn::Module {
 public:
  // `generator` drives the initialisation and seeds the dropout masks so that
  // a training run is reproducible even when other runs share the process.
  MlpImpl(const MlpOptions& options, c10::optional<at::Generator> generator);

  // With grad mode on (training), the tanh + dropout blocks run as one fused
  // autograd node (core/tanh-block.h), which autograd can differentiate once.
  torch::Tensor forward(torch::Tensor x);

  // The same function from standard tensor ops only, so that nested autograd
  // (grad with create_graph) can differentiate it more than once.
  torch::Tensor forwardComposite(torch::Tensor x);

  // Forward-mode derivatives along one input direction (a "jet"): given x, its
  // first derivative dx and second derivative d2x with respect to a scalar
  // (undefined tensors stand for zero; they may broadcast against x), returns
  // the output and its first and (when `order` is 2) second derivatives,
  // through the same layers and dropout masks as forward(). Ordinary autograd
  // then differentiates all three with respect to the weights in one backward
  // pass, which is far cheaper than nested autograd::grad with create_graph.
  struct Jet {
    torch::Tensor value, d1, d2;
  };
  Jet forwardJet(const Jet& x, int order);

  const MlpOptions& options() const { return options_; }
  const std::vector<torch::nn::Linear>& hidden() const { return hidden_; }
  const torch::nn::Linear& head() const { return head_; }

  // The next dropout mask for a hidden layer's output of `rows` samples
  // ([rows, width], CPU float32), drawn from the same stream as forward() and
  // forwardJet() on CPU;
  // undefined when dropout is off or the module is in eval mode.
  torch::Tensor nextDropoutMask(int64_t rows);

 private:
  // The next dropout mask shaped like `like`, or undefined when dropout is off.
  torch::Tensor dropoutMask(const torch::Tensor& like);

  MlpOptions options_;
  DropoutMasks masks_;
  std::vector<torch::nn::Linear> hidden_;  // registered as fc0, fc1, ...
  torch::nn::Linear head_{nullptr};        // registered as out
};
TORCH_MODULE(Mlp);

// Xavier-normal weights and PyTorch's default uniform(+-1/sqrt(fan_in)) biases,
// drawn from `generator` (or the global one when unset).
void initLinear(const torch::nn::Linear& linear, c10::optional<at::Generator> generator);

}  // namespace voltlab
