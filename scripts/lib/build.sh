# Sourced by the launchers in scripts/. Builds a module (and what it needs) when its jars are
# missing or older than the sources, then sets MODULE_CP to its runtime class path.
#   build_module <module>     e.g. build_module benchmarks
# Launchers started at the same moment (a demo starting several proxies) build once: the check
# and the build run under a lock on target/.build.lock.
FORMIX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

build_module() {
  local module="$1"
  mkdir -p "$FORMIX_ROOT/target"
  (
    if command -v flock >/dev/null; then flock 9; fi
    local stamp="$FORMIX_ROOT/$module/target/lib/.built"
    if [ ! -f "$stamp" ] || [ -n "$(find "$FORMIX_ROOT" -path '*/target' -prune -o \
          \( -name '*.java' -o -name 'pom.xml' \) -newer "$stamp" -print -quit)" ]; then
      echo "building $module (first use or sources changed) ..." >&2
      (cd "$FORMIX_ROOT" && mvn -q -B -pl "$module" -am package -DskipTests) >&2
      touch "$stamp"
    fi
  ) 9>"$FORMIX_ROOT/target/.build.lock"
  MODULE_CP="$(ls "$FORMIX_ROOT/$module"/target/"$module"-*.jar | grep -v -e '-tests.jar' -e '-sources.jar' | head -n 1):$FORMIX_ROOT/$module/target/lib/*"
}
