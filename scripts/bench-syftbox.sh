#!/usr/bin/env bash
# SyftBox benchmark: the SyftBox layout over the SyftBox-rule sync simulator at SyftBox's own
# timings (5 s full sync, 50 ms priority debounce): one hop of the file transport (fast names, and a
# message over the 1 MiB priority limit), and a formix-proxy ping-pong round trip in the 3-party
# deployment, each also in full-sync periods. Results: docs/BENCHMARKS.md ("SyftBox").
#   scripts/bench-syftbox.sh [--period-ms 5000] [--trips 10] [--big 2] [--dir DIR]
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$MODULE_CP" io.formix.bench.proxy.SyftBoxBenchmark "$@"
