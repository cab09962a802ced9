// OpenBLAS keeps its own thread pool, which at::set_num_threads does not
// touch. These helpers reach it through dlsym so the configured thread count
// also bounds BLAS. The setting is process-wide (OpenBLAS has one pool).
#pragma once

namespace voltlab {

// Returns false when the loaded BLAS is not OpenBLAS (nothing to do then).
bool setBlasThreads(int threads);

// OpenBLAS's current thread count, or 0 when the BLAS is not OpenBLAS.
int blasThreads();

}  // namespace voltlab
