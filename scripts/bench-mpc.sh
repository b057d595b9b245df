#!/usr/bin/env bash
# mpc benchmarks (scalar and 1M-element vector sharing, accumulation, encodings) beside raw floors.
#   scripts/bench-mpc.sh [--quick]
# Exit code 0 when the targets (vector sharing into reused arrays >= 50 % of the raw PRG rate,
# accumulation >= 50 % of a plain int[] add loop) are met, 1 when one is missed.
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
cd "$FORMIX_ROOT"
exec java -Xms1g -Xmx1g -XX:+UseParallelGC -cp "$MODULE_CP" io.formix.bench.mpc.MpcBenchmark "$@"
