#!/usr/bin/env bash
# Chaos on one host: R computations on a 3+N network (file transport) while single heavy nodes or the
# light nodes' host are killed with SIGKILL at a random moment (right after the proposal, right after
# heavy node 1's broadcast, or at the deadline) and restarted (soon, or only after the round). Each
# heavy node runs in a host process of its own, so killing one kills nothing else.
#
# With N ≤ 20 the light nodes approve manually and the script approves for them once the kill is
# done (before it, when the kill is at the deadline), so a kill "after the broadcast" lands before any
# light node answered; with more light nodes they answer at once (auto).
#
# Prints one line per round: revealed-correct, failed-with-reason, wrong or stuck, with what was done.
# The oracle is the light nodes' own answers, read from their node.db (as scripts/demo.sh does):
# a revealed total must be the sum of the answers of exactly `participants` answering light nodes
# (all of them when every answering light participated). `stuck`: no heavy node ended the
# computation (the follower's watchdog did, or `comp watch` itself did not return).
# Exits 1 if any round is wrong or stuck.
#
#   scripts/chaos.sh [--rounds R] [--lights N] [--scheme replicated|additive] [--seed S]
#                    [--deadline SECONDS (20; 30 above 20 lights)] [--grace SECONDS (2)] [--kill VICTIM@MOMENT]
# --kill fixes what every round kills and when (VICTIM: none, heavy-1, heavy-2, heavy-3, lights;
# MOMENT: proposal, broadcast, deadline), never restarting it during the round (proposal: 1 s later);
# each line then also says when the computation ended, relative to its deadline.
# FORMIX (a formix launcher, default scripts/formix) and FORMIX_HOME (default sandbox/chaos) may be set.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORMIX="${FORMIX:-$ROOT/scripts/formix}"
export FORMIX_HOME="${FORMIX_HOME:-$ROOT/sandbox/chaos}"
export FORMIX_TRANSPORT=file
unset FORMIX_DATA_DIR

ROUNDS=5 LIGHTS=5 SCHEME=replicated DEADLINE="" GRACE=2 SEED="" KILL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --lights) LIGHTS="$2"; shift 2 ;;
    --scheme) SCHEME="$2"; shift 2 ;;
    --deadline) DEADLINE="$2"; shift 2 ;;
    --grace) GRACE="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --kill) KILL="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$SCHEME" in replicated|additive) ;; *) echo "chaos.sh: --scheme must be replicated or additive" >&2; exit 2 ;; esac
# the owner's approvals go through the CLI, one JVM each: give them time on a loaded machine
[ -n "$DEADLINE" ] || DEADLINE=$(( LIGHTS <= 20 ? 20 : 30 ))
for n in "$ROUNDS" "$LIGHTS" "$DEADLINE" "$GRACE"; do
  case "$n" in ''|*[!0-9]*) echo "chaos.sh: numbers must be non-negative integers" >&2; exit 2 ;; esac
done
[ "$LIGHTS" -ge 1 ] || { echo "chaos.sh: --lights must be at least 1" >&2; exit 2; }
[ -n "$SEED" ] && RANDOM="$SEED"
if [ -n "$KILL" ]; then
  case "${KILL%@*}" in none|heavy-1|heavy-2|heavy-3|lights) ;; *) echo "chaos.sh: bad --kill victim" >&2; exit 2 ;; esac
  case "${KILL#*@}" in proposal|broadcast|deadline) ;; *) echo "chaos.sh: bad --kill moment" >&2; exit 2 ;; esac
fi

fx() { "$FORMIX" "$@"; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# `node list --json` as lines "uid status pid"
nodes() {
  fx node list --json | awk -F'"' '
    /"uid"/ { uid = $4 } /"status"/ { st = $4 }
    /"pid"/ { p = $0; gsub(/[^0-9]/, "", p); pid = p }
    /}/ && uid != "" { print uid, st, (pid == "" ? 0 : pid); uid = ""; st = ""; pid = "" }'
}
pid_of() { nodes | awk -v u="$1" '$1 == u { print $3 }'; }
field() { awk -F'"' -v k="$1" '$2 == k { v = $0; sub(/^[^:]*: */, "", v); gsub(/^"|",?$|,$/, "", v); print v; exit }'; }
kill_pid() { # pid: SIGKILL and wait until it is gone
  [ -n "$1" ] && [ "$1" -gt 0 ] || return 0
  kill -9 "$1" 2>/dev/null || true
  for _ in $(seq 1 250); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.02; done
}
# Every stopped or dead node started again: each heavy node alone, the light nodes together.
restart_down() {
  local lights=()
  while read -r uid st _; do
    [ "$st" = running ] && continue
    case "$uid" in
      heavy-*) fx node start "$uid" >/dev/null || log "could not restart $uid" ;;
      *) lights+=("$uid") ;;
    esac
  done < <(nodes)
  if [ ${#lights[@]} -gt 0 ]; then fx node start "${lights[@]}" >/dev/null || log "could not restart the light nodes"; fi
}
# Status of computation $1, read from network.db directly when sqlite3 is there (fast), else by the CLI.
status_of() {
  if command -v sqlite3 >/dev/null; then
    sqlite3 -readonly "file:$FORMIX_HOME/network.db?mode=ro" "SELECT status FROM computations WHERE id = '$1'" \
      2>/dev/null && return
  fi
  fx comp show "$1" --json | field status
}
# Waits (up to the deadline) until heavy node 1 has announced computation $1.
await_announced() {
  local st
  for _ in $(seq 1 $(( DEADLINE * 50 ))); do
    st="$(status_of "$1")"
    [ -n "$st" ] && [ "$st" != proposed ] && [ "$st" != broadcast ] && return 0
    sleep 0.02
  done
}
# Manual approval: every light node approves computation $1 (retried while it has not heard of it yet).
approve_all() {
  [ "$APPROVAL" = manual ] || return 0
  local uid
  await_announced "$1"
  for uid in "${LIGHT_IDS[@]}"; do
    ( for _ in 1 2 3 4 5; do fx comp approve "$1" --node "$uid" >/dev/null 2>&1 && break; sleep 0.2; done ) &
  done
  wait
}
# The answers the light nodes gave to computation $1, one per line, from their own node.db.
answers() {
  local uid db
  for uid in $(nodes | awk '$1 ~ /^light-/ { print $1 }'); do
    db="$FORMIX_HOME/nodes/$uid/node.db"
    if command -v sqlite3 >/dev/null; then
      sqlite3 -readonly "file:$db?mode=ro" "SELECT answer FROM computations WHERE id = '$1' AND answer IS NOT NULL" \
        2>/dev/null
    else
      fx node show "$uid" --json | awk -v id="$1" '
        /"computation"/ { hit = index($0, "\"" id "\"") > 0; next }
        /"value"/ && hit { gsub(/[^0-9]/, ""); print; exit }'
    fi
  done
}
# Whether `total` is the sum (mod 2^32) of exactly `k` of the answers on stdin (subset sum by count).
oracle() { # total k
  awk -v total="$1" -v k="$2" '
    { a[n++] = $1 }
    END {
      if (k > n) { print "no"; exit }
      if (k == n) { s = 0; for (i = 0; i < n; i++) s += a[i]; print (s % 4294967296 == total ? "yes" : "no"); exit }
      if (n > 60) { print "unknown"; exit }
      ok[0, 0] = 1
      for (i = 0; i < n; i++)
        for (c = (i < k ? i : k - 1); c >= 0; c--)
          for (s = 0; s <= 100 * c; s++)
            if (ok[c, s]) ok[c + 1, s + a[i]] = 1
      print (ok[k, total] ? "yes" : "no")
    }'
}

if [ -d "$FORMIX_HOME" ]; then fx network down >/dev/null 2>&1 || true; rm -rf "$FORMIX_HOME"; fi
trap 'fx network down >/dev/null 2>&1 || true' EXIT
APPROVAL=auto
[ "$LIGHTS" -le 20 ] && APPROVAL=manual
log "network up: 3 heavy + $LIGHTS light nodes ($APPROVAL approval) in $FORMIX_HOME (scheme $SCHEME)"
fx network up --heavy 3 --light "$LIGHTS" --approval "$APPROVAL" >/dev/null || { echo "chaos.sh: network up failed" >&2; exit 1; }
for h in heavy-1 heavy-2 heavy-3; do # each heavy node in a host of its own
  fx node stop "$h" >/dev/null && fx node start "$h" >/dev/null || { echo "chaos.sh: could not move $h" >&2; exit 1; }
done

mapfile -t LIGHT_IDS < <(nodes | awk '$1 ~ /^light-/ { print $1 }')
threshold=$(( LIGHTS < 3 ? LIGHTS : 3 ))
declare -A count=([revealed-correct]=0 [failed-with-reason]=0 [wrong]=0 [stuck]=0)
for round in $(seq 1 "$ROUNDS"); do
  restart_down
  victims=(none heavy-1 heavy-2 heavy-3 lights)
  victim="${victims[$((RANDOM % 5))]}"
  moments=(proposal broadcast deadline)
  moment="${moments[$((RANDOM % 3))]}"
  soon=$((RANDOM % 2)) # restart 1 s after the kill, or only after the round
  if [ -n "$KILL" ]; then victim="${KILL%@*}"; moment="${KILL#*@}"; soon=0; fi
  [ "$moment" = proposal ] && soon=1 # heavy node 1 must come back to pick the proposal up
  out="$(fx comp propose --prompt "chaos round $round" --scheme "$SCHEME" --threshold "$threshold" \
         --deadline "${DEADLINE}s" --grace "${GRACE}s" --json 2>&1)"
  id="$(printf '%s\n' "$out" | field id)"
  if [ -z "$id" ]; then
    printf 'round %d: failed-with-reason (proposal refused: %s)\n' "$round" "$(printf '%s' "$out" | tr -d '\000-\037' | head -c 200)"
    count[failed-with-reason]=$(( count[failed-with-reason] + 1 )); continue
  fi
  action="no kill"
  if [ "$victim" != none ]; then
    case "$moment" in
      broadcast) await_announced "$id" ;;
      deadline) approve_all "$id"; sleep "$DEADLINE" ;;
    esac
    before="$(status_of "$id")"
    if [ "$victim" = lights ]; then pid="$(pid_of light-0001)"; else pid="$(pid_of "$victim")"; fi
    kill_pid "$pid"
    action="SIGKILL $victim (pid ${pid:-?}) after the $moment, restarted $([ $soon = 1 ] && echo "1 s later" || echo "after the round")"
    [ "$before" = revealed ] || [ "$before" = failed ] && action="$action (it had already ended: $before)"
    if [ $soon = 1 ]; then sleep 1; restart_down; fi
  fi
  [ "$moment" = deadline ] && [ "$victim" != none ] || approve_all "$id"
  w="$(timeout $(( DEADLINE + 4 * GRACE + 60 )) "$FORMIX" comp watch "$id" --json 2>/dev/null)"
  status="$(printf '%s\n' "$w" | field status)"
  reason="$(printf '%s\n' "$w" | field reason)"
  if [ "$status" = revealed ]; then
    total="$(printf '%s\n' "$w" | field result)"
    k="$(printf '%s\n' "$w" | field participants)"
    verdict="$(answers "$id" | oracle "$total" "$k")"
    if [ "$verdict" = yes ]; then outcome=revealed-correct; detail="total $total over $k light nodes"
    else outcome=wrong; detail="total $total over $k light nodes is not a sum of $k of their answers ($verdict)"; fi
  elif [ "$status" = failed ] && [ -n "$reason" ] && [[ "$reason" != "no heavy node ended the computation"* ]]; then
    outcome=failed-with-reason; detail="$reason"
  else
    outcome=stuck; detail="${reason:-comp watch did not return}"
  fi
  count[$outcome]=$(( count[$outcome] + 1 ))
  ended="$(printf '%s\n' "$w" | field endedAt)"; due="$(printf '%s\n' "$w" | field deadline)"
  if [ -n "$KILL" ] && [ -n "$ended" ] && [ "$ended" != null ]; then
    detail="$detail; ended at deadline + $(( $(date -d "$ended" +%s%3N) - $(date -d "$due" +%s%3N) )) ms"
  fi
  printf 'round %d: %s — %s [%s: %s]\n' "$round" "$outcome" "$detail" "$id" "$action"
done
restart_down
printf 'chaos: %d rounds, %s scheme, 3+%d nodes: %d revealed-correct, %d failed-with-reason, %d wrong, %d stuck\n' \
  "$ROUNDS" "$SCHEME" "$LIGHTS" "${count[revealed-correct]}" "${count[failed-with-reason]}" "${count[wrong]}" "${count[stuck]}"
[ "${count[wrong]}" -eq 0 ] && [ "${count[stuck]}" -eq 0 ]
