#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Tether and runs it from the build directory.
#   build-aux/run.sh [--keep-profile] [-- tether arguments]
# By default the app runs in a throwaway profile (config, data and cache under a temporary
# directory) so trying it never touches your own settings; --keep-profile uses your real ones.
set -eu

srcdir="$(cd "$(dirname "$0")/.." && pwd)"
builddir="$srcdir/_build"
keep_profile=no
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-profile) keep_profile=yes; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done

"$srcdir/build-aux/install-deps.sh" build

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$srcdir" -Ddevelopment=true
fi
meson compile -C "$builddir"

. "$srcdir/build-aux/uninstalled-env.sh"

if [ "$keep_profile" = no ]; then
  profile="$(mktemp -d "${TMPDIR:-/tmp}/tether-profile.XXXXXX")"
  trap 'rm -rf "$profile"' EXIT INT TERM
  export XDG_CONFIG_HOME="$profile/config" XDG_DATA_HOME="$profile/data" \
         XDG_CACHE_HOME="$profile/cache" XDG_STATE_HOME="$profile/state"
  export GSETTINGS_BACKEND=memory
  echo "Running Tether in a throwaway profile ($profile); use --keep-profile to keep settings."
fi

"$builddir/src/app/tether" "$@"
