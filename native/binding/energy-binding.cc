#include "binding/energy-binding.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <memory>

#include "binding/js-convert.h"
#include "core/energy/energy-spec.h"

namespace voltlab::js {
namespace {

using namespace voltlab::energy;

NetSpec readNetSpec(const Napi::Value& v) {
  auto o = requireObject(v, "model");
  NetSpec m;
  if (!o.Get("kind").IsString()) throw Napi::TypeError::New(v.Env(), "model.kind must be a string");
  m.kind = o.Get("kind").As<Napi::String>().Utf8Value();
  m.lookback = optInt(o, "lookback", "model", m.lookback);
  m.horizon = optInt(o, "horizon", "model", m.horizon);
  m.pastDim = optInt(o, "pastDim", "model", m.pastDim);
  m.futureDim = optInt(o, "futureDim", "model", m.futureDim);
  m.quantiles = optInt(o, "quantiles", "model", m.quantiles);
  m.hidden = optInt(o, "hidden", "model", m.hidden);
  m.layers = optInt(o, "layers", "model", m.layers);
  m.heads = optInt(o, "heads", "model", m.heads);
  m.decoderDim = optInt(o, "decoderDim", "model", m.decoderDim);
  m.projDim = optInt(o, "projDim", "model", m.projDim);
  m.dropout = optNumber(o, "dropout", "model", m.dropout);
  return m;
}

GbdtSpec readGbdtSpec(const Napi::Value& v) {
  auto o = requireObject(v, "model");
  GbdtSpec s;
  s.lookback = optInt(o, "lookback", "model", s.lookback);
  s.horizon = optInt(o, "horizon", "model", s.horizon);
  s.futureDim = optInt(o, "futureDim", "model", s.futureDim);
  s.season = optInt(o, "season", "model", s.season);
  s.recentLags = optInt(o, "recentLags", "model", s.recentLags);
  s.seasonalDays = optInt(o, "seasonalDays", "model", s.seasonalDays);
  s.trees = optInt(o, "trees", "model", s.trees);
  s.learningRate = optNumber(o, "learningRate", "model", s.learningRate);
  s.maxLeaves = optInt(o, "maxLeaves", "model", s.maxLeaves);
  s.maxBin = optInt(o, "maxBin", "model", s.maxBin);
  s.lambda = optNumber(o, "lambda", "model", s.lambda);
  s.minChildWeight = optNumber(o, "minChildWeight", "model", s.minChildWeight);
  s.subsample = optNumber(o, "subsample", "model", s.subsample);
  s.colsample = optNumber(o, "colsample", "model", s.colsample);
  s.maxRows = optInt(o, "maxRows", "model", s.maxRows);
  s.earlyStopping = optInt(o, "earlyStopping", "model", s.earlyStopping);
  s.seed = static_cast<uint64_t>(optNumber(o, "seed", "model", 0));
  s.threads = optInt(o, "threads", "model", s.threads);
  s.quantiles = present(o, "quantiles") ? readFloats(o, "quantiles", "model") : std::vector<float>{0.1f, 0.5f, 0.9f};
  return s;
}

Napi::Object epochJs(Napi::Env env, const EpochInfo& e) {
  auto o = Napi::Object::New(env);
  o.Set("epoch", e.epoch);
  o.Set("total", e.total);
  o.Set("trainLoss", e.trainLoss);
  o.Set("valLoss", e.valLoss);
  o.Set("elapsedMs", e.elapsedMs);
  return o;
}
Napi::Array historyJs(Napi::Env env, const std::vector<EpochInfo>& h) {
  auto a = Napi::Array::New(env, h.size());
  for (size_t i = 0; i < h.size(); ++i) a.Set(static_cast<uint32_t>(i), epochJs(env, h[i]));
  return a;
}

// Runs `work` on a libuv thread; each EpochInfo goes to onEpoch on the JS thread.
class EnergyWorker : public Napi::AsyncProgressQueueWorker<EpochInfo> {
 public:
  using Work = std::function<std::function<Napi::Value(Napi::Env)>(const EpochFn&, const std::atomic<bool>&)>;
  EnergyWorker(Napi::Env env, Work work, Napi::Function onEpoch, std::shared_ptr<std::atomic<bool>> cancel)
      : Napi::AsyncProgressQueueWorker<EpochInfo>(env, "voltlab.energy.train"),
        work_(std::move(work)), cancel_(std::move(cancel)), deferred_(Napi::Promise::Deferred::New(env)) {
    if (!onEpoch.IsEmpty()) onEpoch_ = Napi::Persistent(onEpoch);
  }
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute(const ExecutionProgress& progress) override {
    try {
      result_ = work_([&](const EpochInfo& e) { progress.Send(&e, 1); }, *cancel_);
    } catch (const std::exception& e) {
      code_ = errorCode(e);
      SetError(e.what());
    }
  }
  void OnProgress(const EpochInfo* data, size_t count) override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (onEpoch_.IsEmpty() || !callbackError_.IsEmpty()) return;
    for (size_t i = 0; i < count; ++i) {
      try {
        onEpoch_.Call({epochJs(env, data[i])});
      } catch (const Napi::Error& e) {
        callbackError_ = Napi::Persistent(e.Value());
        cancel_->store(true);
        return;
      }
    }
  }
  void OnOK() override {
    if (!callbackError_.IsEmpty()) return deferred_.Reject(callbackError_.Value());
    try {
      deferred_.Resolve(result_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error& error) override {
    if (!callbackError_.IsEmpty()) return deferred_.Reject(callbackError_.Value());
    deferred_.Reject(makeError(Env(), code_, error.Message()).Value());
  }

 private:
  Work work_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  Napi::Promise::Deferred deferred_;
  Napi::FunctionReference onEpoch_;
  Napi::ObjectReference callbackError_;
  std::function<Napi::Value(Napi::Env)> result_;
  std::string code_ = "ERR_VOLTLAB_INTERNAL";
};

Napi::Object handle(Napi::Env env, Napi::Promise promise, std::shared_ptr<std::atomic<bool>> cancel) {
  auto out = Napi::Object::New(env);
  out.Set("promise", promise);
  out.Set("cancel", Napi::Function::New(env, [cancel](const Napi::CallbackInfo&) { cancel->store(true); }, "cancel"));
  return out;
}

// Reads the spec with `read` (JS thread), then queues the worker; errors reject the promise.
Napi::Value startTraining(const Napi::CallbackInfo& info,
                          const std::function<EnergyWorker::Work(const Napi::Value&)>& read) {
  Napi::Env env = info.Env();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  Napi::Function onEpoch;
  EnergyWorker::Work work;
  try {
    if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull()) {
      if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "onEpoch must be a function");
      onEpoch = info[1].As<Napi::Function>();
    }
    work = read(info[0]);
  } catch (const Napi::Error& e) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(makeError(env, "ERR_VOLTLAB_INVALID_ARGUMENT", e.Message()).Value());
    return handle(env, d.Promise(), cancel);
  } catch (const std::exception& e) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(makeError(env, errorCode(e), e.what()).Value());
    return handle(env, d.Promise(), cancel);
  }
  auto* worker = new EnergyWorker(env, std::move(work), onEpoch, cancel);
  auto promise = worker->Promise();
  worker->Queue();
  return handle(env, promise, cancel);
}

Napi::Value TrainNet(const Napi::CallbackInfo& info) {
  return startTraining(info, [](const Napi::Value& v) -> EnergyWorker::Work {
    auto o = requireObject(v, "spec");
    auto spec = std::make_shared<NetTrainSpec>();
    spec->model = readNetSpec(o.Get("model"));
    spec->past = readTensor(o.Get("past"), "past");
    spec->future = readTensor(o.Get("future"), "future");
    spec->target = readTensor(o.Get("target"), "target");
    spec->trainOrigins = readInts(o, "trainOrigins", "spec");
    spec->valOrigins = readInts(o, "valOrigins", "spec");
    spec->quantiles = readFloats(o, "quantiles", "spec");
    spec->epochs = optInt(o, "epochs", "spec", spec->epochs);
    spec->batchSize = optInt(o, "batchSize", "spec", spec->batchSize);
    spec->learningRate = optNumber(o, "learningRate", "spec", spec->learningRate);
    spec->seed = static_cast<uint64_t>(optNumber(o, "seed", "spec", 0));
    spec->threads = optInt(o, "threads", "spec", spec->threads);
    validate(*spec);
    return [spec](const EpochFn& fn, const std::atomic<bool>& cancel) {
      auto r = std::make_shared<NetTrainResult>(trainNet(*spec, fn, cancel));
      return std::function<Napi::Value(Napi::Env)>([r](Napi::Env env) -> Napi::Value {
        auto out = Napi::Object::New(env);
        out.Set("weights", toJs(env, r->weights));
        out.Set("history", historyJs(env, r->history));
        out.Set("bestEpoch", r->bestEpoch);
        out.Set("bestValLoss", std::isfinite(r->bestValLoss) ? Napi::Value(Napi::Number::New(env, r->bestValLoss)) : env.Null());
        out.Set("cancelled", r->cancelled);
        return out;
      });
    };
  });
}

Napi::Value TrainGbdt(const Napi::CallbackInfo& info) {
  return startTraining(info, [](const Napi::Value& v) -> EnergyWorker::Work {
    auto o = requireObject(v, "spec");
    auto spec = std::make_shared<GbdtTrainSpec>();
    spec->model = readGbdtSpec(o.Get("model"));
    spec->target = readTensor(o.Get("target"), "target");
    spec->future = readTensor(o.Get("future"), "future");
    spec->yMean = static_cast<float>(readNumber(o, "yMean", "spec"));
    spec->yStd = static_cast<float>(readNumber(o, "yStd", "spec"));
    spec->trainOrigins = readInts(o, "trainOrigins", "spec");
    spec->valOrigins = readInts(o, "valOrigins", "spec");
    return [spec](const EpochFn& fn, const std::atomic<bool>& cancel) {
      auto r = std::make_shared<GbdtTrainResult>(trainGbdt(*spec, fn, cancel));
      return std::function<Napi::Value(Napi::Env)>([r](Napi::Env env) -> Napi::Value {
        auto out = Napi::Object::New(env);
        auto strings = [&](const std::vector<std::string>& v) {
          auto a = Napi::Array::New(env, v.size());
          for (size_t i = 0; i < v.size(); ++i) a.Set(static_cast<uint32_t>(i), Napi::String::New(env, v[i]));
          return a;
        };
        out.Set("models", strings(r->models));
        out.Set("configs", strings(r->configs));
        out.Set("baseScores", toFloat32Array(env, r->baseScores));
        out.Set("history", historyJs(env, r->history));
        out.Set("bestRound", r->bestRound);
        out.Set("bestValLoss", std::isfinite(r->bestValLoss) ? Napi::Value(Napi::Number::New(env, r->bestValLoss)) : env.Null());
        out.Set("trainRows", r->trainRows);
        out.Set("features", r->features);
        out.Set("cancelled", r->cancelled);
        return out;
      });
    };
  });
}

Napi::Value PredictNet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    NetSpec m = readNetSpec(info[0]);
    auto weights = readWeights(info[1], "weights");
    auto past = readTensor(info[2], "past");
    auto future = readTensor(info[3], "future");
    auto so = requireObject(info[4], "scaling");
    Scaling s;
    s.pastMean = readFloats(so, "pastMean", "scaling");
    s.pastStd = readFloats(so, "pastStd", "scaling");
    s.futureMean = readFloats(so, "futureMean", "scaling");
    s.futureStd = readFloats(so, "futureStd", "scaling");
    s.yMean = static_cast<float>(readNumber(so, "yMean", "scaling"));
    s.yStd = static_cast<float>(readNumber(so, "yStd", "scaling"));
    const int threads = info.Length() > 5 && info[5].IsNumber() ? info[5].As<Napi::Number>().Int32Value() : 1;
    return toJs(env, predictNet(m, weights, past, future, s, threads));
  });
}

Napi::Value PredictGbdt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    GbdtSpec s = readGbdtSpec(info[0]);
    if (!info[1].IsArray()) throw Napi::TypeError::New(env, "models must be an array of strings");
    auto a = info[1].As<Napi::Array>();
    std::vector<std::string> models;
    for (uint32_t i = 0; i < a.Length(); ++i) models.push_back(a.Get(i).As<Napi::String>().Utf8Value());
    return toJs(env, predictGbdt(s, models, readTensor(info[2], "window"), readTensor(info[3], "future")));
  });
}

Napi::Value LagIndex(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    GbdtSpec s = readGbdtSpec(info[0]);
    auto idx = gbdtLagIndex(s);
    auto out = Napi::Int32Array::New(env, idx.size());
    for (size_t i = 0; i < idx.size(); ++i) out[i] = idx[i];
    return out;
  });
}

}  // namespace

void RegisterEnergy(Napi::Env env, Napi::Object exports) {
  exports.Set("trainEnergyNet", Napi::Function::New(env, TrainNet, "trainEnergyNet"));
  exports.Set("predictEnergyNet", Napi::Function::New(env, PredictNet, "predictEnergyNet"));
  exports.Set("trainEnergyGbdt", Napi::Function::New(env, TrainGbdt, "trainEnergyGbdt"));
  exports.Set("predictEnergyGbdt", Napi::Function::New(env, PredictGbdt, "predictEnergyGbdt"));
  exports.Set("energyGbdtLagIndex", Napi::Function::New(env, LagIndex, "energyGbdtLagIndex"));
}

}  // namespace voltlab::js
