{
  # LibTorch settings come from native/gyp-config.cjs, which reads
  # LIBTORCH_DIR / LIBTORCH_INCLUDE / LIBTORCH_LIB / VOLTLAB_CUDA / VOLTLAB_CXX11_ABI.
  # Build: npx node-gyp rebuild -j 2   ->  build/Release/voltlab_native.node
  "targets": [
    {
      "target_name": "voltlab_native",
      "sources": [
        "native/binding/addon.cc",
        "native/binding/js-convert.cc",
        "native/binding/train-worker.cc",
        "native/binding/predict.cc",
        "native/binding/info.cc",
        "native/core/model-spec.cc",
        "native/core/mlp.cc",
        "native/core/tanh-block.cc",
        "native/core/bilstm.cc",
        "native/core/bilstm-fused.cc",
        "native/core/lstm-fused.cc",
        "native/core/gemm.cc",
        "native/core/deephpm.cc",
        "native/core/deephpm-fused.cc",
        "native/core/adam.cc",
        "native/core/model-factory.cc",
        "native/core/weights.cc",
        "native/core/checkpoint.cc",
        "native/core/device.cc",
        "native/core/trainer.cc",
        "native/core/predictor.cc",
        "native/core/runtime-info.cc",
        "native/core/array-checks.cc",
        "native/core/blas-threads.cc",
        "native/binding/energy-binding.cc",
        "native/core/energy/gbdt.cc",
        "native/core/energy/nets.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native",
        "<!@(node native/gyp-config.cjs includes)"
      ],
      "defines": [
        "NAPI_CPP_EXCEPTIONS",
        "NAPI_VERSION=8",
        "<!@(node native/gyp-config.cjs defines)"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O3", "-Wno-unused-parameter"],
      "ldflags": ["<!@(node native/gyp-config.cjs ldflags)"],
      "libraries": ["<!@(node native/gyp-config.cjs libs)", "-lxgboost", "-ldl"]
    }
  ]
}
