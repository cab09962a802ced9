// Chooses the torch device once; the trainer and predictor pass it down.
#pragma once

#include <torch/torch.h>

#include <string>

namespace voltlab {

// "cpu" or "cuda" (or "cuda:N"). Throws DeviceUnavailable when CUDA is asked
// for but this build or this machine has none.
torch::Device resolveDevice(const std::string& name);

}  // namespace voltlab
