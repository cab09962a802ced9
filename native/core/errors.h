// Error categories the binding turns into JS errors with a `code`.
#pragma once

#include <stdexcept>
#include <string>

namespace voltlab {

// Bad argument, shape or value supplied by the caller.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The loss became NaN or infinite: training stopped.
class NonFiniteLoss : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// CUDA asked for but not compiled in or no GPU present.
class DeviceUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An error raised inside LibTorch (c10::Error), without its C++ backtrace.
class TorchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace voltlab
