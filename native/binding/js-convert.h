// JS values <-> the core's plain structs. Every reader validates types and
// throws Napi::TypeError / Napi::RangeError naming the offending field.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "core/float-array.h"
#include "core/model-spec.h"
#include "core/predictor.h"
#include "core/trainer.h"

namespace voltlab::js {

// Field readers: `path` names the object in error messages (path.key). A key
// that is absent, undefined or null is not present; opt* readers then return
// the fallback.
Napi::Object requireObject(const Napi::Value& value, const std::string& path);
bool present(const Napi::Object& obj, const char* key);
double readNumber(const Napi::Object& obj, const char* key, const std::string& path);
double optNumber(const Napi::Object& obj, const char* key, const std::string& path, double fallback);
int64_t readInteger(const Napi::Object& obj, const char* key, const std::string& path);
int optInt(const Napi::Object& obj, const char* key, const std::string& path, int fallback);
std::string readString(const Napi::Object& obj, const char* key, const std::string& path);
// A Float32Array (copied) or an array of numbers.
std::vector<float> readFloats(const Napi::Object& obj, const char* key, const std::string& path);
// An Int32Array or an array of integers.
std::vector<int64_t> readInts(const Napi::Object& obj, const char* key, const std::string& path);

ModelSpec readModelSpec(const Napi::Value& value, const std::string& path);
FloatArray readTensor(const Napi::Value& value, const std::string& path);
std::vector<NamedWeight> readWeights(const Napi::Value& value, const std::string& path);
Normalization readNormalization(const Napi::Value& value, const std::string& path);
TrainSpec readTrainSpec(const Napi::Value& value);

Napi::Float32Array toFloat32Array(Napi::Env env, const std::vector<float>& data);
Napi::Object toJs(Napi::Env env, const FloatArray& array);
Napi::Array toJs(Napi::Env env, const std::vector<NamedWeight>& weights);
Napi::Object toJs(Napi::Env env, const TrainResult& result);
Napi::Object toJs(Napi::Env env, const EpochReport& report);

// Builds a JS Error with `code` set (e.g. ERR_VOLTLAB_INVALID_ARGUMENT).
Napi::Error makeError(Napi::Env env, const std::string& code, const std::string& message);

// Maps the core's exception types to a code (see native/index.ts).
std::string errorCode(const std::exception& e);

// Runs `body` for a synchronous binding: a Napi::Error from the readers becomes
// an ERR_VOLTLAB_INVALID_ARGUMENT error, a core exception the error its type
// maps to (errorCode).
template <typename F>
Napi::Value guarded(Napi::Env env, F&& body) {
  try {
    return body();
  } catch (const Napi::Error& e) {
    throw makeError(env, "ERR_VOLTLAB_INVALID_ARGUMENT", e.Message());
  } catch (const std::exception& e) {
    throw makeError(env, errorCode(e), e.what());
  }
}

}  // namespace voltlab::js
