#!/usr/bin/env bash
# Transport benchmarks (file on tmpfs and disk, durable on/off; TCP; idle receiver) beside raw floors.
#   scripts/bench-transport.sh [--quick] [--tcp-only] [--tmpfs DIR] [--disk DIR]
#   scripts/bench-transport.sh --tcp-nodes N    N light TCP nodes and 3 heavy ones in one JVM:
#                                              threads, peak RSS and heap after one message each way
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
if [ "${1:-}" = "--tcp-nodes" ]; then
  exec java -Xmx2g -cp "$MODULE_CP" io.formix.bench.transport.TcpNodesBenchmark "${2:-1000}"
fi
exec java -Xmx2g -cp "$MODULE_CP" io.formix.bench.transport.TransportBenchmark "$@"
