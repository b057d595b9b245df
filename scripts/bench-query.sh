#!/usr/bin/env bash
# Query evaluation on one light node: a count, a sum and a histogram over a generated 1,000,000-row
# CSV, each beside the floor of a bare BufferedReader line split of the same file in the same run.
#   scripts/bench-query.sh [--quick] [--rows N]
# Exit code 0 when every query runs at >= 50 % of the floor's rows per second, 1 when one misses it.
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
cd "$FORMIX_ROOT"
exec java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$MODULE_CP" io.formix.bench.query.QueryBenchmark "$@"
