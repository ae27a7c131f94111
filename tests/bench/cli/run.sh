#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tether-cli against the official TypeScript SDK client (@modelcontextprotocol/sdk 1.x), side
# by side in one run, each making sequential echo calls to one server-everything instance over
# Streamable HTTP. The targets (DESIGN.md): at most 1/10 of the SDK client's CPU per call and
# 1/5 of its peak RSS.
#   run.sh [BUILD_DIR]
# BUILD_DIR (default _build-client) must hold an optimised build without sanitizers.
#
# What is compared. Every client runs as its own process, once with 1 call and once with CALLS
# (default 2000); CPU is user + system time of the whole process, read with wait4(2). The CPU
# per call is the slope between the two runs, (cpu(CALLS) - cpu(1)) / (CALLS - 1): what one
# more call costs, without the start-up, connect and initialize that each pays once (Node's
# start-up alone is about 0.6 s of CPU, tether-cli's about 10 ms). The whole-process figure,
# cpu(CALLS) / CALLS, is printed too. Peak RSS is that of the CALLS run. Each measurement is
# taken REPEATS times (default 3), interleaved, and the least CPU kept: on a busy machine the
# noise only ever adds time.
#
# A third row, "libsoup alone" (soup-echo.c, compiled here with cc), is a bare libsoup client
# making the same calls with no MCP library: the floor under anything built on libsoup.
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
  python3 - "$@" <<'EOF2'
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"{sys.argv[1]} failed with status {os.waitstatus_to_exitcode(status)}")
print(f"{usage.ru_utime + usage.ru_stime:.3f} {usage.ru_maxrss} {wall:.3f}")
EOF2
}

tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
soup_echo="$tmp/soup-echo"
# shellcheck disable=SC2046 # pkg-config output is meant to be split into words
${CC:-cc} -std=gnu17 -O2 "$here/soup-echo.c" $(pkg-config --cflags --libs libsoup-3.0) \
  -o "$soup_echo"

run_client () {
  case $1 in
    tether) measure "$cli" --quiet --repeat "$2" call echo '{"message": "bench"}' "$url" ;;
    sdk)    measure "$node" "$here/sdk-echo.mjs" "$url" "$2" ;;
    soup)   measure "$soup_echo" "$url" "$2" ;;
  esac
}

# A few calls first, so no client pays for the server's warm-up.
"$cli" --quiet --repeat 50 call echo '{"message": "bench"}' "$url" >/dev/null 2>&1

repeats=${REPEATS:-3}
results="$tmp/results"
: >"$results"
i=0
while [ "$i" -lt "$repeats" ]; do
  for client in tether sdk soup; do
    for n in 1 "$calls"; do
      result=$(run_client "$client" "$n")
      echo "$client $n $result" >>"$results"
    done
  done
  i=$((i + 1))
done

python3 - "$calls" "$results" <<'EOF2'
import sys
calls = int(sys.argv[1])
best = {}
for line in open(sys.argv[2]):
    client, n, cpu, rss, wall = line.split()
    key = (client, int(n))
    cpu, rss, wall = float(cpu), int(rss), float(wall)
    if key not in best or cpu < best[key][0]:
        best[key] = (cpu, rss, wall)

def row(client):
    one, many = best[(client, 1)], best[(client, calls)]
    slope = (many[0] - one[0]) / (calls - 1)
    return slope, many[0] / calls, one[0], many[1] / 1024, many[2]

names = {"tether": "tether-cli", "sdk": "TypeScript SDK 1.x client", "soup": "libsoup alone"}
rows = {client: row(client) for client in names}
print(f"{calls} sequential echo calls over Streamable HTTP to server-everything")
print(f"{'client':<27}{'CPU ms/call':>12}{'(whole run)':>12}{'start CPU s':>12}"
      f"{'peak RSS MiB':>13}{'wall s':>8}")
for client, name in names.items():
    slope, whole, start, rss, wall = rows[client]
    print(f"{name:<27}{1000 * slope:>12.3f}{1000 * whole:>12.3f}{start:>12.3f}"
          f"{rss:>13.1f}{wall:>8.2f}")
t, s, f = rows["tether"], rows["sdk"], rows["soup"]
print(f"ratio tether/SDK: CPU per call {t[0] / s[0]:.3f} (target <= 0.100; whole run "
      f"{t[1] / s[1]:.3f}), peak RSS {t[3] / s[3]:.3f} (target <= 0.200)")
print(f"ratio libsoup alone/SDK: CPU per call {f[0] / s[0]:.3f}")
EOF2
