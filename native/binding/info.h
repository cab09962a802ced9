// info(): LibTorch version, CUDA, device, threads and BLAS.
// limits(): the bounds the core checks on training requests (core/limits.h).
#pragma once

#include <napi.h>

namespace voltlab::js {

Napi::Value Info(const Napi::CallbackInfo& info);
Napi::Value Limits(const Napi::CallbackInfo& info);

}  // namespace voltlab::js
