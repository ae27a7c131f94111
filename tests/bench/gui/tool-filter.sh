#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Filtering 5,000 tools as one types: a real tool list in a window under Xvfb (cairo renderer,
# accessibility on through a private D-Bus session, as on a desktop). Prints, per keystroke,
# the time the filter takes and the time until the next frame is painted, then the median and
# the worst of each.
#   tool-filter.sh [BUILD_DIR] [bench options: --tools N --query TEXT --rounds N]
# BUILD_DIR (default _build-widgets) must have bench-tool-filter built:
#   meson compile -C BUILD_DIR bench-tool-filter
# Use an optimised, unsanitised build for numbers worth comparing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=$top/_build-widgets
case "${1:-}" in
  ''|-*) ;;
  *) build=$1; shift ;;
esac
bench="$build/tests/widgets/bench-tool-filter"

if [ ! -x "$bench" ]; then
  echo "No $bench: build it with 'meson compile -C $build bench-tool-filter'" >&2
  exit 1
fi

export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export GSETTINGS_BACKEND=memory
unset NO_AT_BRIDGE GTK_A11Y
exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$bench" "$@"
