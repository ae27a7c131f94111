#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sustained echo calls against tether-demo-server from a minimal raw client: one keep-alive
HTTP connection, JSON responses (Accept: application/json), no SDK. Shows what the server
itself sustains when the client costs little. Prints one JSON line.

usage: bench-echo.py BASE_URL CALLS"""

import base64
import hashlib
import http.client
import json
import resource
import secrets
import sys
import time
import urllib.parse

base, calls = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
parts = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(parts.hostname, parts.port)
redirect = "http://127.0.0.1:8976/callback"


def post(path, body, headers):
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    return response, response.read()


_, data = post("/register", json.dumps({"redirect_uris": [redirect],
                                         "token_endpoint_auth_method": "none"}),
               {"Content-Type": "application/json"})
client_id = json.loads(data)["client_id"]
verifier = secrets.token_urlsafe(48)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
query = urllib.parse.urlencode({"response_type": "code", "client_id": client_id,
                                "redirect_uri": redirect, "code_challenge": challenge.decode(),
                                "code_challenge_method": "S256", "resource": f"{base}/mcp"})
conn.request("GET", f"/authorize?{query}")
response = conn.getresponse()
response.read()
code = urllib.parse.parse_qs(urllib.parse.urlsplit(response.headers["Location"]).query)["code"][0]
_, data = post("/token", urllib.parse.urlencode({
    "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
    "redirect_uri": redirect, "client_id": client_id}),
    {"Content-Type": "application/x-www-form-urlencoded"})
token = json.loads(data)["access_token"]

headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
           "Accept": "application/json"}
initialize = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                         "clientInfo": {"name": "bench", "version": "1"}}}
response, _ = post("/mcp", json.dumps(initialize), headers)
headers["Mcp-Session-Id"] = response.headers["Mcp-Session-Id"]
headers["MCP-Protocol-Version"] = "2025-11-25"
post("/mcp", json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}), headers)


def echo(i):
    _, data = post("/mcp", json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                                       "params": {"name": "echo",
                                                  "arguments": {"message": f"call {i}"}}}),
                   headers)
    if json.loads(data)["result"]["content"][0]["text"] != f"Echo: call {i}":
        raise SystemExit(f"bad echo at {i}")


for i in range(100):
    echo(i)
cpu_before = time.process_time()
start = time.perf_counter()
for i in range(calls):
    echo(i)
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu_before
print(json.dumps({"client": "python-raw", "calls": calls, "seconds": seconds,
                  "client_cpu_ms_per_call": cpu * 1000 / calls,
                  "client_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
