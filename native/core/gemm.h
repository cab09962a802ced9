// Row-major single-precision matrix product through the BLAS LibTorch links
// (OpenBLAS on Debian), for the fused CPU training steps. LibTorch builds that
// carry a private BLAS (pip wheels) expose no sgemm_: then it runs as at::mm.
#pragma once

#include <cstdint>

namespace voltlab {

// C[M, N] = op(A) op(B) + beta C, op(X) = X or X^T; lda, ldb, ldc are row
// strides. beta 0 overwrites C (whatever it held, NaN included).
void gemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

}  // namespace voltlab
