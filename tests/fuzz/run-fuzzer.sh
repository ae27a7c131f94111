#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer target for a bounded time; the 'fuzz' test suite calls it.
#   run-fuzzer.sh FUZZER SEED_DIR WORK_DIR [DICTIONARY]
# FUZZ_SECONDS (default 30) is how long to fuzz. The seeds in the source tree are copied into
# WORK_DIR in the build directory, which keeps what the fuzzer finds from one run to the next;
# crashing inputs are written to WORK_DIR.artifacts/.
set -eu

if [ $# -lt 3 ]; then
  echo "usage: $0 FUZZER SEED_DIR WORK_DIR [DICTIONARY]" >&2
  exit 2
fi

fuzzer=$1
seeds=$2
work=$3
dictionary=${4:-}
seconds=${FUZZ_SECONDS:-30}

case $seconds in
  '' | *[!0-9]*)
    echo "FUZZ_SECONDS must be a whole number of seconds, got '$seconds'" >&2
    exit 2
    ;;
esac

mkdir -p "$work" "$work.artifacts"
if [ -d "$seeds" ]; then
  cp -R "$seeds"/. "$work"/
fi

# libFuzzer reports a crash with exit status 77 by default, which meson reads as "skipped".
set -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -artifact_prefix="$work.artifacts/" -print_final_stats=1
if [ -n "$dictionary" ]; then
  set -- "$@" -dict="$dictionary"
fi

echo "Fuzzing $fuzzer for $seconds s with corpus $work"
exec "$fuzzer" "$@" "$work"
