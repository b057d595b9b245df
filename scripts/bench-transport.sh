#!/usr/bin/env bash
# Transport benchmarks (file on tmpfs and disk, durable on/off; TCP; idle receiver) beside raw floors.
#   scripts/bench-transport.sh [--quick] [--tmpfs DIR] [--disk DIR]
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx2g -cp "$MODULE_CP" io.formix.bench.transport.TransportBenchmark "$@"
