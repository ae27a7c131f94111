#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tether-demo-server driven by tether-cli (a real client, our own): sign-in over both
transports, the step-up after 403 insufficient_scope, refresh and rotation with short-lived
tokens, and a call cancelled with notifications/cancelled. The server's one-line request log
shows what went over the wire.

tether-cli runs with HOME and the XDG directories in a fresh temporary directory and no
reachable D-Bus session, so its sign-ins stay in memory and no keyring is touched."""

import json
import os
import re
import subprocess
import tempfile
import unittest

from demo_server import ServerTestCase

CLI = os.environ.get("TETHER_CLI")
TOOLS = ["add", "admin_stats", "countdown", "echo", "get_user_profile", "image",
         "large_result", "long_running"]


class CliTestCase(ServerTestCase):
    def setUp(self):
        if not CLI:
            self.skipTest("TETHER_CLI must name tether-cli")
        super().setUp()
        self.home = tempfile.TemporaryDirectory(prefix="tether-demo-cli-")
        self.addCleanup(self.home.cleanup)

    def cli(self, *args, timeout=60):
        """Runs tether-cli; returns (exit code, stdout, stderr)."""
        home = self.home.name
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                   XDG_CACHE_HOME=f"{home}/cache", XDG_STATE_HOME=f"{home}/state",
                   DBUS_SESSION_BUS_ADDRESS=f"unix:path={home}/no-bus")
        done = subprocess.run([CLI, "--auth", "headless", *args], capture_output=True, text=True,
                              env=env, timeout=timeout)
        return done.returncode, done.stdout, done.stderr

    def log_lines(self, pattern):
        """Server log lines (read after the server stopped) matching a regular expression."""
        self.assertEqual(self.server.stop(), 0)
        return [line for line in self.server.server_log().splitlines()
                if re.search(pattern, line)]

    def admin_stats(self):
        """admin_stats through a raw client of our own with the admin scope."""
        _, tokens = self.server.sign_in(scope="user admin")
        session, _ = self.server.initialize(tokens["access_token"])
        status, _, messages = self.server.mcp(
            tokens["access_token"],
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "admin_stats", "arguments": {}}}, session=session)
        self.assertEqual(status, 200)
        return messages[-1]["result"]["structuredContent"]


class SignIn(CliTestCase):
    def test_tools_and_profile_over_both_transports(self):
        for endpoint in ("/mcp", "/sse"):
            url = f"{self.server.base}{endpoint}"
            code, out, err = self.cli("tools", url)
            self.assertEqual(code, 0, err)
            names = sorted(tool["name"] for tool in json.loads(out)["tools"])
            self.assertEqual(names, TOOLS, endpoint)
            self.assertIn("Registering at", err)

            code, out, err = self.cli("call", "get_user_profile", "{}", url)
            self.assertEqual(code, 0, err)
            profile = json.loads(out)["structuredContent"]
            self.assertEqual(profile["login"], "demo")
            self.assertEqual(profile["avatar_url"], f"{self.server.base}/avatars/demo.png")

        # Each run signed in once: four runs, four registrations, four code exchanges.
        self.assertEqual(len(self.log_lines(r" POST /register 201 ")), 4)
        self.assertEqual(len(self.log_lines(r" POST /token 200 [\d.]+ms "
                                            r"token grant=authorization_code")), 4)

    def test_step_up_after_insufficient_scope(self):
        code, out, err = self.cli("call", "admin_stats", "{}", f"{self.server.base}/mcp")
        self.assertEqual(code, 0, err)
        stats = json.loads(out)["structuredContent"]
        self.assertEqual(stats["requested_by"], "demo")
        self.assertEqual(stats["authorization"]["registered_clients"], 1)

        forbidden = self.log_lines(r" POST /mcp 403 [\d.]+ms tools/call\(admin_stats\)")
        self.assertEqual(len(forbidden), 1, "one 403 before the step-up")
        self.assertIn("error=insufficient_scope", forbidden[0])
        self.assertEqual(len(self.log_lines(r" GET /authorize 302 ")), 2,
                         "a second authorization, for the wider scope")
        # The result came over SSE: tether-cli may hang up before the stream's last chunk.
        self.assertEqual(len(self.log_lines(r" POST /mcp (200|closed-by-client) [\d.]+ms "
                                            r"tools/call\(admin_stats\)")), 1)


class ShortLivedTokens(CliTestCase):
    SERVER_ARGS = ("--auto-approve", "--token-ttl", "1")

    def test_refresh_and_rotation_across_expiries(self):
        # Three calls of 1.2 s each: the token expires during every one of them.
        code, out, err = self.cli("--repeat", "3", "call", "countdown",
                                  '{"steps": 3, "interval_ms": 400}', f"{self.server.base}/mcp")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["content"][0]["text"], "Counted down 3 steps")

        self.assertEqual(len(self.log_lines(r" GET /authorize ")), 1,
                         "refresh, not a new sign-in, renews the token")
        self.assertGreater(len(self.log_lines(r" POST /mcp 401 .*error=invalid_token")), 0)
        refreshes = self.log_lines(r" POST /token \d+ [\d.]+ms token grant=refresh_token")
        self.assertGreaterEqual(len(refreshes), 2)
        # Each refresh used the token the previous one rotated in: a reused one would be
        # refused (400 invalid_grant) and end the authorization.
        self.assertTrue(all(" 200 " in line for line in refreshes), refreshes)
        self.assertEqual(self.log_lines(r" POST /token 4\d\d "), [])
        self.assertEqual(len(self.log_lines(r" POST /mcp (200|closed-by-client) [\d.]+ms "
                                            r"tools/call\(countdown\)")), 3)


class Cancellation(CliTestCase):
    def test_timeout_sends_cancelled_and_the_call_stops(self):
        code, _, err = self.cli("--timeout", "0.5", "call", "countdown",
                                '{"steps": 5, "interval_ms": 1000}', f"{self.server.base}/mcp")
        self.assertEqual(code, 5, err)

        stats = self.admin_stats()
        self.assertEqual(stats["tool_calls_cancelled"], 1,
                         "the countdown was stopped by notifications/cancelled")
        self.assertEqual(stats["tool_calls_running"], 1, "only admin_stats itself runs")
        self.assertEqual(len(self.log_lines(r" POST /mcp 202 .*notifications/cancelled")), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
