#!/usr/bin/env bash
# Formix end to end: `network up` time and propose->reveal time (every light node answering) for
# N = 10, 100, 1000 light nodes, with the node host's peak memory, beside raw floors.
#   scripts/bench-formix.sh [--sizes 10,100,1000] [--transport file|tcp] [--dir DIR] [--sealing sealed|plain|both]
#       [--deadline 120s] [--restart]   (--restart: network down, then time network up until every node runs)
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
mkdir -p "$FORMIX_ROOT/sandbox"
cd "$FORMIX_ROOT"
exec java -Xmx1g -cp "$MODULE_CP" io.formix.bench.formix.FormixBenchmark "$@"
