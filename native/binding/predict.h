// predict(model, weights, x, options?) and readCheckpoint(model, path): synchronous.
#pragma once

#include <napi.h>

namespace voltlab::js {

Napi::Value Predict(const Napi::CallbackInfo& info);
Napi::Value ReadCheckpoint(const Napi::CallbackInfo& info);

}  // namespace voltlab::js
