#!/usr/bin/env bash
# transport-seal benchmark: seal+sign and verify+open of a 64-byte message, each beside the bare
# BouncyCastle primitives (HPKE seal + Ed25519 sign; Ed25519 verify + HPKE open) measured in the same run.
#   scripts/bench-seal.sh [--quick]
# Exit code 0 when both rates are at least 80 % of their bare primitives, 1 when one is missed.
set -euo pipefail
source "$(dirname "$0")/lib/build.sh"
build_module benchmarks
cd "$FORMIX_ROOT"
exec java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$MODULE_CP" io.formix.bench.seal.SealBenchmark "$@"
