#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Sustained echo calls per second against tether-demo-server (Streamable HTTP, OAuth on),
# with the server's CPU time per call and peak RSS read from /proc.
#   run.sh [BUILD_DIR]
# BUILD_DIR (default _build-demo) must hold an optimised, unsanitised build.
# CALLS (default 2000) sets the number of timed calls; CLIENTS (default "node-sdk tether-cli
# python-raw") picks the clients: node-sdk is the official TypeScript SDK client from
# tests/peers, tether-cli ours (BUILD_DIR's, signing in with --auth headless), python-raw a
# keep-alive stdlib client that costs little, so it shows the server's own pace.
# tether-cli runs as a process of its own: once with one call, once with CALLS, and its CPU
# per call is the difference over CALLS - 1, so that sign-in, start-up and connect drop out
# as they do for the other two (which time only their calls, after sign-in and warm-up).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-$top/_build-demo}
server="$build/src/demo-server/tether-demo-server"
calls=${CALLS:-2000}
clients=${CLIENTS:-node-sdk tether-cli python-raw}
cli="$build/src/cli/tether-cli"

if [ ! -x "$server" ]; then
  echo "No $server: build it with 'meson compile -C $build tether-demo-server'" >&2
  exit 1
fi

tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Clock ticks of user+system CPU of a process.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# tether-cli making $2 echo calls to $1: prints "CPU_SECONDS MAX_RSS_KIB WALL_SECONDS".
tether_run() {
  python3 - "$cli" "$1" "$2" <<'EOF'
import os, subprocess, sys, time
cli, url, calls = sys.argv[1:]
start = time.monotonic()
child = subprocess.Popen([cli, "--quiet", "--auth", "headless", "--repeat", calls, "call",
                          "echo", '{"message": "call"}', url],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"tether-cli failed with status {os.waitstatus_to_exitcode(status)}")
print(f"{usage.ru_utime + usage.ru_stime:.3f} {usage.ru_maxrss} {wall:.3f}")
EOF
}

for client in $clients; do
  mkfifo "$tmp/out"
  "$server" --port 0 --auto-approve >"$tmp/out" 2>"$tmp/server.log" &
  pid=$!
  read -r line <"$tmp/out"
  rm "$tmp/out"
  port=${line##*:}
  base="http://localhost:$port"

  if [ "$client" = tether-cli ]; then
    if [ ! -x "$cli" ]; then
      echo "No $cli: build it with 'meson compile -C $build tether-cli'" >&2
      exit 1
    fi
    # The one-call run, outside the server's timed window; it warms the server up too.
    one=$(tether_run "$base/mcp" 1)
  fi

  before=$(cpu_ticks "$pid")
  case $client in
    node-sdk)
      # --no-warnings: undici warns about abort listeners on the SDK's shared AbortSignal
      # when calls outpace garbage collection; that is the client's business.
      result=$(node --no-warnings "$here/bench-echo.mjs" "$base" \
                 "$top/tests/peers/node_modules" "$calls") ;;
    python-raw)
      result=$(python3 "$here/bench-echo.py" "$base" "$calls") ;;
    tether-cli)
      many=$(tether_run "$base/mcp" "$calls")
      result=$(python3 -c '
import json, sys
calls = int(sys.argv[1])
one, many = [list(map(float, text.split())) for text in sys.argv[2:4]]
print(json.dumps({"client": "tether-cli", "calls": calls, "seconds": many[2] - one[2],
                  "client_cpu_ms_per_call": (many[0] - one[0]) * 1000 / (calls - 1),
                  "client_peak_rss_mb": many[1] / 1024}))
' "$calls" "$one" "$many") ;;
    *)
      echo "Unknown client $client" >&2; exit 2 ;;
  esac
  after=$(cpu_ticks "$pid")
  hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
  kill "$pid"; wait "$pid" || true; pid=

  # The server's CPU covers sign-in and warm-up too (about 110 requests), a small overstatement.
  echo "$result" | python3 -c '
import json, os, sys
r = json.loads(sys.stdin.read())
ticks = int(sys.argv[1]) - int(sys.argv[2])
server_ms = ticks * 1000 / os.sysconf("SC_CLK_TCK") / r["calls"]
print("%-11s %d echo calls in %.2f s: %.0f calls/s; client %.3f ms CPU/call, peak RSS %.0f MB;"
      " server %.3f ms CPU/call, peak RSS %.1f MB"
      % (r["client"], r["calls"], r["seconds"], r["calls"] / r["seconds"],
         r["client_cpu_ms_per_call"], r["client_peak_rss_mb"], server_ms,
         int(sys.argv[3]) / 1024))
' "$after" "$before" "$hwm"
done
