// Prints LibTorch build settings for binding.gyp (and native/tests/Makefile).
// Usage: node native/gyp-config.cjs <includes|libdir|libs|defines|ldflags>
//
// Environment overrides (for a GPU server with a CUDA build of PyTorch):
//   LIBTORCH_DIR      root holding include/ and lib/ (e.g. .../site-packages/torch)
//   LIBTORCH_INCLUDE  include root (default /usr/include, Debian libtorch-dev)
//   LIBTORCH_LIB      library dir  (default /usr/lib/x86_64-linux-gnu)
//   VOLTLAB_CUDA=1    also link torch_cuda and c10_cuda (kept with --no-as-needed)
//   VOLTLAB_CXX11_ABI 0 or 1 (default 1; pip wheels before 2.x use 0)
"use strict";
const path = require("node:path");

const env = process.env;
const dir = env.LIBTORCH_DIR;
const include = env.LIBTORCH_INCLUDE || (dir ? path.join(dir, "include") : "/usr/include");
const libdir = env.LIBTORCH_LIB || (dir ? path.join(dir, "lib") : "/usr/lib/x86_64-linux-gnu");
const cuda = env.VOLTLAB_CUDA === "1";
const abi = env.VOLTLAB_CXX11_ABI === "0" ? "0" : "1";

// Never pass -I/usr/include: it breaks libstdc++'s #include_next.
const includes = [include, path.join(include, "torch/csrc/api/include")].filter(
  (p) => path.resolve(p) !== "/usr/include",
);
const libs = cuda
  ? ["-Wl,--no-as-needed", "-ltorch_cuda", "-lc10_cuda", "-ltorch", "-ltorch_cpu", "-lc10"]
  : ["-ltorch", "-ltorch_cpu", "-lc10"];
const defines = [`_GLIBCXX_USE_CXX11_ABI=${abi}`, ...(cuda ? ["VOLTLAB_CUDA=1"] : [])];

const what = process.argv[2];
const out = {
  includes,
  libdir: [libdir],
  libs,
  defines,
  ldflags: [`-L${libdir}`, `-Wl,-rpath,${libdir}`],
}[what];
if (!out) {
  console.error(`usage: gyp-config.cjs includes|libdir|libs|defines|ldflags (got ${what})`);
  process.exit(2);
}
console.log(out.join(" "));
