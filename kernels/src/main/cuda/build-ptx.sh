#!/usr/bin/env bash
# Compiles every kernels/src/main/cuda/*.cu to PTX for the Maven build (phase generate-resources).
# Usage: build-ptx.sh SOURCE_DIR OUTPUT_DIR
# nvcc is $NVCC if set (NVCC=none builds without kernels), else looked up in $CUDA_HOME/bin, PATH and
# /usr/local/cuda/bin. Without it the build still succeeds: OUTPUT_DIR gets a file NO_KERNELS naming the
# reason, and the CUDA backend reports it.
# Target: PTX for compute_80 (A100 and newer; the driver JIT-compiles it for the card at load time).
# PTX from nvcc 13 needs a driver >= 580. KMERL_PTX_ARCH overrides the target (e.g. compute_90).
set -euo pipefail
src=$1
out=$2
arch=${KMERL_PTX_ARCH:-compute_80}
mkdir -p "$out"
nvcc=""
if [[ -n ${NVCC:-} ]]; then
  [[ -x $NVCC ]] && nvcc=$NVCC
else
  for candidate in "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" "$(command -v nvcc || true)" /usr/local/cuda/bin/nvcc; do
    if [[ -n $candidate && -x $candidate ]]; then nvcc=$candidate; break; fi
  done
fi
if [[ -z $nvcc ]]; then
  echo "nvcc was not found (NVCC, CUDA_HOME, PATH, /usr/local/cuda/bin) when this jar was built" > "$out/NO_KERNELS"
  rm -f "$out"/*.ptx
  echo "[kmerl] nvcc not found: building without CUDA kernels" >&2
  exit 0
fi
rm -f "$out/NO_KERNELS"
for cu in "$src"/*.cu; do
  ptx="$out/$(basename "${cu%.cu}").ptx"
  # Rebuild when the source or any shared header is newer than the PTX.
  stale=0
  [[ ! -f $ptx || $cu -nt $ptx ]] && stale=1
  for header in "$src"/*.cuh; do
    [[ $header -nt $ptx ]] && stale=1
  done
  if (( stale )); then
    "$nvcc" -ptx -arch="$arch" -O3 -lineinfo -I"$src" -o "$ptx" "$cu"
  fi
done
