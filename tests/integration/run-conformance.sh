#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One scenario of the official MCP client conformance suite against tether-cli:
#   run-conformance.sh PACKAGE SCENARIO [SPEC_VERSION]
# PACKAGE is the folder under tests/peers/node_modules (conformance-0.1, conformance-0.2);
# SPEC_VERSION, when given, is passed as --spec-version. Exit status 77 (skip) when the peers
# are not installed. TETHER_CLI names the tether-cli under test.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
peers="${TETHER_PEERS_DIR:-$here/../peers}/node_modules"
package="$1"
scenario="$2"
spec_version="${3:-}"
node="$peers/node/bin/node"
runner="$peers/$package/dist/index.js"

if [ ! -x "$node" ] || [ ! -f "$runner" ]; then
  echo "$package or Node 22 is not installed (npm ci in tests/peers): skipping"
  exit 77
fi

output=$(mktemp -d "${TMPDIR:-/tmp}/tether-conformance-results.XXXXXX")
trap 'rm -rf "$output"' EXIT INT TERM

set -- client --command "$here/../conformance/client.sh" --scenario "$scenario" -o "$output"
if [ -n "$spec_version" ]; then
  set -- "$@" --spec-version "$spec_version"
fi

status=0
"$node" "$runner" "$@" || status=$?

# The runner's verdict, and the checks themselves for the log of a failure.
if [ "$status" -ne 0 ]; then
  for checks in "$output"/*/checks.json; do
    [ -f "$checks" ] && cat "$checks"
  done
fi
exit "$status"
