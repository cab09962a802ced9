// What LibTorch this process runs on: version, CUDA, threads, BLAS.
#pragma once

#include <string>

namespace voltlab {

struct RuntimeInfo {
  std::string torchVersion;
  bool cudaCompiled = false;  // built with VOLTLAB_CUDA (linked torch_cuda)
  bool cudaAvailable = false;
  int cudaDeviceCount = 0;
  std::string defaultDevice;  // "cuda" when available, else "cpu"
  int threadsCallingThread = 0;  // torch::get_num_threads() on the calling thread
  int threadsTrainingDefault = 1;
  int blasThreads = 0;        // OpenBLAS pool size (0: not OpenBLAS)
  std::string blas;           // e.g. "openblas (/usr/lib/.../openblas-pthread/libblas.so.3)"
  std::string parallelInfo;   // at::get_parallel_info()
  std::string buildConfig;    // at::show_config()
};

RuntimeInfo runtimeInfo();

}  // namespace voltlab
