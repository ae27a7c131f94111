#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs TEST [ARGS...] in a private D-Bus session that has an unlocked gnome-keyring, so
# libsecret talks to a real Secret Service. HOME, the XDG folders and the runtime folder
# (where gnome-keyring puts its control socket) are fresh, so neither the user's keyring nor
# another test's daemon is touched. DISPLAY is kept: the dialog test needs its X server.
set -eu

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is missing"
    exit 77
  fi
done

root=$(mktemp -d "${TMPDIR:-/tmp}/tether-connections-XXXXXX")
cleanup() {
  # GTK wakes the document portal, which mounts a FUSE folder in the runtime folder.
  if command -v fusermount >/dev/null 2>&1; then
    fusermount -u -z "$root/runtime/doc" 2>/dev/null || true
  fi
  rm -rf "$root" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for dir in home config data cache runtime; do
  mkdir -m 700 "$root/$dir"
done
export HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_DATA_HOME="$root/data" \
       XDG_CACHE_HOME="$root/cache" XDG_RUNTIME_DIR="$root/runtime"
export TETHER_TEST_KEYRING=1

status=0
dbus-run-session -- sh -c '
  printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
  exec "$@"' sh "$@" || status=$?
exit "$status"
