#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The front door of tether-demo-server: it listens on 127.0.0.1 only, and it logs every
request in one line that names the OAuth or JSON-RPC error of a bad one but never a token,
code, verifier, state, client secret, cookie or session id."""

import json
import os
import re
import subprocess
import unittest
import urllib.parse

from demo_server import REDIRECT_URI, SERVER, ServerTestCase, redirect_query

LINE = re.compile(r"^tether-demo-server: [A-Z]+ /\S* (\d{3}|closed-by-client) [\d.]+ms( |$)")


def listening_sockets(port):
    """(table, local address) of every listening TCP socket on @port, from /proc/net."""
    found = []
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/net/{table}", encoding="ascii") as f:
                rows = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for row in rows:
            fields = row.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # TCP_LISTEN
                found.append((table, address))
    return found


class Binding(ServerTestCase):
    def test_listens_on_127_0_0_1_only(self):
        sockets = listening_sockets(self.server.port)
        # 127.0.0.1 in /proc/net/tcp is little-endian hex on the machines we build for.
        self.assertEqual(sockets, [("tcp", "0100007F")])

    def test_other_hosts_are_refused(self):
        for host in ("0.0.0.0", "example.org", "::1"):
            done = subprocess.run([SERVER, "--port", "0", "--host", host], capture_output=True,
                                  text=True, timeout=20)
            self.assertEqual(done.returncode, 2, host)
            self.assertIn("127.0.0.1 only", done.stderr)
            self.assertEqual(done.stdout, "", "it never listened")


class Logs(ServerTestCase):
    """Runs bad and good requests, then reads the whole log after the server stopped."""

    SERVER_ARGS = ()  # the consent page, with its transaction and cookie

    def consent(self, client, action="approve"):
        """Opens the consent page and answers it; returns (secrets seen, redirect query,
        verifier)."""
        status, headers, body, verifier, state = self.server.authorize(client["client_id"])
        self.assertEqual(status, 200)
        transaction = re.search(r'name="transaction" value="([^"]+)"', body.decode()).group(1)
        cookie = headers["Set-Cookie"].split(";")[0]
        status, headers, _ = self.server.form(
            "/authorize/decision", {"transaction": transaction, "action": action,
                                    "username": "alice"}, {"Cookie": cookie})
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        return [transaction, cookie.split("=", 1)[1], verifier, state], query, verifier

    def test_one_line_per_request_with_errors_and_no_secrets(self):
        server = self.server
        secrets = []
        expected = []  # (regular expression, how many log lines match it)

        status, client = server.register(token_endpoint_auth_method="client_secret_post")
        self.assertEqual(status, 201)
        secrets.append(client["client_secret"])

        # Denied, then approved.
        seen, query, _ = self.consent(client, "deny")
        secrets += seen
        self.assertEqual(query["error"], "access_denied")
        expected.append((r"POST /authorize/decision 302 .*consent denied error=access_denied",
                         1))
        seen, query, verifier = self.consent(client)
        secrets += seen + [query["code"]]

        # PKCE plain is refused at /authorize.
        status, headers, _, plain_verifier, state = server.authorize(
            client["client_id"], code_challenge_method="plain")
        self.assertEqual(redirect_query(headers)["error"], "invalid_request")
        secrets += [plain_verifier, state]
        expected.append((r"GET /authorize 302 .*error=invalid_request", 1))

        # A wrong client secret, a wrong verifier, the right exchange, then a replay.
        wrong = dict(client, client_secret="wrong-secret-" + "x" * 30)
        secrets.append(wrong["client_secret"])
        status, document = server.exchange(wrong, query["code"], verifier)
        self.assertEqual(document["error"], "invalid_client")
        expected.append((r"POST /token 401 [\d.]+ms token grant=authorization_code "
                         r"error=invalid_client", 1))
        bad_verifier = verifier[:-2] + "zz"
        secrets.append(bad_verifier)
        status, document = server.exchange(client, query["code"], bad_verifier)
        self.assertEqual(document["error"], "invalid_grant")
        status, tokens = server.exchange(client, query["code"], verifier)
        self.assertEqual(status, 200)
        secrets += [tokens["access_token"], tokens["refresh_token"]]
        expected.append((r"POST /token 200 [\d.]+ms token grant=authorization_code client=", 2))

        # Refresh with rotation, then the used refresh token again.
        status, renewed = server.refresh(client, tokens["refresh_token"])
        self.assertEqual(status, 200)
        secrets += [renewed["access_token"], renewed["refresh_token"]]
        status, document = server.refresh(client, tokens["refresh_token"])
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        expected.append((r"POST /token 400 [\d.]+ms token grant=refresh_token "
                         r"error=invalid_grant client=", 2))

        # MCP: a bad token, JSON-RPC errors, a tool name that tries to start a new line.
        status, _, _ = server.mcp("forged-" + "y" * 40, {"jsonrpc": "2.0", "id": 1,
                                                         "method": "ping"})
        self.assertEqual(status, 401)
        secrets.append("forged-" + "y" * 40)
        expected.append((r"POST /mcp 401 .*error=invalid_token", 1))
        status, again = server.refresh(client, renewed["refresh_token"])
        self.assertEqual(status, 400, "the reuse above ended the authorization")
        _, client2 = server.register()
        seen, query, verifier = self.consent(client2)
        status, fresh = server.exchange(client2, query["code"], verifier)
        self.assertEqual(status, 200)
        secrets += seen + [query["code"], fresh["access_token"], fresh["refresh_token"]]
        session, _ = server.initialize(fresh["access_token"])
        secrets.append(session)
        status, _, _ = server.mcp(fresh["access_token"],
                                  {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                   "params": {"name": "no\nsuch tool\r\x1b[31m", "arguments": {}}},
                                  session=session, accept="application/json")
        self.assertEqual(status, 200)
        expected.append((r"POST /mcp 200 .*tools/call\(no\?such tool\?\?\[31m\) error=-32602 ",
                         1))
        status, _, _ = server.mcp(fresh["access_token"], '{"jsonrpc": "2.0", "id": ',
                                  session=session)
        self.assertEqual(status, 400)
        expected.append((r"POST /mcp 400 .*error=-32700", 1))
        status, _, _ = server.mcp(fresh["access_token"],
                                  {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                                   "params": {"name": "admin_stats", "arguments": {}}},
                                  session=session)
        self.assertEqual(status, 403)
        expected.append((r"POST /mcp 403 [\d.]+ms tools/call\(admin_stats\) "
                         r"error=insufficient_scope ", 1))

        # Revocation.
        status, _, _ = server.form("/revoke", {"token": fresh["refresh_token"],
                                               "client_id": client2["client_id"]})
        self.assertEqual(status, 200)
        expected.append((r"POST /revoke 200 [\d.]+ms revoke client=", 1))

        self.assertEqual(server.stop(), 0)
        log = server.server_log()
        lines = log.splitlines()
        for line in lines:
            self.assertRegex(line, LINE if not line.startswith("tether-demo-server: issuer ")
                             else r".", "every line is one request")
        for pattern, count in expected:
            self.assertEqual(len([l for l in lines if re.search(pattern, l)]), count,
                             f"{count} line(s) match {pattern!r}")
        for secret in secrets:
            for form in {secret, urllib.parse.quote(secret, safe="")}:
                self.assertNotIn(form, log)
        # Every request made above has its line: nothing is logged twice or left out.
        self.assertEqual(len([l for l in lines if " /token " in l]), 7)
        self.assertEqual(len([l for l in lines if " /authorize/decision " in l]), 3)


class GithubLogs(ServerTestCase):
    SERVER_ARGS = ()
    SERVER_ENV = {"MCP_GITHUB_GITHUB_CLIENT_ID": "Iv1.log-test",
                  "MCP_GITHUB_GITHUB_CLIENT_SECRET": "github-secret-" + "s" * 24}

    def test_callback_failure_is_one_line_without_code_state_or_secret(self):
        _, client = self.server.register()
        status, headers, _, verifier, state = self.server.authorize(client["client_id"])
        self.assertEqual(status, 302)
        github_state = dict(urllib.parse.parse_qsl(
            urllib.parse.urlsplit(headers["Location"]).query))["state"]
        code = "github-code-" + "c" * 20
        status, headers, _ = self.server.request(
            "GET", "/github/callback?" + urllib.parse.urlencode({"code": code,
                                                                 "state": github_state}))
        self.assertEqual(status, 302)
        self.assertEqual(redirect_query(headers)["error"], "server_error")

        self.assertEqual(self.server.stop(), 0)
        log = self.server.server_log()
        callback = [l for l in log.splitlines() if " /github/callback " in l]
        self.assertEqual(len(callback), 1, log)
        self.assertRegex(callback[0], LINE)
        self.assertIn("code exchange failed", callback[0])
        self.assertIn("error=server_error", callback[0])
        for secret in (code, github_state, state, verifier,
                       self.SERVER_ENV["MCP_GITHUB_GITHUB_CLIENT_SECRET"]):
            self.assertNotIn(secret, log)
        self.assertTrue(all(l.startswith("tether-demo-server: ") for l in log.splitlines()))


if __name__ == "__main__":
    unittest.main(verbosity=2)
