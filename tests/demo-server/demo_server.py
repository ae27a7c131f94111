# SPDX-License-Identifier: GPL-3.0-or-later
"""Starts tether-demo-server for a test and speaks raw HTTP to it (stdlib only)."""

import base64
import hashlib
import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

SERVER = os.environ.get("TETHER_DEMO_SERVER")
REDIRECT_URI = "http://127.0.0.1:8976/callback"


class DemoServer:
    """One server process on a port the kernel picks. stop() checks the exit status, so a
    leak report under AddressSanitizer fails the test too."""

    def __init__(self, *args, env=None):
        if not SERVER:
            raise RuntimeError("TETHER_DEMO_SERVER must name the server binary")
        self.log = tempfile.NamedTemporaryFile(prefix="tether-demo-server-", suffix=".log")
        self.log_text = None
        self.process = subprocess.Popen([SERVER, "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True,
                                        env=env)
        line = self.process.stdout.readline().strip()
        prefix = "Listening on http://127.0.0.1:"
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"unexpected first line from the server: {line!r}")
        self.port = int(line[len(prefix):])
        self.base = f"http://localhost:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        if self.log_text is None:
            self.log_text = self.server_log()
            self.log.close()
        return code

    def server_log(self):
        if self.log_text is not None:
            return self.log_text
        with open(self.log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    # -- raw HTTP ------------------------------------------------------------------------

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers as a case-insensitive message, body bytes)."""
        headers = dict(headers or {})
        headers.setdefault("Host", f"localhost:{self.port}")
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            return response.status, response.headers, data
        finally:
            conn.close()

    def get_json(self, path):
        status, _, data = self.request("GET", path)
        return status, json.loads(data) if data else None

    def form(self, path, fields, headers=None):
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        status, response_headers, data = self.request(
            "POST", path, urllib.parse.urlencode(fields), headers)
        try:
            document = json.loads(data) if data else None
        except ValueError:
            document = None
        return status, response_headers, document

    # -- OAuth ---------------------------------------------------------------------------

    def register(self, **metadata):
        document = {"redirect_uris": [REDIRECT_URI], "client_name": "raw test client",
                    "token_endpoint_auth_method": "none", **metadata}
        status, _, data = self.request("POST", "/register", document,
                                       {"Content-Type": "application/json"})
        return status, json.loads(data)

    def authorize(self, client_id, verifier=None, **overrides):
        """GET /authorize; returns (status, headers, body, PKCE verifier, state)."""
        verifier = verifier or secrets.token_urlsafe(48)
        state = secrets.token_urlsafe(12)
        params = {"response_type": "code", "client_id": client_id,
                  "redirect_uri": REDIRECT_URI, "code_challenge": s256(verifier),
                  "code_challenge_method": "S256", "state": state,
                  "resource": f"{self.base}/mcp", "scope": "user"}
        params.update(overrides)
        params = {k: v for k, v in params.items() if v is not None}
        status, headers, body = self.request("GET", "/authorize?" + urllib.parse.urlencode(params))
        return status, headers, body, verifier, state

    def exchange(self, client, code, verifier, resource=None, **extra):
        fields = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                  "redirect_uri": REDIRECT_URI, "client_id": client["client_id"]}
        if "client_secret" in client:
            fields["client_secret"] = client["client_secret"]
        if resource:
            fields["resource"] = resource
        fields.update(extra)
        status, _, document = self.form("/token", fields)
        return status, document

    def refresh(self, client, refresh_token, **extra):
        fields = {"grant_type": "refresh_token", "refresh_token": refresh_token,
                  "client_id": client["client_id"], **extra}
        if "client_secret" in client:
            fields["client_secret"] = client["client_secret"]
        status, _, document = self.form("/token", fields)
        return status, document

    def sign_in(self, scope="user", endpoint="/mcp", **metadata):
        """The whole flow against an --auto-approve server: returns (client, tokens)."""
        status, client = self.register(**metadata)
        assert status == 201, client
        status, headers, _, verifier, state = self.authorize(
            client["client_id"], scope=scope, resource=f"{self.base}{endpoint}")
        assert status == 302, status
        query = redirect_query(headers)
        assert query["state"] == state
        status, tokens = self.exchange(client, query["code"], verifier)
        assert status == 200, tokens
        return client, tokens

    # -- MCP -----------------------------------------------------------------------------

    def mcp(self, token, message, session=None, accept="application/json, text/event-stream",
            extra_headers=None, path="/mcp"):
        """POST to /mcp; returns (status, headers, list of JSON messages or raw body)."""
        headers = {"Content-Type": "application/json", "Accept": accept}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if session:
            headers["Mcp-Session-Id"] = session
        headers.update(extra_headers or {})
        status, response_headers, data = self.request("POST", path, message, headers)
        content_type = response_headers.get("Content-Type", "")
        if content_type.startswith("text/event-stream"):
            messages = [json.loads(e["data"]) for e in parse_sse(data.decode()) if e["data"]]
        elif content_type.startswith("application/json") and data:
            messages = json.loads(data)
        else:
            messages = data
        return status, response_headers, messages

    def initialize(self, token, version="2025-11-25", accept="application/json, text/event-stream"):
        status, headers, messages = self.mcp(token, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {},
                       "clientInfo": {"name": "raw-test", "version": "1"}}}, accept=accept)
        assert status == 200, (status, messages)
        session = headers["Mcp-Session-Id"]
        status, _, _ = self.mcp(token, {"jsonrpc": "2.0", "method": "notifications/initialized"},
                                session=session)
        assert status == 202, status
        return session, messages


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def redirect_query(headers):
    location = headers["Location"]
    assert location.startswith(REDIRECT_URI + "?"), location
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def challenge_params(header):
    """Parses a Bearer challenge of the simple form this server writes."""
    assert header.startswith("Bearer "), header
    params = {}
    rest = header[len("Bearer "):]
    while rest:
        name, _, rest = rest.partition("=")
        assert rest.startswith('"'), header
        value, i = [], 1
        while rest[i] != '"':
            if rest[i] == "\\":
                i += 1
            value.append(rest[i])
            i += 1
        params[name.strip()] = "".join(value)
        rest = rest[i + 1:].lstrip(", ")
    return params


def parse_sse(text):
    """Splits SSE text into events: dicts with id, event and data (lines joined)."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        event = read_event_block(block)
        if event is not None:
            events.append(event)
    return events


def read_event_block(block):
    event = {"id": None, "event": None, "data": None}
    data = []
    for line in block.split("\n"):
        if not line or line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name in ("id", "event"):
            event[name] = value
    if not data and event["id"] is None:
        return None
    event["data"] = "\n".join(data)
    return event


class SseReader:
    """Reads events one at a time from a streaming response."""

    def __init__(self, response):
        self.response = response

    def next_event(self):
        lines = []
        while True:
            raw = self.response.readline()
            if not raw:
                return None
            line = raw.decode().rstrip("\r\n")
            if line == "":
                event = read_event_block("\n".join(lines))
                lines = []
                if event is not None:
                    return event
                continue
            lines.append(line)


class ServerTestCase(unittest.TestCase):
    """Starts a fresh server per test with SERVER_ARGS and checks it exits cleanly."""

    SERVER_ARGS = ("--auto-approve",)
    SERVER_ENV = {}

    def setUp(self):
        env = None
        if self.SERVER_ENV:
            env = {**os.environ, **self.SERVER_ENV}
        self.server = DemoServer(*self.SERVER_ARGS, env=env)

    def tearDown(self):
        self.exit_code = self.server.stop()
        self.assertEqual(self.exit_code, 0,
                         "the server exits cleanly on SIGTERM (no leaks, no crash)")

    def run(self, result=None):
        result = result or self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > before and hasattr(self, "server"):
            sys.stderr.write(f"--- server log of {self.id()} ---\n{self.server.server_log()}")
        return outcome
