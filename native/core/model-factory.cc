#include "core/model-factory.h"

#include "core/bilstm.h"
#include "core/deephpm.h"
#include "core/mlp.h"

#include <type_traits>
#include <utility>

namespace voltlab {
namespace {

// Whether a network holder offers its own lossBackward(x, y).
template <class N, class = void>
struct HasLossBackward : std::false_type {};
template <class N>
struct HasLossBackward<N, std::void_t<decltype(std::declval<N&>()->lossBackward(
                              std::declval<torch::Tensor>(), std::declval<torch::Tensor>()))>>
    : std::true_type {};

// A network trained on the data MSE alone; every parameter serves inference.
template <class Net>
class MseModel : public BatteryModel {
 public:
  template <class Options>
  MseModel(const Options& options, c10::optional<at::Generator> gen) : net_(options, gen) {}
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& x) override { return net_->forward(x); }
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) override {
    return torch::mse_loss(net_->forward(x), y);
  }
  double lossBackward(const torch::Tensor& x, const torch::Tensor& y) override {
    // A network with its own training step (the fused BiLSTM) uses it.
    if constexpr (HasLossBackward<Net>::value) return net_->lossBackward(x, y);
    return BatteryModel::lossBackward(x, y);
  }
  bool usedForInference(const std::string&) const override { return true; }

 private:
  Net net_;
};

class DeepHpmModel : public BatteryModel {
 public:
  DeepHpmModel(const ModelSpec& s, c10::optional<at::Generator> gen) : net_(options(s), gen) {}
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& x) override { return net_->forward(x); }
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) override {
    return net_->losses(x, y).total;
  }
  double lossBackward(const torch::Tensor& x, const torch::Tensor& y) override {
    return net_->lossBackward(x, y);
  }
  bool usedForInference(const std::string& name) const override {
    return name.rfind("u.", 0) == 0;
  }

 private:
  static DeepHpmOptions options(const ModelSpec& s) {
    DeepHpmOptions o;
    o.inputs = s.inputDim;
    o.outputs = s.outputs;
    o.layers = s.hiddenLayers;
    o.width = s.hiddenWidth;
    o.physicsLayers = s.physicsLayers;
    o.physicsWidth = s.physicsWidth;
    o.dropout = s.dropout;
    o.physicsInputs = s.physicsInputs;
    o.loss = s.physicsLoss;
    o.physicsWeight = s.physicsWeight;
    return o;
  }
  DeepHpm net_;
};

}  // namespace

std::unique_ptr<BatteryModel> makeModel(const ModelSpec& spec,
                                        c10::optional<at::Generator> generator) {
  validate(spec);
  switch (spec.kind) {
    case ModelKind::Baseline:
      return std::make_unique<MseModel<Mlp>>(
          MlpOptions{spec.inputDim, spec.outputs, spec.hiddenLayers, spec.hiddenWidth, spec.dropout},
          generator);
    case ModelKind::BiLstm:
      return std::make_unique<MseModel<BiLstm>>(
          BiLstmOptions{spec.inputDim, spec.outputs, spec.lstmLayers, spec.lstmHidden}, generator);
    case ModelKind::DeepHpm: return std::make_unique<DeepHpmModel>(spec, generator);
  }
  throw std::logic_error("unknown model kind");
}

}  // namespace voltlab
