#!/usr/bin/env bash
# mpc benchmarks (scalar and 1M-element vector sharing, accumulation, encodings) beside raw floors.
#   scripts/bench-mpc.sh [--quick] [--scalar]
# The JVM gets --add-modules jdk.incubator.vector, so vector sharing uses the SIMD kernel;
# --scalar measures the scalar kernel instead (-Dformix.mpc.simd=off), what JVMs without the module get.
# Exit code 0 when the targets (vector sharing with VectorSharer, every layout and mode, >= 50 % of the
# raw PRG rate; accumulation >= 50 % of a plain int[] add loop; Z/2^64 compressed sharing and seeded
# accumulation of 1M longs at most 2x the time of Z/2^32 at 2M ints, the same bytes) are met, 1 when one is missed.
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
cd "$FORMIX_ROOT"
kernel=(--add-modules jdk.incubator.vector)
args=()
for a in "$@"; do
  case "$a" in
    --scalar) kernel+=(-Dformix.mpc.simd=off) ;;
    *) args+=("$a") ;;
  esac
done
exec java -Xms1g -Xmx1g -XX:+UseParallelGC "${kernel[@]}" -cp "$MODULE_CP" io.formix.bench.mpc.MpcBenchmark ${args[@]+"${args[@]}"}
