#!/usr/bin/env bash
# A multi-host test network on one machine: N network namespaces joined by a bridge, one Syncthing
# per namespace sharing the folder `formix`. Nothing leaves the machine: the bridge lives in its own
# namespace without an address, no namespace has a route out, and Syncthing's discovery, relays,
# NAT traversal, usage reporting, crash reporting and upgrades are all off. Needs root, `ip`,
# `syncthing` (1.19+), `curl` and `jq`. Docs: docs/multihost.md.
#
#   net.sh up [--hosts N] [--dir DIR] [--prefix P] [--timeout S]
#                              namespaces P1..PN (default fxh1..fxh3) at 10.77.0.K/24, bridge in
#                              namespace Pbr; Syncthing homes in DIR/hK/syncthing, folders in
#                              DIR/hK/data; waits (at most S s, default 60) for a full mesh
#   net.sh down [--dir DIR]    stops the Syncthings it started, deletes the namespaces (idempotent)
#   net.sh exec [--dir DIR] K CMD...  runs CMD (verbatim, options included) inside host K's namespace
#   net.sh partition K | heal K     link down / up of host K's cable (its veth on the bridge)
#   net.sh pause K | resume K       pauses / resumes every device on host K's Syncthing (REST)
#   net.sh api K METHOD PATH [BODY] calls host K's REST API, prints the answer
#   net.sh status              hosts, pids, connections
#   net.sh wait-connected      waits (bounded) until every host sees every other
#
# DIR defaults to $FORMIX_MULTIHOST_DIR or sandbox/multihost; the commands after `up` find the
# prefix and host count in DIR/net.env.
set -euo pipefail
FORMIX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${FORMIX_MULTIHOST_DIR:-$FORMIX_ROOT/sandbox/multihost}"
HOSTS=3
PREFIX=fxh
TIMEOUT=60
SUBNET=10.77.0
API_PORT=8384
SYNC_PORT=22000

die() { echo "net.sh: $*" >&2; exit 1; }
log() { echo "net.sh: $*" >&2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

# Options may come anywhere after the command, except after `exec K`: what follows K is the
# command to run, verbatim.
ARGS=()
parse_options() {
  while [ $# -gt 0 ]; do
    if [ "$CMD" = exec ] && [ ${#ARGS[@]} -ge 1 ]; then
      ARGS+=("$@")
      return
    fi
    case "$1" in
      --hosts) HOSTS="${2:?--hosts needs a number}"; shift 2 ;;
      --dir) DIR="${2:?--dir needs a folder}"; shift 2 ;;
      --prefix) PREFIX="${2:?--prefix needs a name}"; shift 2 ;;
      --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift 2 ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
}

load_env() {
  if [ -f "$DIR/net.env" ]; then
    # Written by `up`: HOSTS=, PREFIX=
    HOSTS="$(sed -n 's/^HOSTS=\([0-9]*\)$/\1/p' "$DIR/net.env")"
    PREFIX="$(sed -n 's/^PREFIX=\([a-z0-9]*\)$/\1/p' "$DIR/net.env")"
    [ -n "$HOSTS" ] && [ -n "$PREFIX" ] || die "$DIR/net.env is damaged; run: net.sh down --dir $DIR"
  fi
}

need_up() { [ -f "$DIR/net.env" ] || die "no network under $DIR (run: net.sh up --dir $DIR)"; }

check_host() {
  [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$HOSTS" ] || die "host must be 1..$HOSTS, not '$1'"
}

ns() { echo "$PREFIX$1"; }
brns() { echo "${PREFIX}br"; }
apikey() { cat "$DIR/h$1/syncthing/apikey"; }

# api K METHOD PATH [BODY]: host K's REST API, from inside its namespace.
api() {
  local k="$1" method="$2" path="$3" body="${4:-}"
  local args=(-fsS --max-time 10 -X "$method" -H "X-API-Key: $(apikey "$k")")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  ip netns exec "$(ns "$k")" curl --noproxy "*" "${args[@]}" "http://127.0.0.1:$API_PORT$path"
}

# Our namespaces as they exist now: PREFIX1..N and PREFIXbr, including leftovers of a failed `up`.
own_namespaces() {
  ip netns list | awk '{ print $1 }' | grep -E "^${PREFIX}([0-9]+|br)$" || true
}

# Processes of this network: each recorded pid if it is still that syncthing, and anything else
# running inside our namespaces (only this script starts processes there).
own_pids() {
  local k pid n
  for k in $(seq 1 "$HOSTS"); do
    pid="$(cat "$DIR/h$k/syncthing/pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
        && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--home=$DIR/h$k/syncthing"; then
      echo "$pid"
    fi
  done
  for n in $(own_namespaces); do ip netns pids "$n" 2>/dev/null || true; done
}

cmd_down() {
  load_env
  local pids pid i
  pids="$(own_pids | sort -u)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 1 50); do
      local alive=""
      for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
      [ -z "$alive" ] && break
      sleep 0.1
    done
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true; done
  fi
  local n
  for n in $(own_namespaces); do
    ip netns del "$n" 2>/dev/null || log "could not delete namespace $n"
  done
  rm -f "$DIR/net.env"
  for i in $(seq 1 "$HOSTS"); do rm -f "$DIR/h$i/syncthing/pid"; done
}

# The ignore patterns of the shared folder (docs/multihost.md, "The .stignore recipe").
write_stignore() {
  cat >"$1/.stignore" <<'EOF'
// Formix host-local state: each file below is written by one host for itself and must not travel.
// Locks of the parties running on this host (<root>/.<party>.lock).
.*.lock
// Senders' temp files (renamed into place as <n>.msg; only the rename is a message).
.tmp-*
// Senders' counters and receivers' cursors (.formix-send-next, .formix-recv-cursor) and any
// other .formix-* bookkeeping. No (?d): a remote deletion must never remove a host's cursor.
.formix-*
// Corrupt messages moved aside by this host's receivers.
.quarantine
// Desktop clutter, which Syncthing may delete when it is in the way of a removed folder.
(?d).DS_Store
(?d)Thumbs.db
(?d)desktop.ini
EOF
}

# config.xml of host K (its own device first, then every other device with its static address).
write_config() {
  local k="$1" home="$DIR/h$1/syncthing" data="$DIR/h$1/data" version
  version="$(sed -n 's/.*<configuration version="\([0-9]*\)".*/\1/p' "$home/config.xml")"
  {
    echo "<configuration version=\"${version:-36}\">"
    echo "    <folder id=\"formix\" label=\"formix\" path=\"$data\" type=\"sendreceive\" rescanIntervalS=\"60\" fsWatcherEnabled=\"true\" fsWatcherDelayS=\"1\" ignorePerms=\"false\" autoNormalize=\"true\">"
    local j
    for j in $(seq 1 "$HOSTS"); do
      echo "        <device id=\"$(cat "$DIR/h$j/syncthing/device-id")\" introducedBy=\"\"></device>"
    done
    echo "        <order>alphabetic</order>"
    echo "        <markerName>.stfolder</markerName>"
    echo "    </folder>"
    for j in $(seq 1 "$HOSTS"); do
      echo "    <device id=\"$(cat "$DIR/h$j/syncthing/device-id")\" name=\"h$j\" compression=\"metadata\" introducer=\"false\">"
      echo "        <address>tcp://$SUBNET.$j:$SYNC_PORT</address>"
      echo "        <autoAcceptFolders>false</autoAcceptFolders>"
      echo "    </device>"
    done
    cat <<EOF
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:$API_PORT</address>
        <apikey>$(apikey "$k")</apikey>
    </gui>
    <options>
        <listenAddress>tcp://$SUBNET.$k:$SYNC_PORT</listenAddress>
        <globalAnnounceServer></globalAnnounceServer>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <urSeen>3</urSeen>
        <urURL></urURL>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <releasesURL></releasesURL>
        <crashReportingEnabled>false</crashReportingEnabled>
        <crashReportingURL></crashReportingURL>
        <startBrowser>false</startBrowser>
        <stunServer></stunServer>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <reconnectionIntervalS>5</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
        <unackedNotificationID></unackedNotificationID>
    </options>
</configuration>
EOF
  } >"$home/config.xml.new"
  mv "$home/config.xml.new" "$home/config.xml"
}

connected_count() { # K: how many peers host K is connected to
  api "$1" GET /rest/system/connections 2>/dev/null \
    | jq '[.connections[] | select(.connected)] | length' 2>/dev/null || echo 0
}

cmd_wait_connected() {
  load_env; need_up
  local deadline=$((SECONDS + TIMEOUT)) k missing
  while :; do
    missing=""
    for k in $(seq 1 "$HOSTS"); do
      [ "$(connected_count "$k")" -eq $((HOSTS - 1)) ] || missing+=" h$k"
    done
    [ -z "$missing" ] && return 0
    [ $SECONDS -lt $deadline ] || die "not all devices connected after ${TIMEOUT}s (still waiting:$missing); logs in $DIR/h*/syncthing.log"
    sleep 0.2
  done
}

cmd_up() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
  local tool
  for tool in ip syncthing curl jq; do command -v "$tool" >/dev/null || die "needs '$tool' on the PATH"; done
  [[ "$HOSTS" =~ ^[0-9]+$ ]] && [ "$HOSTS" -ge 2 ] && [ "$HOSTS" -le 200 ] || die "--hosts must be 2..200"
  [[ "$PREFIX" =~ ^[a-z][a-z0-9]{0,7}$ ]] || die "--prefix must be a short lower-case name"
  if [ -n "$(own_namespaces)" ]; then
    die "namespaces ${PREFIX}* already exist (run: net.sh down --dir ... --prefix $PREFIX)"
  fi
  [ -e "$DIR/net.env" ] && die "$DIR already holds a network (run: net.sh down --dir $DIR)"
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  trap 'log "up failed; cleaning up"; cmd_down' EXIT
  trap 'exit 130' INT TERM HUP
  printf 'HOSTS=%s\nPREFIX=%s\n' "$HOSTS" "$PREFIX" >"$DIR/net.env"

  # The bridge, in its own namespace: no address, no route, no forwarding to anywhere else.
  local br k
  br="$(brns)"
  ip netns add "$br"
  ip -n "$br" link add br0 type bridge
  ip -n "$br" link set br0 up
  for k in $(seq 1 "$HOSTS"); do
    ip netns add "$(ns "$k")"
    ip link add "vh$k" netns "$br" type veth peer name eth0 netns "$(ns "$k")"
    ip -n "$br" link set "vh$k" master br0 up
    ip -n "$(ns "$k")" link set lo up
    ip -n "$(ns "$k")" addr add "$SUBNET.$k/24" dev eth0
    ip -n "$(ns "$k")" link set eth0 up
  done

  # Keys, device ids, config and ignore patterns, all before the first start.
  for k in $(seq 1 "$HOSTS"); do
    local home="$DIR/h$k/syncthing"
    rm -rf "${DIR:?}/h$k" # every `up` starts from empty folders and new device ids
    mkdir -p "$home" "$DIR/h$k/data"
    syncthing generate --home="$home" --no-default-folder --skip-port-probing >/dev/null 2>&1 \
      || die "syncthing generate failed for h$k"
    syncthing --home="$home" --device-id >"$home/device-id"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$home/apikey"
    write_stignore "$DIR/h$k/data"
  done
  for k in $(seq 1 "$HOSTS"); do write_config "$k"; done

  # One Syncthing per namespace, each started once its predecessors answer, so that its first
  # dial finds them listening.
  for k in $(seq 1 "$HOSTS"); do
    local home="$DIR/h$k/syncthing"
    STNODEFAULTFOLDER=1 STNOUPGRADE=1 ip netns exec "$(ns "$k")" syncthing serve \
      --home="$home" --no-browser --no-restart --no-upgrade \
      --logfile="$DIR/h$k/syncthing.log" </dev/null >>"$DIR/h$k/syncthing.out" 2>&1 &
    echo $! >"$home/pid"
    local deadline=$((SECONDS + TIMEOUT))
    until api "$k" GET /rest/system/ping >/dev/null 2>&1; do
      kill -0 "$(cat "$home/pid")" 2>/dev/null || die "syncthing on h$k exited; see $DIR/h$k/syncthing.out"
      [ $SECONDS -lt $deadline ] || die "syncthing on h$k did not answer within ${TIMEOUT}s"
      sleep 0.1
    done
  done
  cmd_wait_connected
  trap - EXIT INT TERM HUP
  log "up: $HOSTS hosts ($(ns 1)..$(ns "$HOSTS"), $SUBNET.1..$HOSTS), folders $DIR/h*/data"
}

cmd_status() {
  load_env; need_up
  local k
  for k in $(seq 1 "$HOSTS"); do
    printf 'h%s  ns=%s  pid=%s  addr=%s.%s  peers connected=%s  device=%s\n' "$k" "$(ns "$k")" \
      "$(cat "$DIR/h$k/syncthing/pid")" "$SUBNET" "$k" "$(connected_count "$k")" \
      "$(cat "$DIR/h$k/syncthing/device-id")"
  done
}

main() {
  [ $# -ge 1 ] || { usage; exit 2; }
  local cmd="$1"; shift
  CMD="$cmd"
  parse_options "$@"
  set -- ${ARGS[@]+"${ARGS[@]}"}
  [ -d "$DIR" ] && DIR="$(cd "$DIR" && pwd)"
  case "$cmd" in
    up) [ $# -eq 0 ] || die "up takes no arguments: $*"; cmd_up ;;
    down) cmd_down ;;
    exec)
      load_env; need_up; check_host "${1:-}"; local k="$1"; shift
      [ $# -ge 1 ] || die "exec K CMD..."
      exec ip netns exec "$(ns "$k")" "$@" ;;
    partition|heal)
      load_env; need_up; check_host "${1:-}"
      ip -n "$(brns)" link set "vh$1" "$([ "$cmd" = partition ] && echo down || echo up)" ;;
    pause|resume)
      load_env; need_up; check_host "${1:-}"
      api "$1" POST "/rest/system/$cmd" >/dev/null ;;
    api)
      load_env; need_up; check_host "${1:-}"
      [ $# -ge 3 ] || die "api K METHOD PATH [BODY]"
      api "$@"; echo ;;
    status) cmd_status ;;
    wait-connected) cmd_wait_connected ;;
    -h|--help|help) usage ;;
    *) die "unknown command '$cmd' (up, down, exec, partition, heal, pause, resume, api, status, wait-connected)" ;;
  esac
}

main "$@"
