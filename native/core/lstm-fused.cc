#include "core/lstm-fused.h"

#include <cstring>

#include "core/gemm.h"
#include "core/vector-tanh.h"

namespace voltlab::lstm {
namespace {

namespace generic {
inline void tanhRow(float* x, int64_t n) { simd::tanhRowScalar(x, n); }
#include "core/lstm-fused-kernels.inc"
}  // namespace generic

#ifdef VOLTLAB_X86_AVX2
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
inline void tanhRow(float* x, int64_t n) { simd::tanhRowWide(x, n); }
#include "core/lstm-fused-kernels.inc"
}  // namespace avx2
#pragma GCC pop_options
#endif

void cellForward(int64_t rows, int64_t H, float* gates, const float* cPrev, float* c, float* tc,
                 float* h, int64_t ldh) {
#ifdef VOLTLAB_X86_AVX2
  if (simd::hasAvx2()) return avx2::cellForward(rows, H, gates, cPrev, c, tc, h, ldh);
#endif
  generic::cellForward(rows, H, gates, cPrev, c, tc, h, ldh);
}

template <bool D, bool R, bool C>
void cellBackwardCase(int64_t rows, int64_t H, float* gates, const float* cPrev, const float* tc,
                      const float* dOut, int64_t ldd, const float* dhRec, float* dc) {
#ifdef VOLTLAB_X86_AVX2
  if (simd::hasAvx2()) {
    return avx2::cellBackward<D, R, C>(rows, H, gates, cPrev, tc, dOut, ldd, dhRec, dc);
  }
#endif
  generic::cellBackward<D, R, C>(rows, H, gates, cPrev, tc, dOut, ldd, dhRec, dc);
}

// One loop per combination of present inputs, so that each vectorises.
void cellBackward(int64_t rows, int64_t H, float* gates, const float* cPrev, const float* tc,
                  const float* dOut, int64_t ldd, const float* dhRec, float* dc) {
  using Fn = void (*)(int64_t, int64_t, float*, const float*, const float*, const float*, int64_t,
                      const float*, float*);
  static const Fn cases[8] = {
      cellBackwardCase<false, false, false>, cellBackwardCase<false, false, true>,
      cellBackwardCase<false, true, false>,  cellBackwardCase<false, true, true>,
      cellBackwardCase<true, false, false>,  cellBackwardCase<true, false, true>,
      cellBackwardCase<true, true, false>,   cellBackwardCase<true, true, true>};
  const int which = (dOut ? 4 : 0) + (dhRec ? 2 : 0) + (cPrev ? 1 : 0);
  cases[which](rows, H, gates, cPrev, tc, dOut, ldd, dhRec, dc);
}

float* fit(std::vector<float>& v, int64_t size) {
  if (static_cast<int64_t>(v.size()) < size) v.resize(size);
  return v.data();
}

// Position of processing step k.
int64_t position(const Shape& s, int64_t k) { return s.reverse ? s.steps - 1 - k : k; }

}  // namespace

void forward(const Params& p, const Shape& s, const float* in, int64_t ldIn, float* out,
             int64_t ldOut, const float* h0, const float* c0, Tape* tape) {
  const int64_t B = s.batch, H = s.hidden, G = 4 * H, t0 = s.first();
  const int64_t rows = s.count * B;
  // Tape rows are indexed by position - t0.
  float* gates = fit(tape->gates, rows * G);
  float* cells = fit(tape->cells, rows * H);
  float* tanhCells = fit(tape->tanhCells, rows * H);
  // Input-to-gate products of every covered step, plus both biases.
  std::vector<float> bias(G);
  for (int64_t j = 0; j < G; ++j) bias[j] = p.bih[j] + p.bhh[j];
  for (int64_t r = 0; r < rows; ++r) std::memcpy(gates + r * G, bias.data(), G * sizeof(float));
  gemm(false, true, rows, G, s.inputs, in + t0 * B * ldIn, ldIn, p.wih, s.inputs, 1.f, gates, G);
  for (int64_t k = 0; k < s.count; ++k) {
    const int64_t t = position(s, k), prev = s.reverse ? t + 1 : t - 1;
    float* g = gates + (t - t0) * B * G;
    const float* hPrev = k > 0 ? out + prev * B * ldOut : h0;
    const int64_t ldh = k > 0 ? ldOut : H;
    const float* cPrev = k > 0 ? cells + (prev - t0) * B * H : c0;
    if (hPrev) gemm(false, true, B, G, H, hPrev, ldh, p.whh, H, 1.f, g, G);
    cellForward(B, H, g, cPrev, cells + (t - t0) * B * H, tanhCells + (t - t0) * B * H,
                out + t * B * ldOut, ldOut);
  }
}

const float* finalCell(const Shape& s, const Tape& tape) {
  return tape.cells.data() + (s.last() - s.first()) * s.batch * s.hidden;
}

void backward(const Params& p, const Shape& s, const float* in, int64_t ldIn, const float* out,
              int64_t ldOut, const float* dOut, int64_t ldDOut, const float* h0,
              const float* c0, const float* dhLast, const float* dcLast, float* dIn,
              bool overwriteDIn, float* dh0, float* dc0, Tape* tape) {
  const int64_t B = s.batch, H = s.hidden, G = 4 * H, t0 = s.first();
  const int64_t rows = s.count * B;
  float* gates = tape->gates.data();
  const float* cells = tape->cells.data();
  const float* tanhCells = tape->tanhCells.data();
  std::vector<float> dc(B * H, 0.f), dhRec(B * H, 0.f);
  if (dcLast) std::memcpy(dc.data(), dcLast, B * H * sizeof(float));
  const float* rec = nullptr;
  if (dhLast) {
    std::memcpy(dhRec.data(), dhLast, B * H * sizeof(float));
    rec = dhRec.data();
  }
  for (int64_t k = s.count - 1; k >= 0; --k) {
    const int64_t t = position(s, k), prev = s.reverse ? t + 1 : t - 1;
    float* g = gates + (t - t0) * B * G;
    const float* cPrev = k > 0 ? cells + (prev - t0) * B * H : c0;
    cellBackward(B, H, g, cPrev, tanhCells + (t - t0) * B * H,
                 dOut ? dOut + t * B * ldDOut : nullptr, ldDOut, rec, dc.data());
    if (k > 0) {
      gemm(false, false, B, H, G, g, G, p.whh, H, 0.f, dhRec.data(), H);
      rec = dhRec.data();
    } else if (dh0) {
      gemm(false, false, B, H, G, g, G, p.whh, H, 0.f, dh0, H);
    }
  }
  if (dc0) std::memcpy(dc0, dc.data(), B * H * sizeof(float));
  // Recurrent weights: the step at position t reads h at prev; covered steps
  // after the first form one block of positions on each side.
  if (s.count > 1) {
    const int64_t gFrom = s.reverse ? t0 : 1, hFrom = s.reverse ? t0 + 1 : 0;
    gemm(true, false, G, H, (s.count - 1) * B, gates + (gFrom - t0) * B * G, G,
         out + hFrom * B * ldOut, ldOut, 1.f, p.gWhh, H);
  }
  if (h0) {
    const int64_t tFirst = position(s, 0);
    gemm(true, false, G, H, B, gates + (tFirst - t0) * B * G, G, h0, H, 1.f, p.gWhh, H);
  }
  gemm(true, false, G, s.inputs, rows, gates, G, in + t0 * B * ldIn, ldIn, 1.f, p.gWih, s.inputs);
  if (dIn) {
    gemm(false, false, rows, s.inputs, G, gates, G, p.wih, s.inputs, overwriteDIn ? 0.f : 1.f,
         dIn + t0 * B * ldIn, ldIn);
  }
  // Both biases receive the column sums of the gate gradients.
  std::vector<float> sums(G, 0.f);
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * G;
    for (int64_t j = 0; j < G; ++j) sums[j] += g[j];
  }
  for (int64_t j = 0; j < G; ++j) {
    p.gBih[j] += sums[j];
    p.gBhh[j] += sums[j];
  }
}

}  // namespace voltlab::lstm
