#include "core/weights.h"

#include <map>

#include "core/array-checks.h"
#include "core/errors.h"

namespace voltlab {

torch::Tensor toTensor(const FloatArray& array, const torch::Device& device) {
  auto cpu = torch::from_blob(const_cast<float*>(array.data.data()), array.shape,
                              torch::TensorOptions().dtype(torch::kFloat32))
                 .clone();
  return device.is_cpu() ? cpu : cpu.to(device);
}

FloatArray toFloatArray(const torch::Tensor& tensor) {
  auto cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  FloatArray out;
  out.shape = cpu.sizes().vec();
  out.data.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
  return out;
}

std::vector<NamedWeight> namedWeights(const torch::nn::Module& module) {
  std::vector<NamedWeight> out;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    FloatArray a = toFloatArray(item.value());
    out.push_back(NamedWeight{item.key(), std::move(a.shape), std::move(a.data)});
  }
  return out;
}

std::vector<torch::Tensor> snapshot(const torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> out;
  for (const auto& p : module.parameters()) out.push_back(p.detach().clone());
  return out;
}

void restore(torch::nn::Module& module, const std::vector<torch::Tensor>& saved) {
  torch::NoGradGuard noGrad;
  auto params = module.parameters();
  for (size_t i = 0; i < params.size(); ++i) params[i].copy_(saved.at(i));
}

void loadWeights(torch::nn::Module& module, const std::vector<NamedWeight>& weights,
                 const std::function<bool(const std::string&)>& required) {
  torch::NoGradGuard noGrad;
  auto params = module.named_parameters(/*recurse=*/true);
  std::map<std::string, const NamedWeight*> byName;
  for (const auto& w : weights) {
    if (!params.contains(w.name)) {
      throw InvalidArgument("weights: unknown parameter '" + w.name + "' for this model");
    }
    if (byName.count(w.name)) {
      throw InvalidArgument("weights: parameter '" + w.name + "' given twice");
    }
    byName[w.name] = &w;
  }
  for (auto& item : params) {
    auto found = byName.find(item.key());
    if (found == byName.end()) {
      if (required(item.key())) {
        throw InvalidArgument("weights: missing parameter '" + item.key() + "'");
      }
      continue;
    }
    const NamedWeight& w = *found->second;
    const auto expected = item.value().sizes().vec();
    if (w.shape != expected) {
      throw InvalidArgument("weights: parameter '" + w.name + "' has shape " + shapeText(w.shape) +
                            ", the model needs " + shapeText(expected));
    }
    int64_t count = 1;
    for (auto dim : w.shape) count *= dim;
    if (static_cast<int64_t>(w.data.size()) != count) {
      throw InvalidArgument("weights: parameter '" + w.name + "' has " +
                            std::to_string(w.data.size()) + " values, shape " +
                            shapeText(w.shape) + " needs " + std::to_string(count));
    }
    FloatArray a{w.shape, w.data};
    item.value().copy_(toTensor(a, item.value().device()));
  }
}

}  // namespace voltlab
