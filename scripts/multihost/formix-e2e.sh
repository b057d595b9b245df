#!/usr/bin/env bash
# The multi-host end-to-end test of Formix: three "machines" (network namespaces, one Syncthing
# each, scripts/multihost/net.sh), each with its own FORMIX_HOME and its copy of the synced folder
# as --data-dir, running the formix CLI inside its namespace. The story of docs/multihost.md
# ("Formix across machines"), then these checks:
#
#   1 total     the revealed total is the sum of the answers in each light node's own node.db, and
#               `comp show` on every host shows the same status, result and participants
#   2 privacy   no prompt, total, share value, private key or JSON payload in any synced file
#               (the channel messages are copied aside while they exist, and checked too)
#   3 forgery   a well-formed v1 frame with a JSON share body, planted at heavy node 1's next
#               number in a light->heavy channel, is quarantined and logged; the next total is exact
#   4 swap      a descriptor of an admitted node re-signed with another key, written from another
#               host's folder, is refused on every host; the next computation still works
#   5 faults    a host partitioned for 10 s from the moment heavy node 1 records a computation
#               (then healed) ends the computation with a reason or catches up; a heavy node SIGKILLed mid-computation and restarted resumes
#               without double counting (total = sum of the answers of heavy node 1's final set)
#   6 conflicts no *.sync-conflict-* file anywhere in the synced folders
#
# It also measures propose->reveal over Syncthing with every light node answering.
#
#   formix-e2e.sh [--lights N] [--cut S] [--dir DIR] [--quick] [--keep]
#     --lights N  light nodes per host (default 2, 1..8); each host has one heavy node
#     --cut S     how long check 5 keeps the host partitioned (default 10 s; the deadline is 45 s)
#     --dir DIR   where the hosts' folders go (default: a new temp folder, removed afterwards)
#     --quick     skip check 5 (the faults)
#     --keep      keep DIR afterwards (the network is always brought down)
#
# Needs root, ip, syncthing, curl, jq, sqlite3, python3 and Java 17/Maven (to build the CLI once).
# Prints one line per check and `formix-e2e: P passed, F failed`; exits 0 only when all passed,
# 2 when the machine cannot run it (the reason on stderr).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NET="$ROOT/scripts/multihost/net.sh"
HOSTS=3
LIGHTS=2
DIR=""
QUICK=0
KEEP=0
CUT_S=10
while [ $# -gt 0 ]; do
  case "$1" in
    --lights) LIGHTS="${2:?--lights needs a number}"; shift 2 ;;
    --dir) DIR="${2:?--dir needs a folder}"; shift 2 ;;
    --cut) CUT_S="${2:?--cut needs seconds}"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "formix-e2e: unknown option '$1' (--lights N, --dir DIR, --quick, --keep)" >&2; exit 2 ;;
  esac
done
[[ "$LIGHTS" =~ ^[1-8]$ ]] || { echo "formix-e2e: --lights must be 1..8" >&2; exit 2; }
[[ "$CUT_S" =~ ^[0-9]{1,3}$ ]] || { echo "formix-e2e: --cut must be 0..999 seconds" >&2; exit 2; }

T0=$SECONDS
say() { printf 'formix-e2e: [%3ds] %s\n' $((SECONDS - T0)) "$*" >&2; }
cannot() { echo "formix-e2e: cannot run here: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || cannot "needs root (network namespaces)"
for tool in ip syncthing curl jq sqlite3 java mvn od; do
  command -v "$tool" >/dev/null || cannot "needs '$tool' on the PATH"
done
# A Python with the 'cryptography' package forges the swapped descriptor: the one on the PATH, or
# Debian's (python3-cryptography, which .ci/run installs) when the PATH's lacks it.
PY=""
for candidate in ${FORMIX_E2E_PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
[ -n "$PY" ] || cannot "needs python3 with the 'cryptography' package (apt-get install python3-cryptography)"
PREFIX="fxe$(tr -dc 'a-z' </dev/urandom | head -c 4)"
ip netns add "${PREFIX}chk" 2>/dev/null || cannot "cannot create network namespaces (ip netns add failed)"
ip netns del "${PREFIX}chk"

OWN_DIR=0
if [ -z "$DIR" ]; then DIR="$(mktemp -d /tmp/formix-e2e.XXXXXX)"; OWN_DIR=1; fi
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
SNAP="$DIR/snapshots"       # copies of channel messages taken while they existed (never synced)
SNAP_PID=""

cleanup() {
  local rc=$?
  [ -n "$SNAP_PID" ] && kill "$SNAP_PID" 2>/dev/null
  if [ -f "$DIR/net.env" ]; then
    local k
    for k in $(seq 1 "$HOSTS"); do
      [ -d "$DIR/h$k/home" ] && timeout 30 "$NET" exec --dir "$DIR" "$k" env FORMIX_HOME="$DIR/h$k/home" \
        FORMIX_DATA_DIR="$DIR/h$k/data" "$ROOT/scripts/formix" network down >/dev/null 2>&1
    done
    "$NET" down --dir "$DIR" >/dev/null 2>&1 || echo "formix-e2e: net.sh down --dir $DIR failed" >&2
  fi
  if [ "$OWN_DIR" = 1 ] && [ "$KEEP" = 0 ]; then rm -rf "$DIR"; else echo "formix-e2e: files kept in $DIR" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- results ------------------------------------------------------------------------------------
PASSED=0; FAILED=0
declare -A CHECK_FAIL=()
declare -A CHECK_DONE=()
bad() { # CHECK MESSAGE: records a failed expectation of a check
  CHECK_FAIL[$1]+="$2; "
  say "check $1: FAIL: $2"
}
report() { # CHECK NAME: prints the check's line once
  [ -n "${CHECK_DONE[$1]:-}" ] && return
  CHECK_DONE[$1]=1
  if [ -z "${CHECK_FAIL[$1]:-}" ]; then
    PASSED=$((PASSED + 1)); echo "check $1 $2: ok${3:+ ($3)}"
  else
    FAILED=$((FAILED + 1)); echo "check $1 $2: FAILED: ${CHECK_FAIL[$1]}"
  fi
}
NAMES=([1]=total [2]=privacy [3]=forgery [4]=swap [5]=faults [6]=conflicts)
finish() {
  local c
  for c in 1 2 3 4 5 6; do
    if [ -z "${CHECK_DONE[$c]:-}" ]; then
      if [ "$c" = 5 ] && [ "$QUICK" = 1 ]; then echo "check 5 faults: skipped (--quick)"; CHECK_DONE[5]=1; continue; fi
      [ -n "${CHECK_FAIL[$c]:-}" ] || bad "$c" "not reached: ${1:-aborted}"
      report "$c" "${NAMES[$c]}"
    fi
  done
  echo "formix-e2e: $PASSED passed, $FAILED failed (${MEASURE:-no measurement}; whole run $((SECONDS - T0)) s)"
  [ "$FAILED" = 0 ] && exit 0 || exit 1
}
abort() { say "ABORT: $*"; finish "$*"; }

# ---- helpers ------------------------------------------------------------------------------------
home() { echo "$DIR/h$1/home"; }
data() { echo "$DIR/h$1/data"; }

# fx K ARGS...: the formix CLI on host K, inside its namespace; stdout to stdout, stderr to $DIR/fx.err
fx() {
  local k="$1"; shift
  "$NET" exec --dir "$DIR" "$k" env FORMIX_HOME="$(home "$k")" FORMIX_DATA_DIR="$(data "$k")" NO_COLOR=1 \
    "$ROOT/scripts/formix" "$@" 2>>"$DIR/fx-h$k.err"
}

# until_ok SECONDS WHAT CMD...: runs CMD every 0.5 s until it succeeds; false after SECONDS
until_ok() {
  local secs="$1" what="$2"; shift 2
  local limit=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $limit ]; then say "gave up waiting ($secs s) for: $what"; return 1; fi
    sleep 0.5
  done
}

now_ms() { date +%s%3N; }
has_files() { find "$1" -type f 2>/dev/null | grep -q .; }
iso_ms() { date -d "$1" +%s%3N; }

# answer_of HOST LIGHT COMP: a light node's own answer, from its own node.db
answer_of() { sqlite3 "$(home "$1")/nodes/$2/node.db" "select answer from computations where id='$3'"; }

# sum_answers COMP [UIDS...]: sum of the answers of the given light nodes (default: all)
sum_answers() {
  local comp="$1"; shift
  local uids=("$@") total=0 u a
  [ ${#uids[@]} -gt 0 ] || uids=("${LIGHT_UIDS[@]}")
  for u in "${uids[@]}"; do
    a="$(answer_of "${HOST_OF[$u]}" "$u" "$comp")"
    [[ "$a" =~ ^[0-9]+$ ]] || { echo "no-answer:$u"; return 1; }
    total=$((total + a))
  done
  echo $((total % 4294967296))
}

# The background copier for check 2: every channel message that exists for a moment is kept.
snapshot_loop() {
  mkdir -p "$SNAP"
  while :; do
    local f
    for f in "$DIR"/h*/data/*_to_*/*.msg; do
      [ -f "$f" ] || continue
      local dst="$SNAP/$(echo "${f#"$DIR"/}" | tr '/' '~')"
      [ -e "$dst" ] || cp "$f" "$dst" 2>/dev/null
    done
    sleep 0.3
  done
}

# ---- the network --------------------------------------------------------------------------------
say "building the formix CLI (outside the namespaces)"
( source "$ROOT/scripts/lib/build.sh" && build_module formix ) >"$DIR/build.out" 2>&1 \
  || { cat "$DIR/build.out" >&2; abort "build failed"; }

say "net.sh up --hosts $HOSTS (prefix $PREFIX) in $DIR"
"$NET" up --hosts "$HOSTS" --dir "$DIR" --prefix "$PREFIX" --timeout 60 >"$DIR/net.out" 2>&1 \
  || { cat "$DIR/net.out" >&2; abort "net.sh up failed"; }
for k in $(seq 1 "$HOSTS"); do mkdir -p "$(home "$k")"; done

FP="$(fx 1 network create --json | jq -r .fingerprint)"
[ -n "$FP" ] && [ "$FP" != null ] || abort "network create gave no fingerprint: $(cat "$DIR/fx-h1.err")"
say "h1: network created, fingerprint $FP"
for k in $(seq 2 "$HOSTS"); do
  until_ok 30 "network.json and roster.json on h$k" test -s "$(data "$k")/formix/network.json" -a -s "$(data "$k")/formix/roster.json" \
    || abort "formix/network.json did not reach h$k"
  until_ok 20 "h$k joins" fx "$k" network join --fingerprint "$FP" --json || abort "h$k could not join: $(tail -3 "$DIR/fx-h$k.err")"
done
say "h2..h$HOSTS joined"

declare -A HOST_OF=()
LIGHT_UIDS=()
for k in $(seq 1 "$HOSTS"); do
  for u in $(fx "$k" node create --role heavy --json | jq -r '.[].uid'); do HOST_OF[$u]=$k; done
  for u in $(fx "$k" node create --role light --count "$LIGHTS" --json | jq -r '.[].uid'); do HOST_OF[$u]=$k; LIGHT_UIDS+=("$u"); done
done
TOTAL_NODES=$((HOSTS * (1 + LIGHTS)))
[ ${#HOST_OF[@]} -eq $TOTAL_NODES ] || abort "created ${#HOST_OF[@]} nodes, not $TOTAL_NODES: $(cat "$DIR"/fx-h*.err)"

pending_count() { [ "$(fx 1 network pending --json | jq length)" -eq "$1" ]; }
until_ok 40 "all $TOTAL_NODES descriptors pending on h1" pending_count "$TOTAL_NODES" || abort "descriptors did not all reach h1"
fx 1 network admit --all --json >"$DIR/admit.json" || abort "admit failed: $(tail -3 "$DIR/fx-h1.err")"
say "h1 admitted $(jq '.admitted | length' "$DIR/admit.json") nodes (roster version $(jq .rosterVersion "$DIR/admit.json"))"

admitted_on() { [ "$(fx "$1" node list --json | jq '[.[] | select(.admitted)] | length')" -eq "$TOTAL_NODES" ]; }
for k in $(seq 1 "$HOSTS"); do
  until_ok 40 "roster on h$k" admitted_on "$k" || abort "h$k does not list all $TOTAL_NODES admitted nodes"
  fx "$k" node start --all >/dev/null || abort "node start on h$k failed: $(tail -3 "$DIR/fx-h$k.err")"
done
# Every host sees every node, and every heavy node running (its own, or by its fresh heartbeat).
all_up_on() {
  fx "$1" node list --json >"$DIR/list-h$1.json" || return 1
  [ "$(jq '[.[] | select(.admitted)] | length' "$DIR/list-h$1.json")" -eq "$TOTAL_NODES" ] &&
    [ "$(jq '[.[] | select(.role == "heavy" and .status == "running")] | length' "$DIR/list-h$1.json")" -eq "$HOSTS" ] &&
    [ "$(jq '[.[] | select(.local and .status != "running")] | length' "$DIR/list-h$1.json")" -eq 0 ]
}
for k in $(seq 1 "$HOSTS"); do
  until_ok 60 "all nodes up as seen from h$k" all_up_on "$k" || abort "h$k does not see all nodes up: $(jq -c '[.[] | {uid, status}]' "$DIR/list-h$k.json")"
done
mapfile -t HEAVY < <(jq -r '.[] | select(.role == "heavy") | .uid' "$DIR/list-h1.json")
H1="${HEAVY[0]}"; H1_HOST="${HOST_OF[$H1]}"
for k in $(seq 2 "$HOSTS"); do # the same roster order everywhere
  [ "$(jq -c '[.[].uid]' "$DIR/list-h$k.json")" = "$(jq -c '[.[].uid]' "$DIR/list-h1.json")" ] || abort "h$k lists another order"
done
P=2; [ "$H1_HOST" = 2 ] && P=3
HEAVY_CSV="$(IFS=,; echo "${HEAVY[*]}")"
THRESHOLD=${#LIGHT_UIDS[@]}
say "all $TOTAL_NODES nodes up on every host; heavy node 1 = $H1 on h$H1_HOST; proposing from h$P"

snapshot_loop & SNAP_PID=$!

# propose NAME PROMPT THRESHOLD DEADLINE: runs `comp propose --wait --json` on host P; sets
# COMP_<NAME>_JSON/ID and COMP_WALL_MS
propose() {
  local name="$1" prompt="$2" threshold="$3" deadline="$4" start end
  start=$(now_ms)
  # In the background: a SIGTERM interrupts `wait` (not a foreground command), so the trap runs.
  fx "$P" comp propose --prompt "$prompt" --heavy "$HEAVY_CSV" --threshold "$threshold" --deadline "$deadline" \
    --wait --json >"$DIR/comp-$name.json" &
  local rc
  wait $!; rc=$?
  end=$(now_ms)
  COMP_WALL_MS=$((end - start))
  say "comp $name: exit $rc after $COMP_WALL_MS ms: $(jq -c '{id, status, result, participants, answers, reason}' "$DIR/comp-$name.json" 2>/dev/null)"
  return $rc
}

# same_everywhere CHECK ID: `comp show` on every host agrees with the proposer's outcome
show_on() { fx "$1" comp show "$2" --json >"$DIR/show-$2-h$1.json" && jq -e '.status == "revealed" or .status == "failed"' "$DIR/show-$2-h$1.json"; }
same_everywhere() { # CHECK ID [SECONDS]
  local c="$1" id="$2" limit="${3:-30}" k want got
  want="$(jq -c '{status, result, participants}' "$DIR/show-$id-h$P.json")"
  for k in $(seq 1 "$HOSTS"); do
    until_ok "$limit" "comp $id ended on h$k" show_on "$k" "$id" || { bad "$c" "h$k: comp show $id did not end within $limit s"; continue; }
    got="$(jq -c '{status, result, participants}' "$DIR/show-$id-h$k.json")"
    [ "$got" = "$want" ] || bad "$c" "h$k shows $got, h$P shows $want"
  done
}

# ---- check 1 (and the measurement): one computation, every light node answering ------------------
PROMPT1="e2e-secret-prompt-$(tr -dc 'a-z0-9' </dev/urandom | head -c 10): how many cups of coffee today?"
if propose one "$PROMPT1" "$THRESHOLD" 75s; then
  ID1="$(jq -r .id "$DIR/comp-one.json")"
  R1="$(jq -r .result "$DIR/comp-one.json")"
  SUM1="$(sum_answers "$ID1")" || bad 1 "a light node has no answer: $SUM1"
  [ "$R1" = "$SUM1" ] || bad 1 "revealed $R1, but the light nodes' own answers sum to $SUM1"
  [ "$(jq .participants "$DIR/comp-one.json")" = "${#LIGHT_UIDS[@]}" ] || bad 1 "participants $(jq .participants "$DIR/comp-one.json"), not ${#LIGHT_UIDS[@]}"
  cp "$DIR/comp-one.json" "$DIR/show-$ID1-h$P.json"
  same_everywhere 1 "$ID1"
  P2R=$(( $(iso_ms "$(jq -r .endedAt "$DIR/comp-one.json")") - $(iso_ms "$(jq -r .createdAt "$DIR/comp-one.json")") ))
  MEASURE="propose->reveal $((P2R / 1000)).$(printf %03d $((P2R % 1000))) s (createdAt->endedAt), CLI wall $((COMP_WALL_MS / 1000)).$(printf %03d $((COMP_WALL_MS % 1000))) s, $HOSTS hosts x (1 heavy + $LIGHTS light)"
  say "measured: $MEASURE"
  report 1 total "total $R1 = sum of ${#LIGHT_UIDS[@]} answers; same on $HOSTS hosts; $MEASURE"
else
  bad 1 "comp propose failed: $(tail -2 "$DIR/fx-h$P.err")"
  report 1 total
fi

# ---- check 3 (plant) and check 4 (swap), both before the second computation ---------------------
# 3: a light node of another host than heavy node 1, and heavy node 1's next number on its channel.
for u in "${LIGHT_UIDS[@]}"; do [ "${HOST_OF[$u]}" != "$H1_HOST" ] && { FORGE_FROM="$u"; break; }; done
CH="${FORGE_FROM}_to_$H1"
CURSOR_FILE="$(home "$H1_HOST")/nodes/$H1/transport/$CH.cursor"
NEXT="$(od -An -t d8 -N 8 "$CURSOR_FILE" 2>/dev/null | tr -d ' ')"
if [[ "$NEXT" =~ ^[0-9]+$ ]]; then
  "$PY" - "$(data "$H1_HOST")/$CH" "$NEXT" "$FORGE_FROM" "$H1" <<'EOF'
import os, struct, sys
ch, n, frm, to = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
body = ('{"v":1,"type":"share","id":"forged-%d","from":"%s","to":"%s","computation":"c00000000",'
        '"body":{"share":1000}}' % (n, frm, to)).encode()
tmp = os.path.join(ch, "forged.tmp")
with open(tmp, "wb") as f:
    f.write(struct.pack("<q", len(body)) + body)
os.rename(tmp, os.path.join(ch, "%08d.msg" % n))
open(os.path.join(ch, "%08d.ready" % n), "wb").close()
EOF
  say "check 3: planted a JSON share at $CH/$(printf %08d "$NEXT").msg on h$H1_HOST"
  FORGED="rejected message #$NEXT from $FORGE_FROM"
  until_ok 20 "heavy node 1 logs the rejection" grep -qF "$FORGED" "$(home "$H1_HOST")/nodes/$H1/node.log" \
    || bad 3 "$H1's node.log does not name the rejection ('$FORGED')"
  # The forgery's removal (quarantine) has reached the sender's host before it sends that number.
  until_ok 20 "the forgery gone from h${HOST_OF[$FORGE_FROM]}" \
    test ! -e "$(data "${HOST_OF[$FORGE_FROM]}")/$CH/$(printf %08d "$NEXT").msg" \
    || say "check 3: note: the forged file is still in h${HOST_OF[$FORGE_FROM]}'s folder"
  # The rejection is logged just before the file is moved: wait for the move too.
  until_ok 20 "the forgery in $H1's quarantine" has_files "$(home "$H1_HOST")/nodes/$H1/transport/quarantine" \
    || bad 3 "nothing in $H1's quarantine"
else
  bad 3 "no receive cursor at $CURSOR_FILE"
fi

# 4: a light node of host 3 (not host 1), its descriptor re-signed with a new key, written on h1.
for u in "${LIGHT_UIDS[@]}"; do [ "${HOST_OF[$u]}" = 3 ] && { SWAP="$u"; break; }; done
SWAP_FILE="$(data 1)/formix/nodes/$SWAP.json"
cp "$(data 3)/formix/nodes/$SWAP.json" "$DIR/genuine-$SWAP.json"
if "$PY" - "$SWAP_FILE" <<'EOF'
import base64, json, os, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization
path = sys.argv[1]
def b64d(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def b64e(b): return base64.urlsafe_b64encode(b).decode().rstrip("=")
doc = json.load(open(path))
payload = json.loads(b64d(doc["payload"]))
key = Ed25519PrivateKey.generate()
pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
old = doc["key"]
# Every field holding the node's identity key now holds the attacker's.
text = json.dumps(payload, separators=(",", ":")).replace(old, b64e(pub))
if text == json.dumps(payload, separators=(",", ":")):
    sys.exit("the descriptor payload does not contain its signing key; fields: %s" % list(payload))
body = text.encode()
sig = key.sign(b"formix/2 doc" + body)
tmp = path + ".forged-tmp"
with open(tmp, "w") as f:
    json.dump({"payload": b64e(body), "signature": b64e(sig), "key": b64e(pub)}, f)
os.rename(tmp, path)
EOF
then
  say "check 4: wrote $SWAP's descriptor re-signed with another key into h1's folder"
  for k in 2 3; do
    until_ok 30 "the swapped descriptor on h$k" cmp -s "$SWAP_FILE" "$(data "$k")/formix/nodes/$SWAP.json" \
      || bad 4 "the swapped descriptor did not reach h$k"
  done
  for k in $(seq 1 "$HOSTS"); do
    : >"$DIR/swap-h$k.err"
    "$NET" exec --dir "$DIR" "$k" env FORMIX_HOME="$(home "$k")" FORMIX_DATA_DIR="$(data "$k")" NO_COLOR=1 \
      "$ROOT/scripts/formix" node list --json >"$DIR/swap-list-h$k.json" 2>"$DIR/swap-h$k.err"
    grep -q "warning.*$SWAP" "$DIR/swap-h$k.err" || bad 4 "h$k: node list gives no warning naming $SWAP: $(head -c 300 "$DIR/swap-h$k.err")"
    jq -e --arg u "$SWAP" '.[] | select(.uid == $u) | .admitted' "$DIR/swap-list-h$k.json" >/dev/null \
      || bad 4 "h$k no longer lists $SWAP as admitted"
  done
  # Each running host refuses it too, at its registry refresh (every 2 s), in its host log.
  for k in $(seq 1 "$HOSTS"); do
    until_ok 10 "h$k's host log names the refusal" grep -qs "registry: .*$SWAP.json refused" "$(home "$k")"/hosts/host-*.log \
      || bad 4 "h$k's host log does not name the refused descriptor"
  done
  say "check 4: refusal on h1: $(grep -m1 "$SWAP" "$DIR/swap-h1.err")"
else
  bad 4 "could not forge the descriptor"
fi

# ---- the second computation: forgery and swap change nothing ------------------------------------
if propose two "e2e second computation after forgeries" "$THRESHOLD" 75s; then
  ID2="$(jq -r .id "$DIR/comp-two.json")"; R2="$(jq -r .result "$DIR/comp-two.json")"
  SUM2="$(sum_answers "$ID2")" || { bad 3 "a light node has no answer: $SUM2"; bad 4 "a light node has no answer: $SUM2"; }
  [ "$R2" = "$SUM2" ] || { bad 3 "second total $R2 != sum of answers $SUM2"; bad 4 "second total $R2 != $SUM2"; }
  [ "$(jq .participants "$DIR/comp-two.json")" = "${#LIGHT_UIDS[@]}" ] \
    || bad 3 "second computation: participants $(jq .participants "$DIR/comp-two.json"), not ${#LIGHT_UIDS[@]}"
  [ "$(answer_of 3 "$SWAP" "$ID2")" != "" ] || bad 4 "$SWAP (swapped descriptor) did not answer"
  cp "$DIR/comp-two.json" "$DIR/show-$ID2-h$P.json"
  same_everywhere 3 "$ID2"
else
  bad 3 "second computation failed: $(jq -c . "$DIR/comp-two.json" 2>/dev/null) $(tail -2 "$DIR/fx-h$P.err")"
  bad 4 "second computation failed"
fi
report 3 forgery "${R2:+total $R2 = sum of answers; }$FORGED"
report 4 swap "refused on $HOSTS hosts, $SWAP still admitted and answering"

# ---- check 5: faults ---------------------------------------------------------------------------
# final_set_sum ID: the sum of the answers of the light nodes in heavy node 1's final set
final_set_sum() {
  local fs
  fs="$(sqlite3 "$(home "$H1_HOST")/nodes/$H1/node.db" "select final_set from computations where id='$1'")"
  [ -n "$fs" ] || { echo "no-final-set"; return 1; }
  # shellcheck disable=SC2046
  sum_answers "$1" $(echo "$fs" | tr ',' ' ')
}
check_fault_comp() { # NAME WHAT [SECONDS for every host to show the outcome]
  local name="$1" what="$2" limit="${3:-30}" st id
  st="$(jq -r .status "$DIR/comp-$name.json" 2>/dev/null)"; id="$(jq -r .id "$DIR/comp-$name.json" 2>/dev/null)"
  case "$st" in
    revealed)
      local r s; r="$(jq -r .result "$DIR/comp-$name.json")"; s="$(final_set_sum "$id")"
      [ "$r" = "$s" ] || bad 5 "$what: revealed $r, but heavy node 1's final set's answers sum to $s"
      FAULTS+="$what: revealed $r = sum of $(jq .participants "$DIR/comp-$name.json") answers; " ;;
    failed)
      local reason; reason="$(jq -r '.reason // empty' "$DIR/comp-$name.json")"
      [ -n "$reason" ] || bad 5 "$what: failed without a reason"
      FAULTS+="$what: failed: $reason; " ;;
    *) bad 5 "$what: ended as '$st'" ;;
  esac
  cp "$DIR/comp-$name.json" "$DIR/show-$id-h$P.json"
  same_everywhere 5 "$id" "$limit"
}
FAULTS=""
if [ "$QUICK" = 0 ]; then
  # 5a: the host that is neither the proposer nor heavy node 1's is cut off during collection.
  for k in $(seq 1 "$HOSTS"); do [ "$k" != "$P" ] && [ "$k" != "$H1_HOST" ] && CUT=$k; done
  # Cut as soon as heavy node 1 has recorded the computation, before its `compute` reaches h$CUT.
  H1_DB="$(home "$H1_HOST")/nodes/$H1/node.db"
  COMPS_BEFORE="$(sqlite3 "$H1_DB" "select count(*) from computations")"
  (
    end=$((SECONDS + 30))
    until [ "$(sqlite3 "$H1_DB" "select count(*) from computations" 2>/dev/null)" -gt "$COMPS_BEFORE" ] 2>/dev/null; do
      [ $SECONDS -lt $end ] || { say "heavy node 1 did not record the computation within 30 s"; exit 1; }
      sleep 0.1
    done
    "$NET" partition --dir "$DIR" "$CUT"; say "partitioned h$CUT (heavy node 1 has the computation)"
    sleep "$CUT_S"
    "$NET" heal --dir "$DIR" "$CUT"; say "healed h$CUT"
  ) &
  CUTTER=$!
  propose part "e2e partition" "$LIGHTS" 45s
  wait "$CUTTER" || bad 5 "the partition did not happen"
  # A healed link resumes at TCP's next retransmission, which backs off with the cut's length
  # (53 s after a 60 s cut here): the cut host learns the outcome that much later.
  check_fault_comp part "h$CUT partitioned $CUT_S s" $((30 + CUT_S))
  "$NET" wait-connected --dir "$DIR" >/dev/null 2>&1 || bad 5 "h$CUT did not reconnect"
  for k in $(seq 1 "$HOSTS"); do
    until_ok 60 "all nodes up as seen from h$k after the heal" all_up_on "$k" || bad 5 "h$k does not see all nodes up after the heal"
  done

  # 5b: heavy node 2's host process is SIGKILLed once collection started, and restarted.
  H2="${HEAVY[1]}"; H2_HOST="${HOST_OF[$H2]}"
  fx "$H2_HOST" node list --json >"$DIR/kill-list.json"
  KPID="$(jq -r --arg u "$H2" '.[] | select(.uid == $u) | .pid' "$DIR/kill-list.json")"
  # Shares of the earlier computations are in heavy node 2's shares table already: wait for a new one.
  BEFORE="$(sqlite3 "$(home "$H2_HOST")/nodes/$H2/node.db" "select count(*) from shares")"
  (
    end=$((SECONDS + 40))
    until [ "$(sqlite3 "$(home "$H2_HOST")/nodes/$H2/node.db" "select count(*) from shares" 2>/dev/null)" -gt "$BEFORE" ] 2>/dev/null; do
      [ $SECONDS -lt $end ] || { say "no new share at $H2 within 40 s"; exit 1; }
      sleep 0.2
    done
    kill -KILL "$KPID" && touch "$DIR/killed" && say "SIGKILLed h$H2_HOST's host process $KPID (runs $H2) after its first share"
    sleep 3
    fx "$H2_HOST" node start --all >/dev/null && say "restarted the nodes of h$H2_HOST"
  ) &
  KILLER=$!
  propose kill "e2e kill" "$LIGHTS" 60s
  wait "$KILLER"
  [ -e "$DIR/killed" ] || bad 5 "heavy node 2's host was not killed mid-computation"
  check_fault_comp kill "$H2 killed and restarted"
  all_up_on "$H2_HOST" || bad 5 "h$H2_HOST's nodes are not all running after the restart"
  report 5 faults "${FAULTS%; }"
fi

# ---- check 2: privacy (after every computation) and check 6: conflicts --------------------------
kill "$SNAP_PID" 2>/dev/null; wait "$SNAP_PID" 2>/dev/null; SNAP_PID=""
SECRETS=("$PROMPT1" "e2e-secret-prompt" '"share"' '"sum"' '"prompt"' '"answer"')
for f in "$DIR"/comp-*.json; do
  r="$(jq -r '.result // empty' "$f")"
  # A short decimal turns up in random bytes by chance: look for it as a value, and in hex.
  [ -n "$r" ] && SECRETS+=(":$r" ":\"$r\"" "=$r" "$(printf '%08x' "$r")" "$(printf '%08X' "$r")")
  [ -n "$r" ] && [ "$r" -ge 100000 ] && SECRETS+=("$r")
done
# The shares the light nodes kept (large values only: a small number appears anywhere by chance).
while read -r s; do [ -n "$s" ] && [ "$s" -ge 1000000 ] && SECRETS+=("$s"); done < <(
  for u in "${LIGHT_UIDS[@]}"; do
    sqlite3 "$(home "${HOST_OF[$u]}")/nodes/$u/node.db" "select share1, share2, share3 from computations" | tr '|' '\n' \
      | while read -r v; do [ -n "$v" ] && echo $(( v < 0 ? v + 4294967296 : v )); done
  done)
# Private keys: the admin's and one node's.
for kf in "$(home 1)/admin/identity.key" "$(home 3)/nodes/$SWAP/keys/identity.key"; do
  sk="$(jq -r '.sk // empty' "$kf" 2>/dev/null)"; [ -n "$sk" ] && SECRETS+=("$sk")
done
printf '%s\n' "${SECRETS[@]}" >"$DIR/secrets.txt"
find "$DIR"/h*/data "$SNAP" -type f ! -name '.stignore' -print0 2>/dev/null >"$DIR/files.lst"
NFILES="$(tr -cd '\0' <"$DIR/files.lst" | wc -c)"
# One grep over every file for every secret; the file names and what they hold on a hit.
while IFS= read -r hit; do
  # Check 3's planted forgery is plaintext by design (and refused): the snapshots may catch it.
  grep -qaF "forged-" "${hit%%:*}" 2>/dev/null && continue
  bad 2 "${hit#"$DIR"/} (a secret in a synced file)"
done < <(xargs -0 -r grep -oaF -f "$DIR/secrets.txt" -- <"$DIR/files.lst" | sort -u | head -20)
# Every channel message's payload (after the 8-byte length) is not JSON; the planted forgery is.
NMSG=0
while IFS= read -r -d '' f; do
  NMSG=$((NMSG + 1))
  [ "$(od -An -c -j 8 -N 1 "$f" | tr -d ' ')" = "{" ] && ! grep -qaF "forged-" "$f" && bad 2 "${f#"$DIR"/} carries a JSON payload"
done < <(grep -zE '\.msg$' "$DIR/files.lst")
[ "$NMSG" -ge $((2 * ${#LIGHT_UIDS[@]})) ] || bad 2 "only $NMSG channel messages were seen: the snapshots missed them"
report 2 privacy "$NFILES files ($NMSG channel messages) free of ${#SECRETS[@]} secrets"

CONFLICTS="$(find "$DIR"/h*/data -name '*sync-conflict*' 2>/dev/null)"
[ -z "$CONFLICTS" ] || bad 6 "conflict copies: $(echo "$CONFLICTS" | sed "s|$DIR/||" | tr '\n' ' ')"
report 6 conflicts

finish
