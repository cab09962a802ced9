// train(spec, onEpoch?) -> { promise, cancel() }
#pragma once

#include <napi.h>

namespace voltlab::js {

Napi::Value Train(const Napi::CallbackInfo& info);

}  // namespace voltlab::js
