// tanh over a row of floats for the fused CPU kernels (DeepHPM, LSTM).
//
// glibc's vector tanhf (libmvec >= 2.35, AVX2 variant; within 1 ulp, about
// 2.3x faster than the Sleef tanh LibTorch calls) is looked up at run time, so
// that the addon still loads, with the scalar tanh, on an older glibc.
#pragma once

#include <dlfcn.h>

#include <cmath>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VOLTLAB_X86_AVX2 1
#endif

namespace voltlab::simd {

inline void tanhRowScalar(float* x, int64_t n) {
  for (int64_t j = 0; j < n; ++j) x[j] = std::tanh(x[j]);
}

#ifdef VOLTLAB_X86_AVX2
using VectorTanh = __m256 (*)(__m256);

inline VectorTanh findVectorTanh() {
  static const VectorTanh found = [] {
    void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
    return lib ? reinterpret_cast<VectorTanh>(dlsym(lib, "_ZGVdN8v_tanhf")) : nullptr;
  }();
  return found;
}

__attribute__((target("avx2,fma"))) inline void tanhRowAvx2(float* x, int64_t n) {
  static const VectorTanh vectorTanh = findVectorTanh();
  int64_t j = 0;
  if (vectorTanh) {
    for (; j + 8 <= n; j += 8) _mm256_storeu_ps(x + j, vectorTanh(_mm256_loadu_ps(x + j)));
  }
  for (; j < n; ++j) x[j] = std::tanh(x[j]);
}

// The AVX-512 variant (16 lanes) where the CPU has AVX-512F; else tanhRowAvx2.
// Used by the LSTM kernels only (the DeepHPM figures were recorded with the
// AVX2 variant, which may round differently in the last place).
using VectorTanh16 = __m512 (*)(__m512);

__attribute__((target("avx512f"))) inline void tanhRowAvx512(float* x, int64_t n,
                                                             VectorTanh16 f) {
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) _mm512_storeu_ps(x + j, f(_mm512_loadu_ps(x + j)));
  for (; j < n; ++j) x[j] = std::tanh(x[j]);
}

inline void tanhRowWide(float* x, int64_t n) {
  static const VectorTanh16 wide = [] {
    if (!__builtin_cpu_supports("avx512f")) return VectorTanh16{nullptr};
    void* lib = dlopen("libmvec.so.1", RTLD_NOW | RTLD_LOCAL);
    return lib ? reinterpret_cast<VectorTanh16>(dlsym(lib, "_ZGVeN16v_tanhf")) : nullptr;
  }();
  if (wide) return tanhRowAvx512(x, n, wide);
  tanhRowAvx2(x, n);
}

inline bool hasAvx2() {
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return yes;
}
#else
inline bool hasAvx2() { return false; }
#endif

}  // namespace voltlab::simd
