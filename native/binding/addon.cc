// Registers the addon's functions; each lives in its own file.
#include <napi.h>

#include "binding/energy-binding.h"
#include "binding/info.h"
#include "binding/predict.h"
#include "binding/train-worker.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("train", Napi::Function::New(env, voltlab::js::Train, "train"));
  exports.Set("predict", Napi::Function::New(env, voltlab::js::Predict, "predict"));
  exports.Set("readCheckpoint",
              Napi::Function::New(env, voltlab::js::ReadCheckpoint, "readCheckpoint"));
  exports.Set("info", Napi::Function::New(env, voltlab::js::Info, "info"));
  exports.Set("limits", Napi::Function::New(env, voltlab::js::Limits, "limits"));
  voltlab::js::RegisterEnergy(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(voltlab_native, Init)
