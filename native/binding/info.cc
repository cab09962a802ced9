#include "binding/info.h"

#include "core/runtime-info.h"

namespace voltlab::js {

Napi::Value Info(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const RuntimeInfo r = runtimeInfo();
  auto o = Napi::Object::New(env);
  o.Set("torchVersion", r.torchVersion);
  o.Set("cudaCompiled", r.cudaCompiled);
  o.Set("cudaAvailable", r.cudaAvailable);
  o.Set("cudaDeviceCount", r.cudaDeviceCount);
  o.Set("defaultDevice", r.defaultDevice);
  auto threads = Napi::Object::New(env);
  threads.Set("callingThread", r.threadsCallingThread);
  threads.Set("trainingDefault", r.threadsTrainingDefault);
  o.Set("threads", threads);
  o.Set("blas", r.blas);
  o.Set("blasThreads", r.blasThreads);
  o.Set("parallelInfo", r.parallelInfo);
  o.Set("buildConfig", r.buildConfig);
  return o;
}

}  // namespace voltlab::js
