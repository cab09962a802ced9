#!/usr/bin/env bash
# Builds the LibTorch addon (build/Release/voltlab_native.node) with node-gyp when it is
# missing or older than its sources. Runs as the package's install script and from the
# start/test scripts. LIBTORCH_DIR / LIBTORCH_INCLUDE / LIBTORCH_LIB / VOLTLAB_CUDA=1 select
# another LibTorch (see native/gyp-config.cjs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="build/Release/voltlab_native.node"
if [ "${VOLTLAB_SKIP_ADDON:-0}" = "1" ]; then exit 0; fi
if [ -f "$OUT" ] && [ -z "$(find native binding.gyp -newer "$OUT" \( -name '*.cc' -o -name '*.h' -o -name '*.gyp' -o -name '*.cjs' \) -not -path 'native/tests/*' 2>/dev/null | head -1)" ]; then
  exit 0
fi
if [ ! -d /usr/include/torch ] && [ -z "${LIBTORCH_DIR:-}${LIBTORCH_INCLUDE:-}" ]; then
  echo "[voltlab] LibTorch headers not found: apt-get install libtorch-dev libopenblas0-pthread libxgboost-dev (npm start / npm test do this)" >&2
  exit 1
fi
mkdir -p .local
echo "[voltlab] building the native addon (LibTorch; several minutes on 2 cores; log in .local/addon-build.log)" >&2
if ! npx --no-install node-gyp rebuild -j 2 >.local/addon-build.log 2>&1; then
  tail -40 .local/addon-build.log >&2
  exit 1
fi
