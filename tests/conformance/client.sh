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

  sep-2640-client-no-prefetch)
    # A host lists the skills it could load; listing reads no skill file.
    tether skills
    ;;

  sep-2640-client-verify-*)
    # Load every listed skill. tether-cli reads SKILL.md first, checks its size, digest and
    # frontmatter against the listing and refuses the skill (exit status 6) before reading any
    # other file; the suite serves a tampered SKILL.md, so a refusal is the expected outcome.
    tether --quiet skills | json '
import json, sys
for skill in json.load(sys.stdin)["skills"]:
    print(skill["uri"])' > "$scratch/skills"
    status=0
    while IFS= read -r uri; do
      tether skill "$uri" || status=$?
    done < "$scratch/skills"
    exit "$status"
    ;;

  auth/*)
    # One private keyring for the scenario's runs, so that each tether-cli takes the token the
    # one before obtained (step-up needs the second run to hold the first one's token).
    if [ -z "${TETHER_CONFORMANCE_KEYRING:-}" ] && command -v dbus-run-session >/dev/null 2>&1 &&
       command -v gnome-keyring-daemon >/dev/null 2>&1; then
      mkdir -p "$scratch/home" "$scratch/data" "$scratch/runtime"
      chmod 700 "$scratch/runtime"
      status=0
      env TETHER_CONFORMANCE_KEYRING=1 HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" \
        XDG_RUNTIME_DIR="$scratch/runtime" DISPLAY= WAYLAND_DISPLAY= \
        dbus-run-session -- sh -c '
          printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
          exec "$@"' sh "$0" "$@" || status=$?
      exit "$status"
    fi
    # Sign in without a person (the suite's authorization server approves at once), with the
    # client identity the context gives, then use the server: list the tools and call each,
    # which is where step-up scenarios ask for more scope. Tokens stay in memory (or a
    # private keyring): nothing outlives the run.
    set -- --auth headless
    case "$scenario" in
      auth/basic-cimd)
        set -- "$@" --client-metadata-url https://conformance-test.local/client-metadata.json
        ;;
      auth/client-credentials-*)
        set -- "$@" --grant client_credentials
        ;;
    esac
    if [ -n "${MCP_CONFORMANCE_CONTEXT:-}" ]; then
      context_value () {
        printf "%s" "$MCP_CONFORMANCE_CONTEXT" | json '
import json, sys
value = json.load(sys.stdin).get(sys.argv[1])
if isinstance(value, str):
    sys.stdout.write(value)' "$1"
      }
      client_id=$(context_value client_id)
      client_secret=$(context_value client_secret)
      private_key=$(context_value private_key_pem)
      if [ -n "$client_id" ]; then
        set -- "$@" --client-id "$client_id"
      fi
      if [ -n "$client_secret" ]; then
        TETHER_CLIENT_SECRET="$client_secret"
        export TETHER_CLIENT_SECRET
      fi
      if [ -n "$private_key" ]; then
        printf "%s\n" "$private_key" > "$scratch/key.pem"
        set -- "$@" --private-key "$scratch/key.pem"
      fi
      # The JWT bearer grant: the workload's token as given, or the person's ID token that the
      # enterprise IdP exchanges for an ID-JAG. Tokens go through files in the private scratch
      # directory, never the command line.
      case "$scenario" in
        auth/wif-jwt-bearer)
          context_value valid_jwt > "$scratch/assertion.jwt"
          set -- "$@" --grant jwt_bearer --assertion "$scratch/assertion.jwt"
          ;;
        auth/enterprise-managed-authorization|auth/cross-app-access-complete-flow)
          context_value idp_id_token > "$scratch/id-token.jwt"
          set -- "$@" --grant jwt_bearer --id-token "$scratch/id-token.jwt" \
            --idp-token-endpoint "$(context_value idp_token_endpoint)" \
            --idp-client-id "$(context_value idp_client_id)"
          ;;
      esac
    fi
    names=$(tether "$@" --quiet tools | json '
import json, sys
for tool in json.load(sys.stdin)["tools"]:
    print(tool["name"])')
    for name in $names; do
      tether "$@" call "$name" '{}'
    done
    ;;

  *)
    echo "client.sh: unknown scenario $scenario" >&2
    exit 2
    ;;
esac
