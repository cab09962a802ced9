#include "core/device.h"

#include "core/errors.h"

namespace voltlab {

torch::Device resolveDevice(const std::string& name) {
  if (name.empty() || name == "cpu") return torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw DeviceUnavailable(
          "device 'cuda' requested but CUDA is not available (this build links " +
          std::string(
#ifdef VOLTLAB_CUDA
              "torch_cuda, but no GPU was found"
#else
              "a CPU-only LibTorch; rebuild with VOLTLAB_CUDA=1 and LIBTORCH_DIR pointing at a "
              "CUDA build of LibTorch"
#endif
              ) +
          ")");
    }
    torch::Device device(name);
    if (device.has_index() &&
        device.index() >= static_cast<int>(torch::cuda::device_count())) {
      throw DeviceUnavailable("device '" + name + "' requested but only " +
                              std::to_string(torch::cuda::device_count()) + " GPU(s) present");
    }
    return device;
  }
  throw InvalidArgument("device must be 'cpu' or 'cuda', got '" + name + "'");
}

}  // namespace voltlab
