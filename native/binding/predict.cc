#include "binding/predict.h"

#include "binding/js-convert.h"
#include "core/predictor.h"

namespace voltlab::js {

Napi::Value Predict(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    PredictSpec spec;
    spec.model = readModelSpec(info[0], "model");
    spec.weights = readWeights(info[1], "weights");
    spec.x = readTensor(info[2], "x");
    if (info.Length() > 3 && info[3].IsObject()) {
      auto options = info[3].As<Napi::Object>();
      if (options.Has("normalization") && options.Get("normalization").IsObject()) {
        spec.hasNormalization = true;
        spec.normalization = readNormalization(options.Get("normalization"), "normalization");
      }
      if (options.Has("device") && options.Get("device").IsString()) {
        spec.device = options.Get("device").As<Napi::String>().Utf8Value();
      }
      if (options.Has("threads") && options.Get("threads").IsNumber()) {
        spec.threads = options.Get("threads").As<Napi::Number>().Int32Value();
      }
    }
    return toJs(env, predict(spec));
  });
}

Napi::Value ReadCheckpoint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    ModelSpec model = readModelSpec(info[0], "model");
    if (!info[1].IsString()) throw Napi::TypeError::New(env, "path must be a string");
    return toJs(env, readCheckpoint(model, info[1].As<Napi::String>().Utf8Value()));
  });
}

}  // namespace voltlab::js
