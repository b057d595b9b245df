#!/usr/bin/env bash
# The Formix demo, from a fresh clone: builds what it needs, starts 3 heavy + 10 light nodes under
# sandbox/demo, proposes a computation, waits for the revealed total, and checks it against the sum
# of the answers each light node kept in its own node.db. Stops the nodes it started.
#   scripts/demo.sh            (FORMIX_TRANSPORT=tcp scripts/demo.sh for the tcp transport)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORMIX="$ROOT/scripts/formix"
export FORMIX_HOME="$ROOT/sandbox/demo"
unset FORMIX_DATA_DIR

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  say() { printf '\n== %s\n' "$*"; }
fi

# Answers of one light node to one computation, from `formix node show --json` (owner's view).
answer_of() { # uid id
  "$FORMIX" node show "$1" --json | awk -v id="$2" '
    /"computation"/ { hit = index($0, "\"" id "\"") > 0; next }
    /"value"/ && hit { gsub(/[^0-9]/, ""); print; exit }'
}

if [ -d "$FORMIX_HOME" ]; then
  "$FORMIX" network down >/dev/null 2>&1 || true
  rm -rf "$FORMIX_HOME"
fi
trap 'say "stopping the nodes"; "$FORMIX" network down || true' EXIT

say "starting 3 heavy + 10 light nodes in $FORMIX_HOME"
"$FORMIX" network up --heavy 3 --light 10
"$FORMIX" node list

say "proposing: every light node answers an integer 0..100; reveal only the total"
out="$("$FORMIX" comp propose --prompt "How many steps did you walk today (in thousands)?" \
        --threshold 5 --deadline 30s --wait --json)"
echo "$out"
id="$(printf '%s\n' "$out" | awk -F'"' '/"id"/ { print $4; exit }')"
status="$(printf '%s\n' "$out" | awk -F'"' '/"status"/ { print $4; exit }')"
total="$(printf '%s\n' "$out" | awk '/"result"/ { gsub(/[^0-9]/, ""); print; exit }')"
[ "$status" = revealed ] || { echo "computation $id did not reveal: $status" >&2; exit 1; }

say "each light node's own answer (read from its node.db, which only its owner sees)"
sum=0
for uid in $("$FORMIX" node list --role light --json | awk -F'"' '/"uid"/ { print $4 }'); do
  a="$(answer_of "$uid" "$id")"
  printf '  %-12s %s\n' "$uid" "${a:--}"
  sum=$(( (sum + ${a:-0}) % 4294967296 ))
done

say "result"
echo "revealed total (heavy node 1):       $total"
echo "sum of the light nodes' own answers:  $sum"
if [ "$total" = "$sum" ]; then
  echo "OK: the revealed total equals the sum of the answers, and no heavy node saw an answer."
else
  echo "MISMATCH" >&2
  exit 1
fi
