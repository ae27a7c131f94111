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

# Keep the application (and the portal, keyring and accessibility bus the private session bus
# wakes up) away from the real user's configuration, data, cache and runtime directory.
home=$(mktemp -d "${TMPDIR:-/tmp}/tether-gui-test.XXXXXX")
runtime="$home/runtime"
mkdir -m 0700 "$runtime"
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
       XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" \
       XDG_RUNTIME_DIR="$runtime"
# Every process of this run inherits this variable, services the bus activates included:
# that is how the cleanup finds what outlived the session, and nothing else.
export TETHER_GUI_TEST_HOME="$home"

# The processes whose environment names this run's home (after the unset in cleanup, this
# shell and what it starts are not among them).
ours () {
  grep -lzxF "TETHER_GUI_TEST_HOME=$home" /proc/[0-9]*/environ 2>/dev/null |
    sed -e 's|^/proc/||' -e 's|/environ$||'
}

describe () {
  for pid in "$@"; do
    printf '  %s %s\n' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
}

# FUSE file systems mounted under the home (the document portal mounts one at
# $XDG_RUNTIME_DIR/doc, or $XDG_CACHE_HOME/doc without a runtime directory), deepest first.
mounts () {
  awk -v home="$home/" 'index($2, home) == 1 && $3 ~ /^fuse/ { print $2 }' /proc/mounts |
    sort -r
}

unmount_all () {
  for mount in $(mounts); do
    fusermount3 -u "$mount" 2>/dev/null || fusermount -u "$mount" 2>/dev/null ||
      fusermount3 -uz "$mount" 2>/dev/null || fusermount -uz "$mount" 2>/dev/null ||
      echo "run-gui-test.sh: could not unmount $mount" >&2
  done
}

cleanup () {
  unset TETHER_GUI_TEST_HOME  # so that nothing this cleanup starts is taken for a straggler
  # The session bus is gone; what it activated (document portal, keyring, AT-SPI) notices and
  # exits. Give that a moment, then unmount what is left, and only then stop any straggler:
  # a FUSE daemon killed before its file system is unmounted leaves a dead mount behind.
  tries=0
  while [ -n "$(ours)" ] && [ $tries -lt 50 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  unmount_all
  strays=$(ours)
  if [ -n "$strays" ]; then
    echo "run-gui-test.sh: still running after the session ended, stopped now:" >&2
    describe $strays >&2
    kill $strays 2>/dev/null || true
    sleep 1
    strays=$(ours)
    [ -z "$strays" ] || kill -KILL $strays 2>/dev/null || true
    unmount_all
  fi
  rm -rf "$home" 2>/dev/null || {
    echo "run-gui-test.sh: could not remove $home:" >&2
    grep -F "$home" /proc/mounts >&2 || true
  }
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- "$python" "$@" || status=$?
exit "$status"
