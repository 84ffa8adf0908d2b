#!/usr/bin/env bash
# Builds the emulated CUDA device (kernel_server.cpp + the unchanged .cu kernels + cuda_emulation.h)
# with g++ three times: plain -O2, AddressSanitizer + UndefinedBehaviorSanitizer, ThreadSanitizer.
# Called by the Maven build at test-compile (gpu/pom.xml); rebuilds a variant only when a source
# is newer than its binary. Without g++ it writes OUT/UNAVAILABLE and exits 0, so that the Java
# test (CudaKernelEmulationTest) fails with that message instead of the build failing here.
#
# It also builds OUT/fake-driver/libcuda.so.1 (fake_libcuda.cpp, the kernels behind cuLaunchKernel,
# plus a stub for every other cu* symbol that the JCuda natives in JCUDA_NATIVES_JAR import), with
# which FakeDriverTest runs JCuda's real binding and JCudaDevice; without nm/unzip it writes
# OUT/fake-driver/UNAVAILABLE instead.
#
# usage: build-emulation.sh OUT_DIR [JCUDA_NATIVES_JAR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cuda="$here/../../main/cuda"
out="$1"
natives="${2:-}"
mkdir -p "$out"
rm -f "$out/UNAVAILABLE"
cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "$cxx not found on PATH: install g++ (12 or newer, C++20) to build the CUDA emulation" > "$out/UNAVAILABLE"
    echo "[cuda-emulation] $(cat "$out/UNAVAILABLE")" >&2
    exit 0
fi
sources=("$here/kernel_server.cpp" "$here/kernel_registry.h" "$here/cuda_emulation.h" "$cuda"/*.cu "$cuda"/*.h)
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
fake_driver() {
    local dir="$out/fake-driver"
    mkdir -p "$dir"
    rm -f "$dir/UNAVAILABLE"
    if ! stale "$dir/libcuda.so.1" && [[ ! "$here/fake_libcuda.cpp" -nt "$dir/libcuda.so.1" ]]; then
        return 0
    fi
    if [[ -z "$natives" || ! -f "$natives" ]] || ! command -v nm >/dev/null || ! command -v unzip >/dev/null; then
        echo "needs nm, unzip and the jcuda-natives jar (got '${natives}')" > "$dir/UNAVAILABLE"
        return 0
    fi
    echo "[cuda-emulation] compiling the fake libcuda.so.1" >&2
    unzip -p "$natives" 'lib/libJCudaDriver-*-linux-x86_64.so' > "$dir/jcuda-driver.so"
    local defined
    defined="$(grep -o '^int cu[A-Za-z0-9_]*' "$here/fake_libcuda.cpp" | cut -d' ' -f2 | sort -u)"
    nm -D --undefined-only "$dir/jcuda-driver.so" | awk '{print $2}' | grep '^cu' | sort -u \
        | comm -23 - <(echo "$defined") \
        | awk '{print "extern \"C\" int " $1 "() { return 801; /* CUDA_ERROR_NOT_SUPPORTED */ }"}' > "$dir/rest.cpp"
    "$cxx" "${common[@]}" -O1 -shared -fPIC -o "$dir/libcuda.so.1" "$here/fake_libcuda.cpp" "$dir/rest.cpp" > "$dir/compile.log" 2>&1
}
if ! fake_driver; then
    echo "[cuda-emulation] building the fake libcuda.so.1 failed:" >&2
    cat "$out/fake-driver/compile.log" >&2 || true
    exit 1
fi

status=0
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        echo "[cuda-emulation] compiling ${names[$i]} failed:" >&2
        cat "$out/${names[$i]}/compile.log" >&2
        status=1
    fi
done
exit $status
