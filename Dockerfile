# syntax=docker/dockerfile:1
# VoltLab images, on Debian 12 (bookworm) with the official Node.js build:
#   docker build -t voltlab .                          web process (default CMD) and CPU worker
#   docker build --target gpu-worker -t voltlab-gpu .  worker with a CUDA build of the addon
# compose.yaml runs them (README "Deploy"). LibTorch, OpenBLAS and XGBoost come from Debian,
# as on a bare machine; the GPU worker's LibTorch comes from a PyTorch wheel instead.

ARG NODE_VERSION=24

# ---- shared base: Node.js on Debian 12 ------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
# A dedicated unprivileged user; the store folder (used only without S3) belongs to it.
RUN useradd --system --uid 10001 --create-home --home-dir /home/voltlab voltlab \
 && mkdir -p /var/lib/voltlab/data && chown voltlab /var/lib/voltlab/data

# ---- compilers and headers for the native addon ---------------------------------------------
FROM base AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 libtorch-dev libopenblas0-pthread libxgboost-dev \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against this Node's own headers (in the image), never downloading any.
ENV npm_config_nodedir=/usr/local

# ---- npm packages, the addon (Debian LibTorch) and the web build ----------------------------
FROM toolchain AS build
COPY package.json package-lock.json .npmrc binding.gyp ./
COPY scripts/build-addon.sh scripts/build-addon.sh
COPY native native
# The package's install script (scripts/build-addon.sh) builds build/Release/voltlab_native.node.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

# ---- web process and CPU worker --------------------------------------------------------------
FROM base AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libtorch1.13 libopenblas0-pthread libxgboost0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# .local: where a process keeps a generated JWT secret when JWT_SECRET is unset.
RUN mkdir -p /app/.local && chown voltlab /app/.local
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/voltlab/data
USER voltlab
EXPOSE 3000
# Liveness: /healthz answers (readiness, /readyz, also checks the database and the store).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "docker/healthcheck.mjs"]
# The web process; the worker runs the same image with: node --import tsx jobs/worker.ts
CMD ["node", "--import", "tsx", "server/index.ts"]

# ---- GPU worker: the addon built against CUDA LibTorch from a PyTorch wheel -------------------
FROM toolchain AS gpu-build
# The wheel's version and index (its CUDA line). Wheels from 2.7 on use the C++11 ABI
# (VOLTLAB_CXX11_ABI=1); older ones need VOLTLAB_CXX11_ABI=0.
ARG TORCH_VERSION=2.7.1
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126
ARG VOLTLAB_CXX11_ABI=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/torch \
 && /opt/torch/bin/pip install --no-cache-dir "torch==${TORCH_VERSION}" --index-url "${TORCH_INDEX_URL}"
ENV LIBTORCH_DIR=/opt/torch/lib/python3.11/site-packages/torch \
    VOLTLAB_CUDA=1 \
    VOLTLAB_CXX11_ABI=${VOLTLAB_CXX11_ABI}
COPY package.json package-lock.json .npmrc binding.gyp ./
COPY scripts/build-addon.sh scripts/build-addon.sh
COPY native native
RUN npm install --no-audit --no-fund
COPY . .

FROM base AS gpu-worker
# XGBoost and OpenBLAS from Debian; LibTorch and the CUDA runtime libraries come with the wheel
# (the host needs only the NVIDIA driver and the container toolkit).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0-pthread libxgboost0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=gpu-build /opt/torch /opt/torch
COPY --from=gpu-build /app /app
RUN mkdir -p /app/.local && chown voltlab /app/.local
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/voltlab/data
USER voltlab
CMD ["node", "--import", "tsx", "jobs/worker.ts"]
