#!/usr/bin/env bash
# proxy-demo.sh: the counterpart of the seed's syqure.sh. Three TCP parties compute a sum with
# additive secret shares mod 2^32, each behind its own formix-proxy, all traffic going through
# files in a fresh folder under sandbox/. Prints message counts per channel while they flow, then
# the sum, and checks it. On exit or Ctrl-C it stops exactly the processes it started (by pid).
#
#   scripts/proxy-demo.sh                  # ports 8000/9000/10000 as in the seed
#   PROXY_DEMO_BASES="18000 19000 20000" PROXY_DEMO_ROUNDS=50 scripts/proxy-demo.sh
#   scripts/proxy-demo.sh --syftbox        # SyftBox layout: each party its own workspace, carried only
#                                          # by the SyftBox-rule sync simulator (5 s full sync;
#                                          # SYFTBOX_PERIOD_MS to change it; docs/syftbox.md)
set -euo pipefail
SYFTBOX=0
if [ "${1:-}" = "--syftbox" ]; then SYFTBOX=1; shift; fi
if [ "$#" -gt 0 ]; then echo "usage: $0 [--syftbox]" >&2; exit 2; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/build.sh"
build_module proxy

read -r -a BASES <<< "${PROXY_DEMO_BASES:-8000 9000 10000}"
ROUNDS="${PROXY_DEMO_ROUNDS:-20}"
RUN="$FORMIX_ROOT/sandbox/proxy-demo-$(date +%Y%m%d-%H%M%S)-$$"
DATA="$RUN/mpc_messages"
LOGS="$RUN/logs"
mkdir -p "$DATA" "$LOGS"
JAVA=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx128m -cp "$MODULE_CP")

STARTED=()      # every pid this script started, and only those
PROXY_PIDS=()
PARTY_PIDS=()

stop_started() {
  local pid
  for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  STARTED=()
}
trap stop_started EXIT
trap 'echo; echo "interrupted: stopping the processes this demo started"; exit 130' INT TERM

count() { # count <proxy> <peer>: messages proxy wrote to <proxy>_to_<peer>, from its last stats line
  local n
  n="$({ grep -o "$1->$2: [0-9]* msgs" "$LOGS/proxy-$1.log" || true; } | tail -n 1 | awk '{print $2}')"
  echo "${n:-0}"
}
print_counts() {
  local line="$1" i j
  for i in 0 1 2; do for j in 0 1 2; do
    [ "$i" = "$j" ] || line+="  ${i}_to_${j}: $(count "$i" "$j")"
  done; done
  echo "$line"
}

echo "run folder: $RUN"
EMAILS=(party0@demo.formix.org party1@demo.formix.org party2@demo.formix.org)
if [ "$SYFTBOX" = 1 ]; then
  SIM_ARGS=()
  for i in 0 1 2; do SIM_ARGS+=("${EMAILS[$i]}=$RUN/party-$i/datasites"); done
  "${JAVA[@]}" io.formix.transport.file.SyftBoxSimulator --period-ms "${SYFTBOX_PERIOD_MS:-5000}" "${SIM_ARGS[@]}" \
      > "$LOGS/syftbox-sim.log" 2>&1 &
  STARTED+=("$!")
  until grep -q "syftbox-sim:" "$LOGS/syftbox-sim.log" 2>/dev/null; do sleep 0.1; done
  echo "$(cat "$LOGS/syftbox-sim.log")"
fi
layout_args() { # layout_args <pid>: the file side of proxy <pid>
  if [ "$SYFTBOX" = 1 ]; then
    echo "--data-dir $RUN/party-$1/local --layout syftbox --datasites $RUN/party-$1/datasites"
    echo "--email ${EMAILS[$1]} --party-emails ${EMAILS[0]},${EMAILS[1]},${EMAILS[2]}"
  else
    echo "--data-dir $DATA"
  fi
}
for i in 0 1 2; do
  read -r -a FILE_SIDE <<< "$(layout_args "$i" | tr '\n' ' ')"
  "${JAVA[@]}" io.formix.proxy.FormixProxyCommand --pid "$i" --parties 3 "${FILE_SIDE[@]}" \
      --base-port "${BASES[$i]}" --sequre-base-port "${BASES[$i]}" --stats-interval 1 \
      2> "$LOGS/proxy-$i.log" &
  STARTED+=("$!"); PROXY_PIDS+=("$!")
done
for i in 0 1 2; do
  until grep -q "started" "$LOGS/proxy-$i.log" 2>/dev/null; do
    if ! kill -0 "${PROXY_PIDS[$i]}" 2>/dev/null; then
      echo "proxy $i failed to start:"; cat "$LOGS/proxy-$i.log"; exit 1
    fi
    sleep 0.1
  done
  echo "proxy $i (pid ${PROXY_PIDS[$i]}): $(grep -o 'started.*' "$LOGS/proxy-$i.log" | head -n 1)"
done

INPUTS=()
for i in 0 1 2; do INPUTS+=("$((RANDOM % 101))"); done
for i in 0 1 2; do
  "${JAVA[@]}" io.formix.proxy.demo.SumParty --pid "$i" --parties 3 --base-port "${BASES[$i]}" \
      --input "${INPUTS[$i]}" --rounds "$ROUNDS" --round-delay-ms 150 > "$LOGS/party-$i.out" 2>&1 &
  STARTED+=("$!"); PARTY_PIDS+=("$!")
done
echo "parties started (pids ${PARTY_PIDS[*]}), $ROUNDS rounds; messages per channel:"

SECONDS=0
while :; do
  running=0
  for pid in "${PARTY_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
  [ "$running" = 1 ] || break
  print_counts "  [${SECONDS}s]"
  sleep 1
done

status=0
for i in 0 1 2; do
  wait "${PARTY_PIDS[$i]}" || { echo "party $i failed:"; cat "$LOGS/party-$i.out"; status=1; }
done
# Stop the proxies gracefully; each logs its final counts when it stops.
for pid in "${PROXY_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for i in 0 1 2; do wait "${PROXY_PIDS[$i]}" || { echo "proxy $i exited with $?"; status=1; }; done
STARTED=()
print_counts "  [final]"

expected=$(( (INPUTS[0] + INPUTS[1] + INPUTS[2]) % 4294967296 ))
echo "inputs (private to each party; shown here only to check the demo): ${INPUTS[*]}"
for i in 0 1 2; do
  got="$(grep -o 'sum = [0-9]*' "$LOGS/party-$i.out" | awk '{print $3}')"
  echo "party $i computed: ${got:-nothing}"
  [ "$got" = "$expected" ] || status=1
done
for i in 0 1 2; do for j in 0 1 2; do
  if [ "$i" != "$j" ] && [ "$(count "$i" "$j")" != "$((2 * ROUNDS))" ]; then
    echo "channel ${i}_to_${j} carried $(count "$i" "$j") messages, expected $((2 * ROUNDS))"; status=1
  fi
done; done
if [ "$status" = 0 ]; then
  echo "OK: sum = $expected, every channel carried $((2 * ROUNDS)) messages (logs: $LOGS)"
else
  echo "FAILED (logs: $LOGS)"
fi
exit "$status"
