// Builds any of the three battery models behind one interface.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>

#include "core/model-spec.h"

namespace voltlab {

class BatteryModel {
 public:
  virtual ~BatteryModel() = default;
  // Parameters, train()/eval(), to(device).
  virtual torch::nn::Module& module() = 0;
  // Inference output [batch, outputs] in normalised units.
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  // Training objective for a batch (data MSE, plus physics terms for DeepHPM).
  virtual torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& y) = 0;
  // The objective's value for a batch, with its gradient added to the
  // parameters' .grad (loss() then backward(), unless the model has a faster way).
  virtual double lossBackward(const torch::Tensor& x, const torch::Tensor& y) {
    auto total = loss(x, y);
    const double value = total.item<double>();
    total.backward();
    return value;
  }
  // Whether forward() reads this parameter (DeepHPM: only the u network).
  virtual bool usedForInference(const std::string& parameterName) const = 0;
};

std::unique_ptr<BatteryModel> makeModel(const ModelSpec& spec,
                                        c10::optional<at::Generator> generator);

}  // namespace voltlab
