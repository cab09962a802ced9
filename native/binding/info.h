// info(): LibTorch version, CUDA, device, threads and BLAS.
#pragma once

#include <napi.h>

namespace voltlab::js {

Napi::Value Info(const Napi::CallbackInfo& info);

}  // namespace voltlab::js
