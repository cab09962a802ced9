#include "core/model-factory.h"

#include "core/bilstm.h"
#include "core/deephpm.h"
#include "core/mlp.h"

namespace voltlab {
namespace {

class BaselineModel : public BatteryModel {
 public:
  BaselineModel(const ModelSpec& s, c10::optional<at::Generator> gen)
      : net_(MlpOptions{s.inputDim, s.outputs, s.hiddenLayers, s.hiddenWidth, s.dropout}, gen) {}
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& x) override { return net_->forward(x); }
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) override {
    return torch::mse_loss(net_->forward(x), y);
  }
  bool usedForInference(const std::string&) const override { return true; }

 private:
  Mlp net_;
};

class BiLstmModel : public BatteryModel {
 public:
  BiLstmModel(const ModelSpec& s, c10::optional<at::Generator> gen)
      : net_(BiLstmOptions{s.inputDim, s.outputs, s.lstmLayers, s.lstmHidden}, gen) {}
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& x) override { return net_->forward(x); }
  torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) override {
    return torch::mse_loss(net_->forward(x), y);
  }
  bool usedForInference(const std::string&) const override { return true; }

 private:
  BiLstm net_;
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
    return o;
  }
  DeepHpm net_;
};

}  // namespace

std::unique_ptr<BatteryModel> makeModel(const ModelSpec& spec,
                                        c10::optional<at::Generator> generator) {
  validate(spec);
  switch (spec.kind) {
    case ModelKind::Baseline: return std::make_unique<BaselineModel>(spec, generator);
    case ModelKind::BiLstm: return std::make_unique<BiLstmModel>(spec, generator);
    case ModelKind::DeepHpm: return std::make_unique<DeepHpmModel>(spec, generator);
  }
  throw std::logic_error("unknown model kind");
}

}  // namespace voltlab
