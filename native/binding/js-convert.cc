#include "binding/js-convert.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/errors.h"

namespace voltlab::js {
namespace {

// A whole number that a double holds exactly (|d| <= 2^53 - 1).
bool isSafeInteger(double d) { return d == std::floor(d) && std::fabs(d) <= 9007199254740991.0; }

}  // namespace

Napi::Object requireObject(const Napi::Value& value, const std::string& path) {
  if (!value.IsObject() || value.IsArray()) {
    throw Napi::TypeError::New(value.Env(), path + " must be an object");
  }
  return value.As<Napi::Object>();
}

bool present(const Napi::Object& obj, const char* key) {
  if (!obj.Has(key)) return false;
  auto v = obj.Get(key);
  return !v.IsUndefined() && !v.IsNull();
}

double readNumber(const Napi::Object& obj, const char* key, const std::string& path) {
  auto v = obj.Get(key);
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) {
    throw Napi::TypeError::New(obj.Env(), path + "." + key + " must be a finite number");
  }
  return v.As<Napi::Number>().DoubleValue();
}

double optNumber(const Napi::Object& obj, const char* key, const std::string& path, double fallback) {
  return present(obj, key) ? readNumber(obj, key, path) : fallback;
}

int64_t readInteger(const Napi::Object& obj, const char* key, const std::string& path) {
  const double d = readNumber(obj, key, path);
  if (!isSafeInteger(d)) {
    throw Napi::TypeError::New(obj.Env(), path + "." + key + " must be an integer");
  }
  return static_cast<int64_t>(d);
}

int optInt(const Napi::Object& obj, const char* key, const std::string& path, int fallback) {
  if (!present(obj, key)) return fallback;
  const int64_t v = readInteger(obj, key, path);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    throw Napi::RangeError::New(obj.Env(), path + "." + key + " is out of range");
  }
  return static_cast<int>(v);
}

std::string readString(const Napi::Object& obj, const char* key, const std::string& path) {
  auto v = obj.Get(key);
  if (!v.IsString()) throw Napi::TypeError::New(obj.Env(), path + "." + key + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

std::vector<float> readFloats(const Napi::Object& obj, const char* key, const std::string& path) {
  auto v = obj.Get(key);
  const std::string where = path + "." + key;
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array) {
    auto a = v.As<Napi::Float32Array>();
    return std::vector<float>(a.Data(), a.Data() + a.ElementLength());
  }
  if (v.IsArray()) {
    auto a = v.As<Napi::Array>();
    std::vector<float> out(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) {
      auto e = a.Get(i);
      if (!e.IsNumber()) throw Napi::TypeError::New(obj.Env(), where + " must hold numbers");
      out[i] = static_cast<float>(e.As<Napi::Number>().DoubleValue());
    }
    return out;
  }
  throw Napi::TypeError::New(obj.Env(), where + " must be a Float32Array or an array of numbers");
}

std::vector<int64_t> readInts(const Napi::Object& obj, const char* key, const std::string& path) {
  auto v = obj.Get(key);
  const std::string where = path + "." + key;
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array) {
    auto a = v.As<Napi::Int32Array>();
    return std::vector<int64_t>(a.Data(), a.Data() + a.ElementLength());
  }
  if (v.IsArray()) {
    auto a = v.As<Napi::Array>();
    std::vector<int64_t> out(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) {
      auto e = a.Get(i);
      if (!e.IsNumber() || !isSafeInteger(e.As<Napi::Number>().DoubleValue())) {
        throw Napi::TypeError::New(obj.Env(), where + " must hold integers");
      }
      out[i] = static_cast<int64_t>(e.As<Napi::Number>().DoubleValue());
    }
    return out;
  }
  throw Napi::TypeError::New(obj.Env(), where + " must be an Int32Array or an array of integers");
}

namespace {

std::vector<int64_t> readShape(const Napi::Object& obj, const std::string& path) {
  auto v = obj.Get("shape");
  if (!v.IsArray()) {
    throw Napi::TypeError::New(obj.Env(), path + ".shape must be an array of integers");
  }
  auto a = v.As<Napi::Array>();
  std::vector<int64_t> shape(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) {
    auto e = a.Get(i);
    const double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : -1;
    if (!e.IsNumber() || d != std::floor(d) || d < 0 || d > 2147483647.0) {
      throw Napi::TypeError::New(obj.Env(), path + ".shape[" + std::to_string(i) +
                                                 "] must be a non-negative integer");
    }
    shape[i] = static_cast<int64_t>(d);
  }
  return shape;
}

}  // namespace

ModelSpec readModelSpec(const Napi::Value& value, const std::string& path) {
  auto obj = requireObject(value, path);
  ModelSpec m;
  const std::string kind = readString(obj, "kind", path);
  if (!parseModelKind(kind, &m.kind)) {
    throw Napi::TypeError::New(obj.Env(), path + ".kind must be 'baseline', 'bilstm' or "
                                               "'deephpm', got '" + kind + "'");
  }
  m.inputDim = optInt(obj, "inputDim", path, 0);
  if (!present(obj, "inputDim")) {
    throw Napi::TypeError::New(obj.Env(), path + ".inputDim is required");
  }
  m.window = optInt(obj, "window", path, m.window);
  m.outputs = optInt(obj, "outputs", path, m.outputs);
  m.hiddenLayers = optInt(obj, "hiddenLayers", path, m.hiddenLayers);
  m.hiddenWidth = optInt(obj, "hiddenWidth", path, m.hiddenWidth);
  m.dropout = optNumber(obj, "dropout", path, m.dropout);
  m.lstmLayers = optInt(obj, "lstmLayers", path, m.lstmLayers);
  m.lstmHidden = optInt(obj, "lstmHidden", path, m.lstmHidden);
  m.physicsLayers = optInt(obj, "physicsLayers", path, m.hiddenLayers);
  m.physicsWidth = optInt(obj, "physicsWidth", path, m.hiddenWidth);
  if (present(obj, "physicsLoss")) {
    const std::string loss = readString(obj, "physicsLoss", path);
    if (!parsePhysicsLoss(loss, &m.physicsLoss)) {
      throw Napi::TypeError::New(obj.Env(), path + ".physicsLoss must be 'sum' or 'adaptive'");
    }
  }
  m.physicsWeight = optNumber(obj, "physicsWeight", path, m.physicsWeight);
  if (present(obj, "physicsInputs")) {
    auto v = obj.Get("physicsInputs");
    if (!v.IsArray()) {
      throw Napi::TypeError::New(obj.Env(), path + ".physicsInputs must be an array");
    }
    auto a = v.As<Napi::Array>();
    m.physicsInputs.clear();
    for (uint32_t i = 0; i < a.Length(); ++i) {
      auto e = a.Get(i);
      PhysicsInput in;
      if (!e.IsString() || !parsePhysicsInput(e.As<Napi::String>().Utf8Value(), &in)) {
        throw Napi::TypeError::New(obj.Env(), path + ".physicsInputs[" + std::to_string(i) +
                                                   "] must be one of 's', 't', 'u', 'u_s', 'u_t'");
      }
      m.physicsInputs.push_back(in);
    }
  }
  try {
    validate(m);
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(obj.Env(), e.what());
  }
  return m;
}

FloatArray readTensor(const Napi::Value& value, const std::string& path) {
  auto obj = requireObject(value, path);
  FloatArray a;
  a.shape = readShape(obj, path);
  a.data = readFloats(obj, "data", path);
  return a;
}

std::vector<NamedWeight> readWeights(const Napi::Value& value, const std::string& path) {
  if (!value.IsArray()) {
    throw Napi::TypeError::New(value.Env(), path + " must be an array of {name, shape, data}");
  }
  auto a = value.As<Napi::Array>();
  std::vector<NamedWeight> out;
  for (uint32_t i = 0; i < a.Length(); ++i) {
    const std::string where = path + "[" + std::to_string(i) + "]";
    auto obj = requireObject(a.Get(i), where);
    NamedWeight w;
    w.name = readString(obj, "name", where);
    w.shape = readShape(obj, where);
    w.data = readFloats(obj, "data", where);
    out.push_back(std::move(w));
  }
  return out;
}

Normalization readNormalization(const Napi::Value& value, const std::string& path) {
  auto obj = requireObject(value, path);
  Normalization n;
  n.xMean = readFloats(obj, "xMean", path);
  n.xStd = readFloats(obj, "xStd", path);
  n.yMean = readFloats(obj, "yMean", path);
  n.yStd = readFloats(obj, "yStd", path);
  return n;
}

TrainSpec readTrainSpec(const Napi::Value& value) {
  auto obj = requireObject(value, "spec");
  TrainSpec s;
  s.model = readModelSpec(obj.Get("model"), "spec.model");
  s.xTrain = readTensor(obj.Get("xTrain"), "xTrain");
  s.yTrain = readTensor(obj.Get("yTrain"), "yTrain");
  s.xVal = readTensor(obj.Get("xVal"), "xVal");
  s.yVal = readTensor(obj.Get("yVal"), "yVal");
  if (present(obj, "monitor")) s.xMonitor = readTensor(obj.Get("monitor"), "monitor");
  if (!present(obj, "epochs")) throw Napi::TypeError::New(obj.Env(), "spec.epochs is required");
  if (!present(obj, "batchSize")) {
    throw Napi::TypeError::New(obj.Env(), "spec.batchSize is required");
  }
  s.epochs = optInt(obj, "epochs", "spec", s.epochs);
  s.batchSize = optInt(obj, "batchSize", "spec", s.batchSize);
  s.learningRate = optNumber(obj, "learningRate", "spec", s.learningRate);
  s.inputNoise = optNumber(obj, "inputNoise", "spec", s.inputNoise);
  if (present(obj, "seed")) {
    const int64_t seed = readInteger(obj, "seed", "spec");
    if (seed < 0) throw Napi::RangeError::New(obj.Env(), "spec.seed must be >= 0");
    s.seed = static_cast<uint64_t>(seed);
  }
  s.threads = optInt(obj, "threads", "spec", s.threads);
  if (present(obj, "device")) s.device = readString(obj, "device", "spec");
  if (present(obj, "checkpointPath")) s.checkpointPath = readString(obj, "checkpointPath", "spec");
  return s;
}

Napi::Float32Array toFloat32Array(Napi::Env env, const std::vector<float>& data) {
  auto out = Napi::Float32Array::New(env, data.size());
  if (!data.empty()) std::memcpy(out.Data(), data.data(), data.size() * sizeof(float));
  return out;
}

namespace {

Napi::Array shapeToJs(Napi::Env env, const std::vector<int64_t>& shape) {
  auto a = Napi::Array::New(env, shape.size());
  for (uint32_t i = 0; i < shape.size(); ++i) a.Set(i, Napi::Number::New(env, double(shape[i])));
  return a;
}

}  // namespace

Napi::Object toJs(Napi::Env env, const FloatArray& array) {
  auto o = Napi::Object::New(env);
  o.Set("data", toFloat32Array(env, array.data));
  o.Set("shape", shapeToJs(env, array.shape));
  return o;
}

Napi::Array toJs(Napi::Env env, const std::vector<NamedWeight>& weights) {
  auto a = Napi::Array::New(env, weights.size());
  for (uint32_t i = 0; i < weights.size(); ++i) {
    auto o = Napi::Object::New(env);
    o.Set("name", weights[i].name);
    o.Set("shape", shapeToJs(env, weights[i].shape));
    o.Set("data", toFloat32Array(env, weights[i].data));
    a.Set(i, o);
  }
  return a;
}

Napi::Object toJs(Napi::Env env, const TrainResult& result) {
  auto o = Napi::Object::New(env);
  o.Set("weights", toJs(env, result.weights));
  auto history = Napi::Array::New(env, result.history.size());
  for (uint32_t i = 0; i < result.history.size(); ++i) {
    const auto& h = result.history[i];
    auto e = Napi::Object::New(env);
    e.Set("epoch", h.epoch);
    e.Set("trainLoss", h.trainLoss);
    e.Set("valLoss", h.valLoss);
    e.Set("elapsedMs", h.elapsedMs);
    e.Set("cpuMs", h.cpuMs);
    history.Set(i, e);
  }
  o.Set("history", history);
  o.Set("bestEpoch", result.bestEpoch);
  o.Set("bestValLoss", result.bestEpoch > 0 ? Napi::Value(Napi::Number::New(env, result.bestValLoss))
                                            : env.Null());
  o.Set("cancelled", result.cancelled);
  return o;
}

Napi::Object toJs(Napi::Env env, const EpochReport& report) {
  auto o = Napi::Object::New(env);
  o.Set("epoch", report.epoch);
  o.Set("trainLoss", report.trainLoss);
  o.Set("valLoss", report.valLoss);
  o.Set("elapsedMs", report.elapsedMs);
  o.Set("cpuMs", report.cpuMs);
  o.Set("valPredictions", toFloat32Array(env, report.valPredictions));
  if (!report.monitorPredictions.empty()) {
    o.Set("monitorPredictions", toFloat32Array(env, report.monitorPredictions));
  }
  return o;
}

Napi::Error makeError(Napi::Env env, const std::string& code, const std::string& message) {
  auto error = Napi::Error::New(env, message);
  error.Set("code", code);
  return error;
}

std::string errorCode(const std::exception& e) {
  if (dynamic_cast<const InvalidArgument*>(&e)) return "ERR_VOLTLAB_INVALID_ARGUMENT";
  if (dynamic_cast<const NonFiniteLoss*>(&e)) return "ERR_VOLTLAB_NON_FINITE_LOSS";
  if (dynamic_cast<const DeviceUnavailable*>(&e)) return "ERR_VOLTLAB_DEVICE_UNAVAILABLE";
  if (dynamic_cast<const TorchError*>(&e)) return "ERR_VOLTLAB_TORCH";
  if (dynamic_cast<const std::invalid_argument*>(&e)) return "ERR_VOLTLAB_INVALID_ARGUMENT";
  return "ERR_VOLTLAB_INTERNAL";
}

}  // namespace voltlab::js
