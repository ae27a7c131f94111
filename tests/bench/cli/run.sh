#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tether-cli against the official TypeScript SDK client (@modelcontextprotocol/sdk 1.x), side
# by side in one run: CALLS (default 2000) sequential echo calls each, to one
# server-everything instance over Streamable HTTP. Reports each client's CPU time per call
# (user + system, the whole process: start, connect, calls, close) and peak RSS, read with
# wait4(2), and the ratios. The targets (DESIGN.md): at most 1/10 of the CPU, 1/5 of the RSS.
#   run.sh [BUILD_DIR]
# BUILD_DIR (default _build-client) must hold an optimised build without sanitizers.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-$top/_build-client}
cli="$build/src/cli/tether-cli"
calls=${CALLS:-2000}
peers="${TETHER_PEERS_DIR:-$top/tests/peers}/node_modules"
node="$peers/node/bin/node"
everything="$peers/@modelcontextprotocol/server-everything/dist/index.js"

if [ ! -x "$cli" ]; then
  echo "No $cli: build it with 'meson compile -C $build tether-cli'" >&2
  exit 1
fi
if [ ! -x "$node" ] || [ ! -f "$everything" ]; then
  echo "The peers are not installed: npm ci in tests/peers" >&2
  exit 1
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/mcp"
PORT=$port "$node" "$everything" streamableHttp >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT INT TERM

python3 - "$port" <<'EOF'
import socket, sys, time
deadline = time.monotonic() + 30
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("server-everything did not start")
        time.sleep(0.1)
EOF

# Runs a command, prints "CPU_SECONDS MAX_RSS_KIB WALL_SECONDS" of that process alone.
measure () {
  python3 - "$@" <<'EOF'
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"{sys.argv[1]} failed with status {os.waitstatus_to_exitcode(status)}")
print(f"{usage.ru_utime + usage.ru_stime:.3f} {usage.ru_maxrss} {wall:.3f}")
EOF
}

# A few calls first, so neither client pays for the server's warm-up.
"$cli" --quiet --repeat 50 call echo '{"message": "bench"}' "$url" >/dev/null

set -- $(measure "$cli" --quiet --repeat "$calls" call echo '{"message": "bench"}' "$url")
tether_cpu=$1 tether_rss=$2 tether_wall=$3
set -- $(measure "$node" "$here/sdk-echo.mjs" "$url" "$calls")
sdk_cpu=$1 sdk_rss=$2 sdk_wall=$3

python3 - "$calls" "$tether_cpu" "$tether_rss" "$tether_wall" "$sdk_cpu" "$sdk_rss" "$sdk_wall" <<'EOF'
import sys
calls = int(sys.argv[1])
t_cpu, t_rss, t_wall, s_cpu, s_rss, s_wall = map(float, sys.argv[2:])
print(f"{calls} sequential echo calls over Streamable HTTP to server-everything")
print(f"{'client':<28}{'CPU ms/call':>12}{'peak RSS MiB':>14}{'wall s':>9}")
print(f"{'tether-cli':<28}{1000 * t_cpu / calls:>12.3f}{t_rss / 1024:>14.1f}{t_wall:>9.2f}")
print(f"{'TypeScript SDK 1.x client':<28}{1000 * s_cpu / calls:>12.3f}{s_rss / 1024:>14.1f}{s_wall:>9.2f}")
print(f"ratio tether/SDK: CPU {t_cpu / s_cpu:.3f} (target <= 0.100), "
      f"RSS {t_rss / s_rss:.3f} (target <= 0.200)")
EOF
