#!/usr/bin/env bash
# Builds the emulated CUDA device (kernel_server.cpp + the unchanged .cu kernels + cuda_emulation.h)
# with g++ three times: plain -O2, AddressSanitizer + UndefinedBehaviorSanitizer, ThreadSanitizer.
# Called by the Maven build at test-compile (gpu/pom.xml); rebuilds a variant only when a source
# is newer than its binary. Without g++ it writes OUT/UNAVAILABLE and exits 0, so that the Java
# test (CudaKernelEmulationTest) fails with that message instead of the build failing here.
#
# usage: build-emulation.sh OUT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cuda="$here/../../main/cuda"
out="$1"
mkdir -p "$out"
rm -f "$out/UNAVAILABLE"
cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "$cxx not found on PATH: install g++ (12 or newer, C++20) to build the CUDA emulation" > "$out/UNAVAILABLE"
    echo "[cuda-emulation] $(cat "$out/UNAVAILABLE")" >&2
    exit 0
fi
sources=("$here/kernel_server.cpp" "$here/cuda_emulation.h" "$cuda"/*.cu "$cuda"/*.h)
common=(-std=c++20 -pthread -Wall -Wextra -Werror -I"$cuda")
declare -A flags=(
    [plain]="-O2"
    [asan]="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
    [tsan]="-O1 -g -fsanitize=thread"
)

stale() {
    local binary="$1"
    [[ -x "$binary" ]] || return 0
    local s
    for s in "${sources[@]}" "$0"; do
        [[ "$s" -nt "$binary" ]] && return 0
    done
    return 1
}

pids=()
names=()
for variant in plain asan tsan; do
    mkdir -p "$out/$variant"
    binary="$out/$variant/kernel_server"
    if stale "$binary"; then
        echo "[cuda-emulation] compiling $variant" >&2
        # shellcheck disable=SC2086
        ( "$cxx" "${common[@]}" ${flags[$variant]} -o "$binary.tmp" "$here/kernel_server.cpp" \
            > "$out/$variant/compile.log" 2>&1 && mv "$binary.tmp" "$binary" ) &
        pids+=($!)
        names+=("$variant")
    fi
done
status=0
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        echo "[cuda-emulation] compiling ${names[$i]} failed:" >&2
        cat "$out/${names[$i]}/compile.log" >&2
        status=1
    fi
done
exit $status
