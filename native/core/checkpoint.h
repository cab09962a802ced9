// Checkpoint files: the model's parameters by name (torch::serialize archive).
#pragma once

#include <torch/torch.h>

#include <string>

namespace voltlab {

// Writes atomically (temporary file, then rename).
void saveCheckpoint(const torch::nn::Module& module, const std::string& path);

// Loads every parameter of `module` from `path`; throws if one is missing or
// has another shape.
void loadCheckpoint(torch::nn::Module& module, const std::string& path);

}  // namespace voltlab
