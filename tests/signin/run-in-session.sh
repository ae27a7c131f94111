#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a TAP test in an X server and a D-Bus session of its own:
#   run-in-session.sh TEST [ARGS...]
# The private bus keeps the test (and the WebKit processes it starts) off the desktop's.
# Services that bus activates (the accessibility registry, say) print to the output they
# inherit; only the test's own output may reach the TAP stream, so theirs goes to stderr.
set -eu

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool not found"
    exit 0
  fi
done

# The test's temporary files (its XDG homes among them) go, even when it fails.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tether-signin.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export TMPDIR="$scratch"

status=0
exec 3>&1
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- sh -c 'exec "$@" 1>&3 3>&-' sh "$@" 1>&2 || status=$?
exit "$status"
