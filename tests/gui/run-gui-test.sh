#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one GUI test script in its own X server and D-Bus session, with accessibility on:
#   run-gui-test.sh SCRIPT [ARGS...]
# The session bus activates the AT-SPI bus (org.a11y.Bus) the first time GTK asks for it.
set -eu

# The unit tests switch accessibility off; here AT-SPI is how the test sees the window.
unset NO_AT_BRIDGE GTK_A11Y

# Debian's dogtail and pyatspi live in the system interpreter, not in any other python3.
python=${GUI_TEST_PYTHON:-/usr/bin/python3}

# Without the tools the test cannot run at all: report a skip (77), not a failure.
for tool in xvfb-run dbus-run-session import "$python"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool not found: GUI test skipped"
    exit 77
  fi
done
if ! "$python" -c 'import dogtail, pyatspi' >/dev/null 2>&1; then
  echo "dogtail or pyatspi missing for $python: GUI test skipped"
  exit 77
fi

# Keep the application (and the portal and keyring GTK wakes up on the private bus) away
# from the real user's configuration, data and cache.
home=$(mktemp -d "${TMPDIR:-/tmp}/tether-gui-test.XXXXXX")
trap 'rm -rf "$home"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
       XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state"

status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- "$python" "$@" || status=$?
exit "$status"
