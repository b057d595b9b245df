#!/usr/bin/env bash
# Opening the file transports of 3 heavy + N light parties on a crowded root (a host restart),
# beside the floor of N+3 root listings and of one.
#   scripts/bench-open.sh [--lights N] [--dir DIR]
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx2g -cp "$MODULE_CP" io.formix.bench.transport.OpenManyBenchmark "$@"
