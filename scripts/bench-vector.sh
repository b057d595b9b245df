#!/usr/bin/env bash
# Vector answers end to end: 3 heavy + N light nodes, each answering a vector query of L elements
# from a command source (seed-compressed shares over Z/2^64); propose->reveal time and the host's
# peak memory at two N, beside the same arithmetic through mpc alone.
#   scripts/bench-vector.sh [--lights 100] [--length 1000000] [--compare 25] [--deadline 120s] [--dir DIR]
#     [--no-fast-kernels]   (hosts run with network up --fast-kernels unless this is given)
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx2g -cp "$MODULE_CP" io.formix.bench.formix.VectorBenchmark "$@"
