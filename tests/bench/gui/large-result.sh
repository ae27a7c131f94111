#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A 10 MB tools/call result in a real result view under Xvfb (cairo renderer, accessibility on
# through a private D-Bus session, as on a desktop). A G_PRIORITY_HIGH timer every 10 ms
# records the longest gap between its runs, that is the longest main-loop stall, while the
# result loads, while highlighting and layout finish, on switching pages and when the result
# is replaced; also prints the peak RSS.
#   large-result.sh [BUILD_DIR] [bench options: --megabytes N --page json|content --settle S]
# BUILD_DIR (default _build-widgets) must have bench-large-result built:
#   meson compile -C BUILD_DIR bench-large-result
# Use an optimised, unsanitised build for numbers worth comparing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=$top/_build-widgets
case "${1:-}" in
  ''|-*) ;;
  *) build=$1; shift ;;
esac
bench="$build/tests/widgets/bench-large-result"

if [ ! -x "$bench" ]; then
  echo "No $bench: build it with 'meson compile -C $build bench-large-result'" >&2
  exit 1
fi

export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export GSETTINGS_BACKEND=memory
unset NO_AT_BRIDGE GTK_A11Y
exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$bench" "$@"
