#include "core/gemm.h"

#include <dlfcn.h>
#include <torch/torch.h>

#include <cstring>

namespace voltlab {
namespace {

using SgemmFn = void (*)(const char*, const char*, const int*, const int*, const int*,
                         const float*, const float*, const int*, const float*, const int*,
                         const float*, float*, const int*);

SgemmFn findSgemm() {
  if (void* f = dlsym(RTLD_DEFAULT, "sgemm_")) return reinterpret_cast<SgemmFn>(f);
  for (const char* lib : {"libblas.so.3", "libopenblas.so.0", "libopenblas.so"}) {
    if (void* handle = dlopen(lib, RTLD_NOW | RTLD_NOLOAD)) {
      if (void* f = dlsym(handle, "sgemm_")) return reinterpret_cast<SgemmFn>(f);
    }
  }
  return nullptr;
}

}  // namespace

void gemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    for (int64_t i = 0; i < M; ++i) {
      float* row = C + i * ldc;
      if (beta == 0) {
        std::memset(row, 0, N * sizeof(float));
      } else {
        for (int64_t j = 0; j < N; ++j) row[j] *= beta;
      }
    }
    return;
  }
  static const SgemmFn sgemm = findSgemm();
  if (sgemm) {
    // BLAS is column-major: a row-major matrix is its transpose there, so
    // compute C^T = op(B)^T op(A)^T.
    const char transB = tB ? 'T' : 'N', transA = tA ? 'T' : 'N';
    const int m = static_cast<int>(N), n = static_cast<int>(M), k = static_cast<int>(K);
    const int la = static_cast<int>(ldb), lb = static_cast<int>(lda), lc = static_cast<int>(ldc);
    const float one = 1.f;
    if (beta == 0) {
      // OpenBLAS clears C in a separate pass that is slower than memset.
      for (int64_t i = 0; i < M; ++i) std::memset(C + i * ldc, 0, N * sizeof(float));
    }
    const float b = beta == 0 ? 1.f : beta;
    sgemm(&transB, &transA, &m, &n, &k, &one, B, &la, A, &lb, &b, C, &lc);
    return;
  }
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32);
  auto a = torch::from_blob(const_cast<float*>(A), {tA ? K : M, tA ? M : K}, {lda, 1}, opts);
  auto b = torch::from_blob(const_cast<float*>(B), {tB ? N : K, tB ? K : N}, {ldb, 1}, opts);
  auto c = torch::from_blob(C, {M, N}, {ldc, 1}, opts);
  auto product = torch::mm(tA ? a.t() : a, tB ? b.t() : b);
  if (beta == 0) {
    c.copy_(product);
  } else {
    c.mul_(beta).add_(product);
  }
}

}  // namespace voltlab
