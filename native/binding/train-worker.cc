#include "binding/train-worker.h"

#include <atomic>
#include <memory>

#include "binding/js-convert.h"
#include "core/trainer.h"

namespace voltlab::js {
namespace {

// Runs voltlab::train on a libuv worker thread. Execute() touches no JS: the
// spec was copied into a plain struct beforehand; epochs travel to the JS
// thread through the progress queue, which is drained before OnOK/OnError.
class TrainWorker : public Napi::AsyncProgressQueueWorker<EpochReport> {
 public:
  TrainWorker(Napi::Env env, TrainSpec spec, Napi::Function onEpoch,
              std::shared_ptr<std::atomic<bool>> cancel)
      : Napi::AsyncProgressQueueWorker<EpochReport>(env, "voltlab.train"),
        spec_(std::move(spec)),
        cancel_(std::move(cancel)),
        deferred_(Napi::Promise::Deferred::New(env)) {
    if (!onEpoch.IsEmpty()) onEpoch_ = Napi::Persistent(onEpoch);
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute(const ExecutionProgress& progress) override {
    try {
      result_ = train(spec_, [&](const EpochReport& r) { progress.Send(&r, 1); }, *cancel_);
    } catch (const std::exception& e) {
      code_ = errorCode(e);
      SetError(e.what());
    }
  }

  void OnProgress(const EpochReport* reports, size_t count) override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (onEpoch_.IsEmpty() || !callbackError_.IsEmpty()) return;
    for (size_t i = 0; i < count; ++i) {
      try {
        onEpoch_.Call({toJs(env, reports[i])});
      } catch (const Napi::Error& e) {
        // A throwing callback stops training; the promise rejects with its error.
        callbackError_ = Napi::Persistent(e.Value());
        cancel_->store(true);
        return;
      }
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (!callbackError_.IsEmpty()) {
      deferred_.Reject(callbackError_.Value());
      return;
    }
    deferred_.Resolve(toJs(env, result_));
  }

  void OnError(const Napi::Error& error) override {
    Napi::Env env = Env();
    if (!callbackError_.IsEmpty()) {
      deferred_.Reject(callbackError_.Value());
      return;
    }
    deferred_.Reject(makeError(env, code_, error.Message()).Value());
  }

 private:
  TrainSpec spec_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  Napi::Promise::Deferred deferred_;
  Napi::FunctionReference onEpoch_;
  Napi::ObjectReference callbackError_;
  TrainResult result_;
  std::string code_ = "ERR_VOLTLAB_INTERNAL";
};

Napi::Object handle(Napi::Env env, Napi::Promise promise,
                    std::shared_ptr<std::atomic<bool>> cancel) {
  auto out = Napi::Object::New(env);
  out.Set("promise", promise);
  out.Set("cancel", Napi::Function::New(
                        env, [cancel](const Napi::CallbackInfo&) { cancel->store(true); },
                        "cancel"));
  return out;
}

}  // namespace

Napi::Value Train(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  TrainSpec spec;
  Napi::Function onEpoch;
  try {
    if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull()) {
      if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "onEpoch must be a function");
      onEpoch = info[1].As<Napi::Function>();
    }
    spec = readTrainSpec(info[0]);
    validate(spec);  // shapes and values, before any thread starts
  } catch (const Napi::Error& e) {
    auto deferred = Napi::Promise::Deferred::New(env);
    auto error = makeError(env, "ERR_VOLTLAB_INVALID_ARGUMENT", e.Message());
    deferred.Reject(error.Value());
    return handle(env, deferred.Promise(), cancel);
  } catch (const std::exception& e) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(makeError(env, errorCode(e), e.what()).Value());
    return handle(env, deferred.Promise(), cancel);
  }
  auto* worker = new TrainWorker(env, std::move(spec), onEpoch, cancel);
  auto promise = worker->Promise();
  worker->Queue();
  return handle(env, promise, cancel);
}

}  // namespace voltlab::js
