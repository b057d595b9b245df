#!/usr/bin/env bash
# One hop over Syncthing, h1 -> h2, twice: a bare file (the floor) and one FileTransport message,
# medians and p90 side by side with their ratio (target: the message at most 1.3x the bare file).
# Needs the network of net.sh up (3 hosts).
#   scripts/multihost/sync-latency.sh [--dir DIR] [--runs 10] [--size 200] [--gap-ms 2500] [--mode both|bare|formix|roundtrip] [--durable]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/build.sh"
DIR="${FORMIX_MULTIHOST_DIR:-$FORMIX_ROOT/sandbox/multihost}"
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="${2:?--dir needs a folder}"; shift 2 ;;
    *) PASS+=("$1"); shift ;;
  esac
done
[ -f "$DIR/net.env" ] || { echo "sync-latency.sh: no network under $DIR (run: scripts/multihost/net.sh up --dir $DIR)" >&2; exit 1; }
"$FORMIX_ROOT/scripts/multihost/net.sh" status --dir "$DIR"
ALSO=()
[ -d "$DIR/h3/data" ] && ALSO=(--also "$DIR/h3/data")
build_module benchmarks
exec java -XX:+UseSerialGC -cp "$MODULE_CP" io.formix.bench.multihost.SyncLatencyProbe \
  --from "$DIR/h1/data" --to "$DIR/h2/data" "${ALSO[@]}" ${PASS[@]+"${PASS[@]}"}
