#include "core/runtime-info.h"

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <link.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/blas-threads.h"

namespace voltlab {
namespace {

// Finds the BLAS library actually mapped into this process. Debian's
// libblas.so.3 is an alternatives symlink, so resolve it to its real path
// (e.g. .../openblas-pthread/libblas.so.3).
int collectLibrary(struct dl_phdr_info* info, size_t, void* data) {
  auto* found = static_cast<std::vector<std::string>*>(data);
  if (info->dlpi_name == nullptr || info->dlpi_name[0] == '\0') return 0;
  const char* base = std::strrchr(info->dlpi_name, '/');
  base = base ? base + 1 : info->dlpi_name;
  if (std::strstr(base, "blas") || std::strstr(base, "mkl_") || std::strstr(base, "lapack")) {
    char resolved[PATH_MAX];
    found->push_back(realpath(info->dlpi_name, resolved) ? resolved : info->dlpi_name);
  }
  return 0;
}

std::string detectBlas() {
  std::vector<std::string> libs;
  dl_iterate_phdr(collectLibrary, &libs);
  std::string kind = "unknown";
  std::string joined;
  for (const auto& lib : libs) {
    joined += (joined.empty() ? "" : ", ") + lib;
    if (lib.find("openblas") != std::string::npos) kind = "openblas";
    else if (lib.find("mkl") != std::string::npos && kind == "unknown") kind = "mkl";
    else if (lib.find("blis") != std::string::npos && kind == "unknown") kind = "blis";
    else if (lib.find("libblas") != std::string::npos && kind == "unknown") kind = "reference";
  }
  return joined.empty() ? kind : kind + " (" + joined + ")";
}

}  // namespace

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;
#ifdef VOLTLAB_CUDA
  info.cudaCompiled = true;
#endif
  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
  info.defaultDevice = info.cudaAvailable ? "cuda" : "cpu";
  info.threadsCallingThread = at::get_num_threads();
  info.threadsTrainingDefault = 1;
  info.blas = detectBlas();
  info.blasThreads = blasThreads();
  info.parallelInfo = at::get_parallel_info();
  info.buildConfig = at::show_config();
  return info;
}

}  // namespace voltlab
