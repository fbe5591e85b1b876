#!/usr/bin/env bash
# The README's `make test` on a machine where nothing listens on PostgreSQL's or Redis's port:
# a fresh clone in a directory only root can enter, run in a network namespace that has only
# loopback (so no server of this machine is reachable and there is no network). services.sh
# must start private servers inside it, the tests must find them, and they are stopped after.
#
#   sudo bash scripts/fresh_machine_check.sh [pytest arguments]
#
# The clone reuses this checkout's installed .venv and node_modules (without network nothing
# could be installed): this checks the services and the settings, not the installation.
# It runs as root (ip netns); tests/deploy/test_fresh_machine.py runs it from `make test`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
DEFAULT_TESTS=(tests/test_db.py tests/accounts tests/tenants/test_celery_worker.py
  tests/reliability/test_database_restart.py tests/deploy/test_probes.py)
if [ $# -gt 0 ]; then TESTS=("$@"); else TESTS=("${DEFAULT_TESTS[@]}" -q -p no:randomly); fi

[ "$(id -u)" = 0 ] || { echo "fresh_machine_check: needs root (ip netns)" >&2; exit 2; }
for tool in ip git make; do
  command -v "$tool" >/dev/null || { echo "fresh_machine_check: $tool is missing" >&2; exit 2; }
done

namespace=seller-suite-fresh-$$
parent=$(mktemp -d /tmp/seller-suite-fresh.XXXXXX)
chmod 700 "$parent" # only root may enter, like a home directory
clone=$parent/checkout

in_namespace() {
  # A machine's bare environment: none of this shell's DATABASE_URL, TEST_*, DJANGO_* ...
  ip netns exec "$namespace" env -i PATH="$PATH" HOME="$parent" LANG=C.UTF-8 TERM=dumb "$@"
}

cleanup() {
  set +e
  if ip netns list | grep -qw "$namespace"; then
    in_namespace bash "$clone/scripts/services.sh" purge
    # Anything the tests left running in the namespace (a worker, a server) goes with it.
    for pid in $(ip netns pids "$namespace"); do kill -TERM "$pid" 2>/dev/null; done
    sleep 0.5
    for pid in $(ip netns pids "$namespace"); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$namespace"
  fi
  rm -rf "$parent"
}
trap cleanup EXIT
trap "exit 143" TERM INT # stopped from outside: clean up all the same

# A clone of this repository, plus the working tree's changes not committed yet, so the check
# sees what a commit of this tree would contain (in CI the two are the same).
git clone --quiet "$ROOT" "$clone"
(
  cd "$ROOT"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
    if [ -e "$path" ] || [ -L "$path" ]; then printf '%s\0' "$path"; fi
  done | tar --null -T - -cf - | tar -xf - -C "$clone"
  git ls-files -z --deleted | (cd "$clone" && xargs -0 -r rm -f --)
)
ln -s "$ROOT/.venv" "$clone/.venv"
ln -s "$ROOT/node_modules" "$clone/node_modules"

ip netns add "$namespace"
ip netns exec "$namespace" ip link set lo up
for port in 5432 6379; do
  if in_namespace timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    echo "fresh_machine_check: port $port answers inside the namespace" >&2
    exit 1
  fi
done

echo "fresh_machine_check: make test in $clone, network namespace $namespace"
# -o: the installed .venv and node_modules count as up to date (no network to refresh them).
in_namespace make -C "$clone" -o .venv/.installed -o node_modules/.installed test \
  PYTEST_ARGS="${TESTS[*]}"
echo "fresh_machine_check: services.env was"
cat "$clone/.local/services.env"
in_namespace bash "$clone/scripts/services.sh" stop
