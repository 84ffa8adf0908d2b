#!/usr/bin/env bash
# Runs the engine benchmarks in several fresh JVMs, 1 and 2 threads interleaved, and prints for each
# benchmark and thread count the median of the per-process medians with their min-max, the way
# ../shared/oracle/minkowski/TIMINGS.md reports MinkowskiEngine. Usage:
#   bench/scripts/engine-medians.sh [rounds (default 5)] [case dir]
# Raw output of every process goes to bench/target/engine-medians/.
set -euo pipefail
rounds=${1:-5}
case_dir=${2:-../shared/oracle/minkowski/i_large_lidar_k3s1_D4}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bench/target/minkstream-bench.jar"
out="$root/bench/target/engine-medians"
mkdir -p "$out"
# Run a private copy: a concurrent build that rewrites the jar must not break a running JVM.
cp "$jar" "$out/bench.jar"
rm -f "$out"/run-*.txt
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    {
      echo "# round $r threads $t $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
      java -jar "$out/bench.jar" engine --case "$case_dir" --threads "$t" --repeats 11 --warmups 5 2>&1
    } > "$out/run-$r-$t.txt"
  done
done
grep -h '^engine ' "$out"/run-*.txt | awk '
  { split($3, t, "="); split($4, m, "="); key = $2 " threads=" t[2]; v[key] = v[key] " " m[2] }
  END {
    for (k in v) {
      n = split(v[k], a, " ")
      for (i = 2; i <= n; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] + 0 > x + 0) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
      med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      printf "%-45s median_ms=%8.2f  [%.2f-%.2f] over %d processes\n", k, med, a[1], a[n], n
    }
  }' | sort
echo "# 1-thread CPU time of the benchmark thread (median over processes of the per-process medians):"
grep -h 'median_cpu_ms=' "$out"/run-*-1.txt | awk '
  { split($3, m, "="); v[$2] = v[$2] " " m[2] }
  END {
    for (k in v) {
      n = split(v[k], a, " ")
      for (i = 2; i <= n; i++) { x = a[i]; j = i - 1; while (j > 0 && a[j] + 0 > x + 0) { a[j + 1] = a[j]; j-- } a[j + 1] = x }
      med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      printf "%-45s cpu_ms=%8.2f  [%.2f-%.2f]\n", k, med, a[1], a[n]
    }
  }' | sort
echo "# load average during the runs:"; grep -h '^# round' "$out"/run-*.txt
