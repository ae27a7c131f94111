#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tether-cli signs in to a real OAuth-protected MCP server with the keyring as its token store,
# and no token it obtained shows up in any output or log of the run:
#   test-cli-auth.sh demo|sdk
# demo: tether-demo-server --auto-approve (DEMO_SERVER names it); sdk: the TypeScript SDK's
# simpleStreamableHttp.js --oauth from tests/peers. Runs itself again under a private D-Bus
# session with an unlocked gnome-keyring; HOME and the XDG directories are fresh temporary ones.
# The tokens are read back from the keyring with secret-tool, then searched for (fixed strings)
# in tether-cli's stdout and stderr, the server's logs and every file under the temporary
# directories. Exit 77 (skip) when a needed program is missing.
set -eu

peer="${1:?usage: $0 demo|sdk}"
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${TETHER_AUTH_TEST_INNER:-}" ]; then
  for tool in gnome-keyring-daemon dbus-run-session secret-tool python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$tool is not installed: skipping"
      exit 77
    fi
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tether-cli-auth.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT INT TERM
  mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime" "$tmp/logs"
  chmod 700 "$tmp/runtime"
  status=0
  env HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
    XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" TETHER_AUTH_TEST_INNER="$tmp" \
    DISPLAY= WAYLAND_DISPLAY= \
    dbus-run-session -- sh -c '
      printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      exec "$@"' sh "$0" "$peer" || status=$?
  exit "$status"
fi

tmp="$TETHER_AUTH_TEST_INNER"
logs="$tmp/logs"
cli="${TETHER_CLI:?TETHER_CLI names tether-cli}"
server_pid=

cleanup () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

free_port () {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for () {
  # wait_for FILE PATTERN: until the server's log shows PATTERN (30 s at most)
  i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -le 300 ] || fail "the server did not start: $(cat "$1")"
    sleep 0.1
  done
}

case "$peer" in
  demo)
    "${DEMO_SERVER:?DEMO_SERVER names tether-demo-server}" --port 0 --auto-approve \
      --host 127.0.0.1 >"$logs/server.out" 2>"$logs/server.err" &
    server_pid=$!
    wait_for "$logs/server.out" "Listening on"
    url="$(sed -n 's/.*Listening on \(http:[^ ]*\).*/\1/p' "$logs/server.out" | head -n 1)/mcp"
    tool=get_user_profile
    ;;
  sdk)
    peers="${TETHER_PEERS_DIR:-$here/../peers}/node_modules"
    node="$peers/node/bin/node"
    [ -x "$node" ] || node="$peers/.bin/node"
    script="$peers/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js"
    if [ ! -x "$node" ] || [ ! -f "$script" ]; then
      echo "the TypeScript SDK or Node is not installed (npm ci in tests/peers): skipping"
      exit 77
    fi
    mcp_port=$(free_port)
    MCP_PORT=$mcp_port MCP_AUTH_PORT=$(free_port) "$node" "$script" --oauth \
      >"$logs/server.out" 2>"$logs/server.err" &
    server_pid=$!
    wait_for "$logs/server.out" "Server listening on port $mcp_port"
    url="http://localhost:$mcp_port/mcp"
    tool=greet
    ;;
  *)
    fail "unknown peer $peer"
    ;;
esac

# Sign in and use the server; the second run takes the token from the keyring.
"$cli" --auth headless tools "$url" >"$logs/tools.out" 2>"$logs/tools.err" ||
  fail "tools exited with $?: $(cat "$logs/tools.err")"
grep -q "\"$tool\"" "$logs/tools.out" || fail "no $tool in the tool list"
grep -q "Registering at" "$logs/tools.err" || fail "the first run did not sign in"
"$cli" --auth headless call "$tool" '{"name":"tether"}' "$url" >"$logs/call.out" \
  2>"$logs/call.err" || fail "call exited with $?: $(cat "$logs/call.err")"
if grep -q "Registering at\|Authorizing at" "$logs/call.err"; then
  fail "the second run signed in again instead of using the keyring"
fi

# The tokens, from the keyring.
secret-tool search --all xdg:schema io.github.tethermcp.Tether.Token \
  >"$tmp/secrets" 2>/dev/null || true
tokens=$(python3 - "$tmp/secrets" <<'EOF'
import json, sys
found = []
for line in open(sys.argv[1]):
    if line.startswith("secret = "):
        try:
            record = json.loads(line[len("secret = "):])
        except ValueError:
            continue
        for key in ("access_token", "refresh_token"):
            value = record.get(key)
            if isinstance(value, str) and len(value) >= 8:
                found.append(value)
print("\n".join(found))
EOF
)
rm -f "$tmp/secrets"
[ -n "$tokens" ] || fail "no token in the keyring after signing in"

# The SDK example prints the AuthInfo of each request (its "token" member) itself: those lines
# are the server's own, not tether-cli's.
if [ "$peer" = sdk ]; then
  grep -v "token: '" "$logs/server.out" >"$logs/server.filtered" || true
  rm -f "$logs/server.out"
fi

# Tokens are URL-safe strings without spaces.
for token in $tokens; do
  if grep -rlF -- "$token" "$tmp" 2>/dev/null; then
    fail "a token tether-cli obtained appears in the files above"
  fi
done
count=$(echo "$tokens" | grep -c .)
echo "ok: $count token(s) from the keyring appear in none of $(find "$tmp" -type f | wc -l) files"

# logout forgets them.
"$cli" logout "$url" 2>"$logs/logout.err" || fail "logout exited with $?"
remaining=$(secret-tool search --all xdg:schema io.github.tethermcp.Tether.Token 2>&1 |
  grep -c "^secret = " || true)
[ "$remaining" -eq 0 ] || fail "$remaining secret(s) remain after logout"
echo "ok: logout left nothing in the keyring"
