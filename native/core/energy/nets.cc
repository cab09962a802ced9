// LSTM, TiDE and TFT forecasters (LibTorch). The only energy translation unit with torch.
// Layer norms are written out (mean, centred variance, / sqrt(var + eps)) so the ONNX graph
// (server/ml/onnx/energy-onnx.ts) performs the same operations in the same order.
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <random>

#include "core/energy/energy-spec.h"
#include "core/errors.h"
#include "core/weights.h"

namespace voltlab::energy {
namespace {

namespace nn = torch::nn;
using torch::Tensor;
constexpr double kEps = 1e-5;
constexpr float kMaskValue = -1e9f;

// ---- shared pieces ------------------------------------------------------------------
struct NormImpl : nn::Module {
  Tensor weight, bias;
  explicit NormImpl(std::vector<int64_t> shape) {
    weight = register_parameter("weight", torch::ones(shape));
    bias = register_parameter("bias", torch::zeros(shape));
  }
  Tensor forward(const Tensor& x) {
    auto mean = x.mean(-1, true);
    auto c = x - mean;
    auto var = (c * c).mean(-1, true);
    return c / torch::sqrt(var + kEps) * weight + bias;
  }
};
TORCH_MODULE(Norm);

// TiDE residual block: LN(fc2(relu(fc1 x)) + skip x).
struct ResBlockImpl : nn::Module {
  nn::Linear fc1{nullptr}, fc2{nullptr}, skip{nullptr};
  Norm ln{nullptr};
  double dropout;
  ResBlockImpl(int64_t in, int64_t hid, int64_t out, double p) : dropout(p) {
    fc1 = register_module("fc1", nn::Linear(in, hid));
    fc2 = register_module("fc2", nn::Linear(hid, out));
    skip = register_module("skip", nn::Linear(in, out));
    ln = register_module("ln", Norm(std::vector<int64_t>{out}));
  }
  Tensor forward(const Tensor& x) {
    auto h = fc2(torch::relu(fc1(x)));
    h = torch::dropout(h, dropout, is_training());
    return ln(h + skip(x));
  }
};
TORCH_MODULE(ResBlock);

// TFT gated linear unit: sigmoid(gate x) * value x.
struct GluImpl : nn::Module {
  nn::Linear gate{nullptr}, value{nullptr};
  GluImpl(int64_t in, int64_t out) {
    gate = register_module("gate", nn::Linear(in, out));
    value = register_module("value", nn::Linear(in, out));
  }
  Tensor forward(const Tensor& x) { return torch::sigmoid(gate(x)) * value(x); }
};
TORCH_MODULE(Glu);

// TFT gated residual network: LN(skip(a) + GLU(fc2(elu(fc1 a)))).
struct GrnImpl : nn::Module {
  nn::Linear fc1{nullptr}, fc2{nullptr}, skip{nullptr};
  Glu glu{nullptr};
  Norm ln{nullptr};
  double dropout;
  GrnImpl(int64_t in, int64_t hid, int64_t out, double p) : dropout(p) {
    fc1 = register_module("fc1", nn::Linear(in, hid));
    fc2 = register_module("fc2", nn::Linear(hid, out));
    if (in != out) skip = register_module("skip", nn::Linear(in, out));
    glu = register_module("glu", Glu(out, out));
    ln = register_module("ln", Norm(std::vector<int64_t>{out}));
  }
  Tensor forward(const Tensor& a) {
    auto eta = fc2(torch::elu(fc1(a)));
    eta = torch::dropout(eta, dropout, is_training());
    return ln((skip ? skip(a) : a) + glu(eta));
  }
};
TORCH_MODULE(Grn);

// TFT variable selection over V scalar inputs: per-variable embedding, a GRN on all of them
// giving softmax weights, a GRN per variable (batched: weights [V, d, d]), weighted sum.
struct VsnImpl : nn::Module {
  int64_t V, d;
  Tensor embW, embB, w1, b1, w2, b2, wg, bg, wv, bv;
  Grn selector{nullptr};
  Norm ln{nullptr};
  double dropout;
  VsnImpl(int64_t vars, int64_t dim, double p) : V(vars), d(dim), dropout(p) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(d));
    auto u = [&](std::vector<int64_t> shape) { return torch::empty(shape).uniform_(-bound, bound); };
    embW = register_parameter("emb_w", torch::randn({V, d}) * 0.5);
    embB = register_parameter("emb_b", torch::zeros({V, d}));
    w1 = register_parameter("w1", u({V, d, d}));
    b1 = register_parameter("b1", u({V, 1, d}));
    w2 = register_parameter("w2", u({V, d, d}));
    b2 = register_parameter("b2", u({V, 1, d}));
    wg = register_parameter("wg", u({V, d, d}));
    bg = register_parameter("bg", u({V, 1, d}));
    wv = register_parameter("wv", u({V, d, d}));
    bv = register_parameter("bv", u({V, 1, d}));
    selector = register_module("selector", Grn(V * d, d, V, p));
    ln = register_module("ln", Norm(std::vector<int64_t>{V, 1, d}));
  }
  // x [B, T, V] -> [B, T, d]. The per-variable GRNs run as one batched matmul over V with
  // rows [V, B*T, d] (a broadcast [B,T,V,1,d] @ [V,d,d] would be B*T*V tiny products).
  Tensor forward(const Tensor& x) {
    const int64_t T = x.size(1);
    auto e = x.unsqueeze(-1) * embW + embB;                              // [B,T,V,d]
    auto weights = torch::softmax(selector(e.flatten(2)), -1);            // [B,T,V]
    auto a = e.permute({2, 0, 1, 3}).reshape({V, -1, d});                 // [V,B*T,d]
    auto eta = torch::matmul(torch::elu(torch::matmul(a, w1) + b1), w2) + b2;
    eta = torch::dropout(eta, dropout, is_training());
    auto glu = torch::sigmoid(torch::matmul(eta, wg) + bg) * (torch::matmul(eta, wv) + bv);
    auto h = ln(a + glu).reshape({V, -1, T, d}).permute({1, 2, 0, 3});  // [B,T,V,d]
    return (h * weights.unsqueeze(-1)).sum(-2);                           // [B,T,d]
  }
};
TORCH_MODULE(Vsn);

struct Net : nn::Module {
  virtual Tensor forward(const Tensor& past, const Tensor& future) = 0;
};

// ---- LSTM ---------------------------------------------------------------------------
struct LstmNet : Net {
  NetSpec m;
  nn::LSTM lstm{nullptr};
  nn::Linear head{nullptr};
  explicit LstmNet(const NetSpec& spec) : m(spec) {
    lstm = register_module("lstm", nn::LSTM(nn::LSTMOptions(m.pastDim, m.hidden).num_layers(m.layers).batch_first(true)));
    head = register_module("head", nn::Linear(m.hidden + m.horizon * m.futureDim + m.lookback, m.horizon * m.quantiles));
  }
  Tensor forward(const Tensor& past, const Tensor& future) override {
    auto y = std::get<0>(lstm->forward(past));
    auto last = y.select(1, m.lookback - 1);
    auto in = torch::cat({last, future.flatten(1), past.select(2, 0)}, 1);
    return head(in).view({-1, m.horizon, m.quantiles});
  }
};

// ---- TiDE ---------------------------------------------------------------------------
struct TideNet : Net {
  NetSpec m;
  int64_t own, r;
  ResBlock proj{nullptr}, temporal{nullptr};
  std::vector<ResBlock> enc, dec;
  nn::Linear skip{nullptr};
  explicit TideNet(const NetSpec& spec) : m(spec) {
    own = m.pastDim - m.futureDim;
    r = m.futureDim > 0 ? m.projDim : 0;
    if (r) proj = register_module("proj", ResBlock(m.futureDim, m.hidden, r, m.dropout));
    int64_t in = m.lookback * own + (m.lookback + m.horizon) * r;
    for (int i = 0; i < m.layers; ++i) {
      enc.push_back(register_module("enc" + std::to_string(i), ResBlock(in, m.hidden, m.hidden, m.dropout)));
      in = m.hidden;
    }
    for (int i = 0; i < m.layers; ++i) {
      const int64_t out = i + 1 == m.layers ? m.horizon * m.decoderDim : m.hidden;
      dec.push_back(register_module("dec" + std::to_string(i), ResBlock(m.hidden, m.hidden, out, m.dropout)));
    }
    temporal = register_module("temporal", ResBlock(m.decoderDim + r, m.hidden, m.quantiles, m.dropout));
    skip = register_module("skip", nn::Linear(m.lookback, m.horizon * m.quantiles));
  }
  Tensor forward(const Tensor& past, const Tensor& future) override {
    std::vector<Tensor> encIn{past.narrow(2, 0, own).flatten(1)};
    Tensor covp;
    if (r) {
      covp = proj(torch::cat({past.narrow(2, own, m.futureDim), future}, 1));  // [B, L+H, r]
      encIn.push_back(covp.flatten(1));
    }
    auto h = torch::cat(encIn, 1);
    for (auto& b : enc) h = b(h);
    for (auto& b : dec) h = b(h);
    auto d = h.view({-1, m.horizon, m.decoderDim});
    if (r) d = torch::cat({d, covp.narrow(1, m.lookback, m.horizon)}, 2);
    return temporal(d) + skip(past.select(2, 0)).view({-1, m.horizon, m.quantiles});
  }
};

// ---- TFT ----------------------------------------------------------------------------
struct TftNet : Net {
  NetSpec m;
  int64_t dk;
  Vsn vsnPast{nullptr}, vsnFuture{nullptr};
  nn::LSTM encoder{nullptr}, decoder{nullptr};
  Glu gluLstm{nullptr}, gluAttn{nullptr}, gluOut{nullptr};
  Norm lnLstm{nullptr}, lnAttn{nullptr}, lnOut{nullptr};
  Grn enrich{nullptr}, ff{nullptr};
  nn::Linear attnQ{nullptr}, attnK{nullptr}, attnV{nullptr}, attnO{nullptr}, head{nullptr};
  Tensor mask;
  explicit TftNet(const NetSpec& spec) : m(spec) {
    const int64_t d = m.hidden;
    dk = d / m.heads;
    vsnPast = register_module("vsn_past", Vsn(m.pastDim, d, m.dropout));
    vsnFuture = register_module("vsn_future", Vsn(m.futureDim, d, m.dropout));
    encoder = register_module("encoder", nn::LSTM(nn::LSTMOptions(d, d).batch_first(true)));
    decoder = register_module("decoder", nn::LSTM(nn::LSTMOptions(d, d).batch_first(true)));
    gluLstm = register_module("glu_lstm", Glu(d, d));
    lnLstm = register_module("ln_lstm", Norm(std::vector<int64_t>{d}));
    enrich = register_module("enrich", Grn(d, d, d, m.dropout));
    attnQ = register_module("attn_q", nn::Linear(d, m.heads * dk));
    attnK = register_module("attn_k", nn::Linear(d, m.heads * dk));
    attnV = register_module("attn_v", nn::Linear(d, dk));
    attnO = register_module("attn_o", nn::Linear(dk, d));
    gluAttn = register_module("glu_attn", Glu(d, d));
    lnAttn = register_module("ln_attn", Norm(std::vector<int64_t>{d}));
    ff = register_module("ff", Grn(d, d, d, m.dropout));
    gluOut = register_module("glu_out", Glu(d, d));
    lnOut = register_module("ln_out", Norm(std::vector<int64_t>{d}));
    head = register_module("head", nn::Linear(d, m.quantiles));
    const int64_t T = m.lookback + m.horizon;
    auto j = torch::arange(T).unsqueeze(0);
    auto i = torch::arange(m.horizon).unsqueeze(1) + m.lookback;
    mask = register_buffer("mask", torch::where(j <= i, torch::zeros({}), torch::full({}, kMaskValue)));
  }
  Tensor forward(const Tensor& past, const Tensor& future) override {
    const int64_t L = m.lookback, H = m.horizon, T = L + H;
    auto ps = vsnPast(past), fs = vsnFuture(future);
    auto encOut = encoder->forward(ps);
    auto decOut = decoder->forward(fs, std::get<1>(encOut));
    auto lstmOut = torch::cat({std::get<0>(encOut), std::get<0>(decOut)}, 1);
    auto temporal = lnLstm(torch::cat({ps, fs}, 1) + gluLstm(lstmOut));
    auto enriched = enrich(temporal);
    auto fut = enriched.narrow(1, L, H);
    auto q = attnQ(fut).view({-1, H, m.heads, dk}).transpose(1, 2);       // [B,h,H,dk]
    auto k = attnK(enriched).view({-1, T, m.heads, dk}).transpose(1, 2);  // [B,h,T,dk]
    auto v = attnV(enriched).unsqueeze(1);                                // [B,1,T,dk]
    auto scores = torch::matmul(q, k.transpose(2, 3)) / std::sqrt(static_cast<double>(dk)) + mask;
    auto attn = torch::matmul(torch::softmax(scores, -1), v).mean(1);     // [B,H,dk]
    auto a = lnAttn(fut + gluAttn(attnO(attn)));
    auto p = ff(a);
    auto o = lnOut(temporal.narrow(1, L, H) + gluOut(p));
    return head(o);
  }
};

std::shared_ptr<Net> makeNet(const NetSpec& m) {
  if (m.kind == "lstm") return std::make_shared<LstmNet>(m);
  if (m.kind == "tide") return std::make_shared<TideNet>(m);
  if (m.kind == "tft") return std::make_shared<TftNet>(m);
  throw InvalidArgument("unknown model kind '" + m.kind + "'");
}

Tensor pinball(const Tensor& pred, const Tensor& y, const Tensor& q) {
  auto valid = torch::isfinite(y).unsqueeze(-1).to(torch::kFloat32);  // [B,H,1]
  auto diff = torch::nan_to_num(y, 0.0).unsqueeze(-1) - pred;         // [B,H,Q]
  auto loss = torch::maximum(q * diff, (q - 1) * diff) * valid;
  return loss.sum() / (valid.sum() * q.size(0)).clamp_min(1);
}

Tensor gather(const Tensor& series, const Tensor& origins, int64_t offset, int64_t len) {
  auto idx = (origins.unsqueeze(1) + offset + torch::arange(len, torch::kLong).unsqueeze(0)).flatten();
  auto out = series.index_select(0, idx);
  auto shape = series.sizes().vec();
  shape[0] = len;
  shape.insert(shape.begin(), origins.size(0));
  return out.view(shape);
}

Tensor tensorOf(const FloatArray& a) {
  return torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat32).clone();
}

void checkOrigins(const std::vector<int64_t>& o, int64_t T, const NetSpec& m, const char* name) {
  if (o.empty()) throw InvalidArgument(std::string(name) + " is empty");
  for (auto v : o)
    if (v < m.lookback || v + m.horizon > T)
      throw InvalidArgument(std::string(name) + " holds " + std::to_string(v) + ", outside [lookback, T - horizon]");
}

}  // namespace

void validate(const NetSpec& m) {
  auto need = [](bool ok, const std::string& msg) { if (!ok) throw InvalidArgument(msg); };
  need(m.kind == "lstm" || m.kind == "tide" || m.kind == "tft", "model.kind must be lstm, tide or tft");
  using L = EnergyLimits;
  need(m.lookback >= 1 && m.lookback <= L::kMaxLookback, "lookback must be between 1 and " + std::to_string(L::kMaxLookback));
  need(m.horizon >= 1 && m.horizon <= L::kMaxHorizon, "horizon must be between 1 and " + std::to_string(L::kMaxHorizon));
  need(m.futureDim >= 0 && m.pastDim >= m.futureDim + 1 && m.pastDim <= 128, "pastDim must be 1 + past covariates + futureDim (<= 128)");
  need(m.quantiles >= 1 && m.quantiles <= 9, "1 to 9 quantiles");
  need(m.hidden >= 4 && m.hidden <= 512, "hidden must be between 4 and 512");
  need(m.layers >= 1 && m.layers <= 4, "layers must be between 1 and 4");
  need(m.dropout >= 0 && m.dropout < 1, "dropout must be in [0, 1)");
  if (m.kind == "tide") need(m.decoderDim >= 1 && m.decoderDim <= 64 && m.projDim >= 1 && m.projDim <= 64, "decoderDim and projDim must be between 1 and 64");
  if (m.kind == "tft") {
    need(m.heads >= 1 && m.heads <= 16 && m.hidden % m.heads == 0, "heads must divide hidden");
    need(m.futureDim >= 1, "TFT needs at least one known-in-advance input (calendar)");
  }
}

void validate(const NetTrainSpec& s) {
  validate(s.model);
  const auto& m = s.model;
  if (s.past.shape.size() != 2 || s.past.shape[1] != m.pastDim) throw InvalidArgument("past must be [T, pastDim]");
  const int64_t T = s.past.shape[0];
  if (s.future.shape != std::vector<int64_t>{T, m.futureDim}) throw InvalidArgument("future must be [T, futureDim]");
  if (s.target.shape != std::vector<int64_t>{T}) throw InvalidArgument("target must be [T]");
  if (static_cast<int>(s.quantiles.size()) != m.quantiles) throw InvalidArgument("quantiles must have model.quantiles entries");
  for (size_t i = 0; i < s.quantiles.size(); ++i)
    if (!(s.quantiles[i] > 0 && s.quantiles[i] < 1) || (i && s.quantiles[i] <= s.quantiles[i - 1]))
      throw InvalidArgument("quantiles must be ascending in (0, 1)");
  using L = EnergyLimits;
  if (s.epochs < 1 || s.epochs > L::kMaxNetEpochs) throw InvalidArgument("epochs must be between 1 and " + std::to_string(L::kMaxNetEpochs));
  if (s.batchSize < 1 || s.batchSize > L::kMaxBatchSize) throw InvalidArgument("batchSize must be between 1 and " + std::to_string(L::kMaxBatchSize));
  if (!(s.learningRate > 0 && s.learningRate <= L::kMaxLearningRate)) throw InvalidArgument("learningRate must be in (0, 1]");
  if (s.threads < 1 || s.threads > L::kMaxThreads) throw InvalidArgument("threads must be between 1 and " + std::to_string(L::kMaxThreads));
  checkOrigins(s.trainOrigins, T, m, "trainOrigins");
  checkOrigins(s.valOrigins, T, m, "valOrigins");
}

NetTrainResult trainNet(const NetTrainSpec& spec, const EpochFn& onEpoch, const std::atomic<bool>& cancel) {
  validate(spec);
  try {
    at::set_num_threads(spec.threads);
    torch::manual_seed(spec.seed);
    std::mt19937_64 rng(spec.seed ^ 0x9E3779B97F4A7C15ULL);
    const auto& m = spec.model;
    auto net = makeNet(m);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(spec.learningRate));
    const auto past = torch::nan_to_num(tensorOf(spec.past), 0.0);
    const auto future = torch::nan_to_num(tensorOf(spec.future), 0.0);
    const auto target = tensorOf(spec.target);
    const auto q = torch::tensor(spec.quantiles, torch::kFloat32);
    const auto valOrigins = torch::tensor(spec.valOrigins, torch::kLong);
    std::vector<int64_t> order = spec.trainOrigins;
    const int64_t n = static_cast<int64_t>(order.size());

    NetTrainResult result;
    result.bestValLoss = INFINITY;
    std::vector<Tensor> best;
    for (int epoch = 1; epoch <= spec.epochs; ++epoch) {
      const auto started = std::chrono::steady_clock::now();
      for (int64_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng() % static_cast<uint64_t>(i + 1)]);
      const auto perm = torch::tensor(order, torch::kLong);
      net->train();
      double sum = 0;
      for (int64_t from = 0; from < n; from += spec.batchSize) {
        if (cancel.load(std::memory_order_relaxed)) { result.cancelled = true; break; }
        const int64_t size = std::min<int64_t>(spec.batchSize, n - from);
        const auto o = perm.narrow(0, from, size);
        opt.zero_grad();
        auto pred = net->forward(gather(past, o, -m.lookback, m.lookback), gather(future, o, 0, m.horizon));
        auto loss = pinball(pred, gather(target, o, 0, m.horizon), q);
        const double v = loss.item<double>();
        if (!std::isfinite(v)) throw NonFiniteLoss("training loss is not finite at epoch " + std::to_string(epoch) + "; lower the learning rate");
        loss.backward();
        opt.step();
        sum += v * size;
      }
      if (result.cancelled) break;
      EpochInfo info;
      info.epoch = epoch;
      info.total = spec.epochs;
      info.trainLoss = sum / n;
      {
        torch::NoGradGuard ng;
        net->eval();
        double vs = 0;
        const int64_t nv = valOrigins.size(0);
        for (int64_t from = 0; from < nv; from += 512) {
          const int64_t size = std::min<int64_t>(512, nv - from);
          const auto o = valOrigins.narrow(0, from, size);
          auto pred = net->forward(gather(past, o, -m.lookback, m.lookback), gather(future, o, 0, m.horizon));
          vs += pinball(pred, gather(target, o, 0, m.horizon), q).item<double>() * size;
        }
        info.valLoss = vs / nv;
      }
      if (!std::isfinite(info.valLoss)) throw NonFiniteLoss("validation loss is not finite at epoch " + std::to_string(epoch));
      if (info.valLoss < result.bestValLoss) {
        result.bestValLoss = info.valLoss;
        result.bestEpoch = epoch;
        best = snapshot(*net);
      }
      info.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      result.history.push_back(info);
      if (onEpoch) onEpoch(info);
      if (cancel.load(std::memory_order_relaxed)) { result.cancelled = true; break; }
    }
    if (result.bestEpoch > 0) {
      restore(*net, best);
      result.weights = namedWeights(*net);
    } else {
      result.bestValLoss = NAN;
    }
    return result;
  } catch (const c10::Error& e) {
    throw TorchError(std::string("LibTorch error: ") + e.what_without_backtrace());
  }
}

FloatArray predictNet(const NetSpec& m, const std::vector<NamedWeight>& weights, const FloatArray& past,
                      const FloatArray& future, const Scaling& s, int threads) {
  validate(m);
  if (past.shape.size() != 3 || past.shape[1] != m.lookback || past.shape[2] != m.pastDim)
    throw InvalidArgument("past must be [n, lookback, pastDim]");
  const int64_t n = past.shape[0];
  if (future.shape != std::vector<int64_t>{n, m.horizon, m.futureDim})
    throw InvalidArgument("future must be [n, horizon, futureDim]");
  if (static_cast<int>(s.pastMean.size()) != m.pastDim || static_cast<int>(s.pastStd.size()) != m.pastDim ||
      static_cast<int>(s.futureMean.size()) != m.futureDim || static_cast<int>(s.futureStd.size()) != m.futureDim)
    throw InvalidArgument("scaling has the wrong number of columns");
  try {
    at::set_num_threads(std::max(1, threads));
    torch::NoGradGuard ng;
    auto net = makeNet(m);
    loadWeights(*net, weights, [](const std::string&) { return true; });
    net->eval();
    auto z = [](const Tensor& x, const std::vector<float>& mean, const std::vector<float>& sd) {
      auto t = (x - torch::tensor(mean, torch::kFloat32)) / torch::tensor(sd, torch::kFloat32);
      return torch::where(torch::isnan(t), torch::zeros({}, torch::kFloat32), t);
    };
    auto out = net->forward(z(tensorOf(past), s.pastMean, s.pastStd), z(tensorOf(future), s.futureMean, s.futureStd));
    out = out * s.yStd + s.yMean;
    out = std::get<0>(torch::sort(out, -1));
    FloatArray r;
    r.shape = out.sizes().vec();
    auto c = out.contiguous();
    r.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return r;
  } catch (const c10::Error& e) {
    throw TorchError(std::string("LibTorch error: ") + e.what_without_backtrace());
  }
}

}  // namespace voltlab::energy
