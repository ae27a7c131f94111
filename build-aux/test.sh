#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, then builds and runs every test of Tether:
#   1. a plain build: unit, integration, GUI (Xvfb + AT-SPI) and validation tests;
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build: the same tests again;
#   3. a clang build of the libFuzzer targets, each run for FUZZ_SECONDS (default 30).
# Ends with one line "N passed, N failed, N skipped" over all three.
#   build-aux/test.sh [meson test arguments, e.g. --suite unit]
set -eu

srcdir="$(cd "$(dirname "$0")/.." && pwd)"
cd "$srcdir"

build-aux/install-deps.sh test

export FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
status=0
summaries=""

run_build () {
  name="$1"; shift
  dir="$srcdir/_build-test/$name"
  echo "=== $name build ($dir)"
  if [ ! -f "$dir/build.ninja" ]; then
    env ${CC_FOR_BUILD:+CC=$CC_FOR_BUILD} meson setup "$dir" "$srcdir" "$@"
  fi
  meson compile -C "$dir"
  echo "=== $name tests"
  if ! meson test -C "$dir" --print-errorlogs --num-processes 2 $suite_args; then
    status=1
  fi
  summaries="$summaries $dir/meson-logs/testlog.json"
}

suite_args="$*"
# Without arguments the fuzz build runs only its fuzz suite (its unit tests ran twice already).
CC_FOR_BUILD="" run_build plain
CC_FOR_BUILD="" run_build sanitize -Db_sanitize=address,undefined -Db_lundef=false
if [ -z "$suite_args" ]; then
  suite_args="--suite fuzz"
  CC_FOR_BUILD=clang run_build fuzz -Dfuzzing=true -Dapp=false \
    -Db_sanitize=address,undefined -Db_lundef=false
fi

python3 "$srcdir/build-aux/test-summary.py" $summaries || status=1
exit $status
