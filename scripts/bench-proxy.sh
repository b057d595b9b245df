#!/usr/bin/env bash
# Proxy benchmark: app -> formix-proxy -> files -> formix-proxy -> app, beside the file transport
# alone and a bare TCP socket, in the same run. Results and targets: docs/BENCHMARKS.md ("Proxy").
#   scripts/bench-proxy.sh [--quick] [--dir DIR] [--durable] [--mib N] [--trips N] [--reps N]
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$MODULE_CP" io.formix.bench.proxy.ProxyBenchmark "$@"
