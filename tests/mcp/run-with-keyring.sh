#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test program under its own D-Bus session with an unlocked gnome-keyring (a real
# Secret Service), HOME and the XDG directories in a fresh temporary directory:
#   run-with-keyring.sh TEST [ARGS...]
# Skips (TAP "1..0 # SKIP", exit 77) when gnome-keyring-daemon or dbus-run-session is missing.
set -eu

for tool in gnome-keyring-daemon dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 77
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/tether-keyring-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
export TETHER_TEST_KEYRING=1
unset DISPLAY WAYLAND_DISPLAY

# The daemon leaves with the session bus when dbus-run-session ends.
dbus-run-session -- sh -c '
  printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@"
