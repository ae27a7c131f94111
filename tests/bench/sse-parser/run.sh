#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Measures McpSseParser against a plain memchr('\n') scan over ~200 MB of generated MCP
# event-stream traffic fed in 64 KiB chunks, for LF and CRLF line ends and for a stream of
# small events only. Prints MB/s for both and the ratio (parser time / memchr time).
#   run.sh [BUILD_DIR]
# With BUILD_DIR, its bench-sse-parser is used (make sure that build is optimised and not
# sanitised); without, the benchmark is compiled here with -O2 from the sources.
# MEGABYTES (default 200), CHUNK (default 65536) and REPEATS (default 5) tune the run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${1:-}

if [ -n "$build" ]; then
  bench="$build/tests/bench/sse-parser/bench-sse-parser"
  if [ ! -x "$bench" ]; then
    echo "No $bench: build it with 'meson compile -C $build bench-sse-parser'" >&2
    exit 1
  fi
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT INT TERM
  bench="$tmp/bench-sse-parser"
  # shellcheck disable=SC2046 # pkg-config output is meant to be split into words
  ${CC:-cc} -std=gnu17 -O2 \
    -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
    -I"$top/src/mcp" "$top/src/mcp/mcp-sse-parser.c" "$top/src/mcp/mcp-sse-parser-lines.c" \
    "$top/src/mcp/mcp-sse-event.c" "$here/bench-sse-parser.c" \
    $(pkg-config --cflags --libs gobject-2.0) -o "$bench"
fi

for kind in "--profile=mixed" "--profile=mixed --crlf" "--profile=small"; do
  # shellcheck disable=SC2086 # $kind holds several options
  "$bench" --megabytes="${MEGABYTES:-200}" --chunk="${CHUNK:-65536}" \
    --repeats="${REPEATS:-5}" $kind
  echo
done
