#include "binding/info.h"

#include "core/limits.h"
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

namespace {

Napi::Array Range(Napi::Env env, double lo, double hi) {
  auto a = Napi::Array::New(env, 2);
  a.Set(0u, lo);
  a.Set(1u, hi);
  return a;
}

}  // namespace

Napi::Value Limits(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  using M = ModelLimits;
  using T = TrainLimits;
  using E = energy::EnergyLimits;
  auto battery = Napi::Object::New(env);
  battery.Set("inputDim", Range(env, 1, M::kMaxInputDim));
  battery.Set("window", Range(env, 1, M::kMaxWindow));
  battery.Set("outputs", Range(env, 1, M::kMaxOutputs));
  battery.Set("layers", Range(env, M::kMinLayers, M::kMaxLayers));
  battery.Set("width", Range(env, M::kMinWidth, M::kMaxWidth));
  battery.Set("lstmLayers", Range(env, M::kMinLstmLayers, M::kMaxLstmLayers));
  battery.Set("lstmHidden", Range(env, M::kMinLstmHidden, M::kMaxLstmHidden));
  battery.Set("dropout", Range(env, 0, M::kMaxDropout));
  battery.Set("physicsWeight", Range(env, M::kMinPhysicsWeight, M::kMaxPhysicsWeight));
  battery.Set("epochs", Range(env, 1, T::kMaxEpochs));
  battery.Set("batchSize", Range(env, 1, T::kMaxBatchSize));
  battery.Set("threads", Range(env, 1, T::kMaxThreads));
  battery.Set("learningRate", Range(env, T::kMinLearningRate, T::kMaxLearningRate));
  battery.Set("inputNoise", Range(env, 0, T::kMaxInputNoise));
  auto en = Napi::Object::New(env);
  en.Set("lookback", Range(env, 1, E::kMaxLookback));
  en.Set("horizon", Range(env, 1, E::kMaxHorizon));
  en.Set("netEpochs", Range(env, 1, E::kMaxNetEpochs));
  en.Set("trees", Range(env, 1, E::kMaxTrees));
  // Exclusive below: (0, max].
  en.Set("learningRate", Range(env, 0, E::kMaxLearningRate));
  en.Set("batchSize", Range(env, 1, E::kMaxBatchSize));
  en.Set("threads", Range(env, 1, E::kMaxThreads));
  auto o = Napi::Object::New(env);
  o.Set("battery", battery);
  o.Set("energy", en);
  return o;
}

}  // namespace voltlab::js
