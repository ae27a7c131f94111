#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Tether and runs it from the build directory, together with
# tether-demo-server (the reference scenario offline: an MCP server that is its own OAuth
# server, with its own sign-in page) and a connection to it ready to use.
#   build-aux/run.sh [--keep-profile] [--no-demo] [-- tether arguments]
# By default the app runs in a throwaway profile (config, data and cache under a temporary
# directory, deleted on exit) so trying it never touches your own settings and connections;
# --keep-profile uses your real ones (and then adds no connection to them).
# The demo server listens on 127.0.0.1:8000 (TETHER_DEMO_PORT to change), or on a free port
# when that one is taken; it stops when Tether exits. TETHER_BUILDDIR names another build
# directory than _build (the test of this script uses the test build's).
set -eu

srcdir="$(cd "$(dirname "$0")/.." && pwd)"
builddir="${TETHER_BUILDDIR:-$srcdir/_build}"
keep_profile=no
demo=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-profile) keep_profile=yes; shift ;;
    --no-demo) demo=no; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done

"$srcdir/build-aux/install-deps.sh" build

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$srcdir" -Ddevelopment=true
fi
meson compile -C "$builddir"

. "$srcdir/build-aux/uninstalled-env.sh"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/tether-run.XXXXXX")"
demo_pid=""
cleanup () {
  if [ -n "$demo_pid" ]; then
    kill "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

demo_url=""
if [ "$demo" = yes ]; then
  server="$builddir/src/demo-server/tether-demo-server"
  for port in "${TETHER_DEMO_PORT:-8000}" 0; do
    : > "$workdir/demo.out"
    # Offline mode always: GitHub credentials in the environment would switch it to GitHub.
    env -u MCP_GITHUB_GITHUB_CLIENT_ID -u MCP_GITHUB_GITHUB_CLIENT_SECRET \
      "$server" --port "$port" > "$workdir/demo.out" 2> "$workdir/demo.log" &
    demo_pid=$!
    for _ in $(seq 50); do
      if grep -q '^Listening on ' "$workdir/demo.out"; then
        break
      fi
      if ! kill -0 "$demo_pid" 2>/dev/null; then
        break
      fi
      sleep 0.1
    done
    if grep -q '^Listening on ' "$workdir/demo.out"; then
      actual_port="$(sed -n 's|^Listening on http://[^:]*:\([0-9]*\).*|\1|p' "$workdir/demo.out")"
      demo_url="http://localhost:$actual_port/mcp"
      echo "tether-demo-server is running at $demo_url (its log: $workdir/demo.log)"
      break
    fi
    wait "$demo_pid" 2>/dev/null || true
    demo_pid=""
  done
  if [ -z "$demo_url" ]; then
    echo "tether-demo-server did not start; running Tether without it:" >&2
    cat "$workdir/demo.log" >&2 || true
  fi
fi

if [ "$keep_profile" = no ]; then
  profile="$workdir/profile"
  export XDG_CONFIG_HOME="$profile/config" XDG_DATA_HOME="$profile/data" \
         XDG_CACHE_HOME="$profile/cache" XDG_STATE_HOME="$profile/state"
  export GSETTINGS_BACKEND=memory
  mkdir -p "$XDG_CONFIG_HOME/tether"
  if [ -n "$demo_url" ]; then
    python3 - "$XDG_CONFIG_HOME/tether/connections.json" "$demo_url" <<'PY'
import json, sys, uuid
path, url = sys.argv[1], sys.argv[2]
connection = {
    "id": str(uuid.uuid4()),
    "name": "Demo Server (simple-auth)",
    "transport": "http",
    "url": url,
    "auth-mode": "oauth",
}
with open(path, "w", encoding="utf-8") as f:
    json.dump({"version": 1, "connections": [connection]}, f, indent=2)
PY
  fi
  echo "Running Tether in a throwaway profile; use --keep-profile to keep settings."
fi

"$builddir/src/app/tether" "$@"
