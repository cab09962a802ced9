// Moving parameters and arrays between LibTorch and the plain float structs.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "core/float-array.h"

namespace voltlab {

// Copies (float32, CPU, contiguous) into a tensor on `device`.
torch::Tensor toTensor(const FloatArray& array, const torch::Device& device);
FloatArray toFloatArray(const torch::Tensor& tensor);

// Parameters by name, copied to CPU float32.
std::vector<NamedWeight> namedWeights(const torch::nn::Module& module);

// Deep copy of the parameters (same device) for keeping the best epoch.
std::vector<torch::Tensor> snapshot(const torch::nn::Module& module);
void restore(torch::nn::Module& module, const std::vector<torch::Tensor>& saved);

// Copies `weights` into the module's parameters. Every parameter for which
// `required(name)` is true must be present; unknown names and shape
// mismatches throw InvalidArgument naming the weight.
void loadWeights(torch::nn::Module& module, const std::vector<NamedWeight>& weights,
                 const std::function<bool(const std::string&)>& required);

}  // namespace voltlab
