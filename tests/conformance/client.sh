#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tether-cli as the client under test of the official MCP conformance suite
# (@modelcontextprotocol/conformance). The runner calls
#   client.sh SERVER_URL
# with MCP_CONFORMANCE_SCENARIO (the scenario), MCP_CONFORMANCE_PROTOCOL_VERSION (the revision
# under test) and, for some scenarios, MCP_CONFORMANCE_CONTEXT (JSON) in the environment.
# Each scenario becomes the tether-cli invocations a person would type to do what it asks.
#
# TETHER_CLI names the tether-cli binary (default: tether-cli from PATH).
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 SERVER_URL (run by the conformance runner)" >&2
  exit 2
fi
eval "url=\${$#}"
cli="${TETHER_CLI:-tether-cli}"
scenario="${MCP_CONFORMANCE_SCENARIO:?MCP_CONFORMANCE_SCENARIO is not set}"
version="${MCP_CONFORMANCE_PROTOCOL_VERSION:-2025-11-25}"

# The revision under test picks the era: 2026-07-28 through era detection (which a modern
# server answers as one), the dated 2025 revisions with the initialize handshake.
case "$version" in
  2026-*|draft) era=auto ;;
  *) era=legacy ;;
esac

# A scratch directory for --roots, gone when the script ends.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tether-conformance.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

tether () {
  "$cli" --era "$era" "$@" "$url"
}

# JSON helpers (python3 comes with every system that builds Tether: meson needs it).
json () {
  python3 -c "$1" "${2-}"
}

# The names of the tools tools/list returned, one a line.
tool_names () {
  tether --quiet tools | json '
import json, sys
for tool in json.load(sys.stdin)["tools"]:
    print(tool["name"])'
}

# Arguments satisfying a tool's required properties with placeholder values.
placeholder_arguments () {
  tether --quiet tools | json '
import json, sys
name = sys.argv[1]
for tool in json.load(sys.stdin)["tools"]:
    if tool["name"] != name:
        continue
    schema = tool.get("inputSchema") or {}
    props = schema.get("properties") or {}
    args = {}
    for key in schema.get("required") or []:
        kind = (props.get(key) or {}).get("type")
        args[key] = {"integer": 1, "number": 1, "boolean": True}.get(kind, "x")
    print(json.dumps(args))' "$1"
}

case "$scenario" in
  initialize)
    tether info
    ;;

  tools_call)
    tether tools >/dev/null
    tether call add_numbers '{"a": 2, "b": 3}'
    ;;

  elicitation-sep1034-client-defaults)
    tether --elicitation accept-defaults call test_client_elicitation_defaults
    ;;

  sse-retry)
    tether call test_reconnection
    ;;

  request-metadata)
    # Every capability a client can declare, so the suite sees them well-formed.
    tether --roots "$scratch" --sampling-reply "conformance" --elicitation accept-defaults \
      tools >/dev/null
    tether --roots "$scratch" --sampling-reply "conformance" --elicitation accept-defaults \
      ping
    ;;

  sep-2322-client-request-state)
    for name in $(tool_names); do
      tether --elicitation accept-defaults call "$name" '{}'
    done
    ;;

  http-standard-headers)
    for name in $(tool_names); do
      tether call "$name" '{}'
    done
    tether --quiet resources | json '
import json, sys
for resource in json.load(sys.stdin)["resources"]:
    print(resource["uri"])' | while IFS= read -r uri; do
      tether read "$uri"
    done
    tether --quiet prompts | json '
import json, sys
for prompt in json.load(sys.stdin)["prompts"]:
    print(prompt["name"])' | while IFS= read -r name; do
      tether prompt "$name"
    done
    ;;

  http-custom-headers)
    # The context names the calls to make, with arguments exercising the value encodings.
    printf "%s" "${MCP_CONFORMANCE_CONTEXT:?the scenario gives its tool calls in the context}" |
      json '
import json, sys
for call in json.load(sys.stdin).get("toolCalls", []):
    print(call["name"] + "\t" + json.dumps(call.get("arguments", {})))' |
      while IFS="$(printf '\t')" read -r name arguments; do
        tether call "$name" "$arguments"
      done
    ;;

  http-invalid-tool-headers)
    # tools/list leaves out the tools whose x-mcp-header annotations are invalid.
    for name in $(tool_names); do
      tether call "$name" "$(placeholder_arguments "$name")"
    done
    ;;

  json-schema-ref-no-deref)
    tether tools
    ;;

  json-schema-2020-12-preservation)
    schema=$(tether --quiet tools | json '
import json, sys
for tool in json.load(sys.stdin)["tools"]:
    if tool["name"] == "json_schema_2020_12_tool":
        print(json.dumps({"schema": tool["inputSchema"]}))')
    tether call json_schema_echo "$schema"
    ;;

  auth/*)
    echo "client.sh: $scenario needs OAuth, which tether-cli does not drive yet" >&2
    exit 1
    ;;

  *)
    echo "client.sh: unknown scenario $scenario" >&2
    exit 2
    ;;
esac
