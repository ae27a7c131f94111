#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tether-cli against real MCP servers.

    test-cli.py everything-http | everything-sse | everything-stdio | modern-stdio |
                modern-http | errors

The peers come from tests/peers (npm ci there): @modelcontextprotocol/server-everything
(2025 era) and tests/integration/modern-server.mjs on @modelcontextprotocol/server 2.x
(2026-07-28). Without them the test is skipped (exit status 77). TETHER_CLI names the binary.
"""

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("TETHER_PEERS_DIR", os.path.join(HERE, "..", "peers"))
NODE = os.path.join(PEERS, "node_modules", "node", "bin", "node")
EVERYTHING = os.path.join(PEERS, "node_modules", "@modelcontextprotocol", "server-everything",
                          "dist", "index.js")
MODERN = os.path.join(HERE, "modern-server.mjs")
CLI = os.environ.get("TETHER_CLI", "tether-cli")
SKIP = 77


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


class Peer:
    """A server process of its own session, stopped with its children."""

    def __init__(self, argv, port=None):
        env = dict(os.environ)
        if port is not None:
            env["PORT"] = str(port)
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        if port is not None:
            try:
                wait_for_port(port, self.process)
            except Exception:
                self.stop()
                raise

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run_cli(*args, timeout=60):
    result = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


class CliTestCase(unittest.TestCase):
    """The checks every server gets; subclasses say how to reach it."""

    target = []        # the arguments naming the server: [URL] or ["--", command...]

    def cli(self, *args, expect=0, timeout=60):
        # Options go first, the server last, as a person would type it.
        status, out, err = run_cli(*args, *self.target, timeout=timeout)
        self.assertEqual(status, expect, f"tether-cli {' '.join(args)}\nstdout: {out}\n"
                                         f"stderr: {err}")
        return out, err

    def json(self, *args, expect=0):
        out, _ = self.cli("--quiet", *args, expect=expect)
        return json.loads(out)

    @staticmethod
    def text_of(result):
        return "".join(item.get("text", "") for item in result["content"])


class EverythingChecks(CliTestCase):
    """server-everything (2025 era) over one transport."""

    def test_info_names_the_server(self):
        info = self.json("info")
        self.assertEqual(info["serverInfo"]["name"], "mcp-servers/everything")
        self.assertEqual(info["era"], "legacy")
        self.assertIn(info["protocolVersion"], ("2025-11-25", "2025-06-18", "2025-03-26",
                                                "2024-11-05"))
        self.assertIn("tools", info["capabilities"])

    def test_tools_lists_echo(self):
        names = [tool["name"] for tool in self.json("tools")["tools"]]
        self.assertIn("echo", names)
        self.assertIn("trigger-long-running-operation", names)

    def test_call_echo(self):
        result = self.json("call", "echo", '{"message": "grüße"}')
        self.assertEqual(self.text_of(result), "Echo: grüße")

    def test_call_reports_progress(self):
        out, err = self.cli("call", "trigger-long-running-operation",
                            '{"duration": 0.6, "steps": 3}')
        self.assertIn("Long running operation completed", self.text_of(json.loads(out)))
        self.assertIn("progress 3/3", err)

    def test_timeout_exits_5(self):
        _, err = self.cli("--timeout", "0.5", "call", "trigger-long-running-operation",
                          '{"duration": 5, "steps": 1}', expect=5)
        self.assertIn("did not answer tools/call within 500 ms", err)

    def test_tool_error_exits_1(self):
        status, out, err = run_cli("--quiet", "call", "no-such-tool", "{}", *self.target)
        self.assertEqual(status, 1, err)

    def test_interrupt_exits_130(self):
        process = subprocess.Popen([CLI, "call", "trigger-long-running-operation",
                                    '{"duration": 10, "steps": 10}', *self.target],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait for the first progress line: the call is under way.
        line = ""
        deadline = time.monotonic() + 30
        while "progress" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
        self.assertEqual(process.returncode, 130, err)

    def test_resources_and_read(self):
        resources = self.json("resources")["resources"]
        self.assertTrue(resources)
        uri = resources[0]["uri"]
        contents = self.json("read", uri)["contents"]
        self.assertEqual(contents[0]["uri"], uri)
        templates = self.json("templates")["resourceTemplates"]
        self.assertTrue(any("{" in t["uriTemplate"] for t in templates))

    def test_prompts_prompt_and_complete(self):
        names = [prompt["name"] for prompt in self.json("prompts")["prompts"]]
        self.assertIn("args-prompt", names)
        prompt = self.json("prompt", "args-prompt", '{"city": "Lyon"}')
        self.assertIn("Lyon", prompt["messages"][0]["content"]["text"])
        completion = self.json("complete", "prompt:completable-prompt", "department=Ma")
        self.assertEqual(completion["completion"]["values"], ["Marketing"])
        completion = self.json("complete", "prompt:completable-prompt", "name=",
                               '{"department": "Sales"}')
        self.assertEqual(completion["completion"]["values"], ["David", "Eve", "Frank"])

    def test_ping_and_set_level(self):
        self.assertEqual(self.json("ping"), {})
        self.assertEqual(self.json("set-level", "debug"), {})

    def test_sampling_reply(self):
        result = self.json("--sampling-reply", "forty-two", "call", "trigger-sampling-request",
                           '{"prompt": "meaning of life?"}')
        self.assertIn("forty-two", self.text_of(result))

    def test_elicitation_accept_defaults(self):
        result = self.json("--elicitation", "accept-defaults", "call",
                           "trigger-elicitation-request")
        self.assertIn("It was a dark and stormy night.", self.text_of(result))

    def test_elicitation_decline(self):
        result = self.json("--elicitation", "decline", "call", "trigger-elicitation-request")
        self.assertIn("decline", self.text_of(result).lower())

    def test_roots(self):
        with tempfile.TemporaryDirectory(prefix="tether-root-") as root:
            result = self.json("--roots", root, "call", "get-roots-list")
            self.assertIn("file://" + os.path.realpath(root), self.text_of(result))

    def test_capability_not_offered_means_no_tool(self):
        names = [tool["name"] for tool in self.json("tools")["tools"]]
        self.assertNotIn("trigger-sampling-request", names)

    def test_repeat(self):
        result = self.json("--repeat", "25", "call", "echo", '{"message": "again"}')
        self.assertEqual(self.text_of(result), "Echo: again")

    def test_watch_prints_json_lines_until_terminated(self):
        uri = "demo://resource/static/document/architecture.md"
        process = subprocess.Popen([CLI, "--quiet", "watch", uri, *self.target],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Other notifications may come first (a stdio server announces its tools).
            methods = []
            for _ in range(10):
                notification = json.loads(process.stdout.readline())
                methods.append(notification["method"])
                if notification["method"] == "notifications/message":
                    self.assertIn(uri, json.dumps(notification["params"]))
                    break
            self.assertIn("notifications/message", methods)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        self.assertEqual(process.returncode, 0, err)


class EverythingHttp(EverythingChecks):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.peer = Peer([NODE, EVERYTHING, "streamableHttp"], port)
        cls.target = [f"http://127.0.0.1:{port}/mcp"]

    @classmethod
    def tearDownClass(cls):
        cls.peer.stop()


class EverythingSse(EverythingChecks):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.peer = Peer([NODE, EVERYTHING, "sse"], port)
        cls.target = [f"http://127.0.0.1:{port}/sse"]

    @classmethod
    def tearDownClass(cls):
        cls.peer.stop()


class EverythingStdio(EverythingChecks):
    target = ["--", NODE, EVERYTHING]

    def test_env_and_cwd_reach_the_server(self):
        with tempfile.TemporaryDirectory(prefix="tether-cwd-") as cwd:
            result = self.json("--env", "TETHER_TEST_VALUE=hello-env", "--cwd", cwd,
                               "call", "get-env")
            text = self.text_of(result)
            self.assertIn("hello-env", text)


class ModernChecks(CliTestCase):
    """The 2026-07-28 era against the official v2 SDK."""

    def test_info_is_modern(self):
        info = self.json("info")
        self.assertEqual(info["era"], "modern")
        self.assertEqual(info["protocolVersion"], "2026-07-28")
        self.assertEqual(info["serverInfo"]["name"], "tether-modern-peer")
        self.assertEqual(info["instructions"], "A test peer.")

    def test_call_echo(self):
        self.assertEqual(self.text_of(self.json("call", "echo", '{"message": "now"}')),
                         "Echo: now")

    def test_input_required_round_trip(self):
        result = self.json("--elicitation", "accept-defaults", "call", "confirm",
                           '{"action": "deploy"}')
        text = self.text_of(result)
        self.assertIn('confirmed deploy: {"ok":true}', text)
        self.assertIn("state state-for-deploy", text)

    def test_input_required_without_capability_is_refused(self):
        _, err = self.cli("call", "confirm", '{"action": "deploy"}', expect=1)
        self.assertIn("-32021", err)

    def test_progress(self):
        out, err = self.cli("call", "count", '{"n": 3}')
        self.assertEqual(self.text_of(json.loads(out)), "counted to 3")
        self.assertIn("progress 3/3", err)

    def test_prompt_and_read(self):
        prompt = self.json("prompt", "greeting", '{"name": "Ada"}')
        self.assertEqual(prompt["messages"][0]["content"]["text"], "Hello, Ada!")
        contents = self.json("read", "test://motd")["contents"]
        self.assertEqual(contents[0]["text"], "Be kind.")

    def test_param_header_tool(self):
        result = self.json("call", "region", '{"region": "eu west ☀", "query": "q"}')
        self.assertEqual(self.text_of(result), "region eu west ☀")

    def test_watch_listens_for_subscriptions(self):
        # 2026-07-28: watch opens subscriptions/listen; the server acknowledges first.
        process = subprocess.Popen([CLI, "--quiet", "watch", "test://motd", *self.target],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            notification = json.loads(process.stdout.readline())
            self.assertEqual(notification["method"], "notifications/subscriptions/acknowledged")
            self.assertTrue(notification["params"]["notifications"]["toolsListChanged"])
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        self.assertEqual(process.returncode, 0, err)

    def test_legacy_era_still_served(self):
        info = self.json("--era", "legacy", "info")
        self.assertEqual(info["era"], "legacy")
        self.assertEqual(self.text_of(self.json("--era", "legacy", "call", "echo",
                                                '{"message": "old"}')), "Echo: old")


class ModernStdio(ModernChecks):
    target = ["--", NODE, MODERN, "stdio"]


class ModernHttp(ModernChecks):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        cls.peer = Peer([NODE, MODERN, "http"], port)
        cls.target = [f"http://127.0.0.1:{port}/mcp"]
        only_port = free_port()
        cls.modern_only = Peer([NODE, MODERN, "http", "--modern-only"], only_port)
        cls.modern_only_url = f"http://127.0.0.1:{only_port}/mcp"

    @classmethod
    def tearDownClass(cls):
        cls.peer.stop()
        cls.modern_only.stop()

    def test_modern_only_server_refuses_legacy_era(self):
        status, out, err = run_cli("--era", "legacy", "info", self.modern_only_url)
        self.assertEqual(status, 1, err)
        self.assertIn("-32022", err)
        info = json.loads(run_cli("--quiet", "info", self.modern_only_url)[1])
        self.assertEqual(info["era"], "modern")


class UnauthorizedHandler(http.server.BaseHTTPRequestHandler):
    seen_authorization = []

    def do_POST(self):
        self.seen_authorization.append(self.headers.get("Authorization"))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Bearer error="invalid_token"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Errors(unittest.TestCase):
    """Exit statuses of failures that need no MCP server."""

    def test_usage_errors_exit_2(self):
        for args in ([], ["tools"], ["frobnicate", "http://127.0.0.1:1/mcp"],
                     ["call", "http://127.0.0.1:1/mcp"],
                     ["call", "echo", "[1, 2]", "http://127.0.0.1:1/mcp"],
                     ["--era", "ancient", "ping", "http://127.0.0.1:1/mcp"],
                     ["--transport", "carrier-pigeon", "ping", "http://127.0.0.1:1/mcp"],
                     ["--header", "no colon", "ping", "http://127.0.0.1:1/mcp"],
                     ["ping", "ftp://example.com/"],
                     ["ping", "--"]):
            status, _, err = run_cli(*args)
            self.assertEqual(status, 2, f"{args}: {err}")

    def test_help_documents_exit_statuses(self):
        status, out, _ = run_cli("--help")
        self.assertEqual(status, 0)
        for text in ("Exit status", "authorization", "timeout", "watch", "--sampling-reply"):
            self.assertIn(text, out)

    def test_version(self):
        status, out, _ = run_cli("--version")
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("tether-cli "))

    def test_unreachable_server_exits_3(self):
        status, _, err = run_cli("ping", f"http://127.0.0.1:{free_port()}/mcp")
        self.assertEqual(status, 3, err)

    def test_missing_command_exits_3(self):
        status, _, err = run_cli("ping", "--", "/nonexistent/tether-no-such-server")
        self.assertEqual(status, 3, err)

    def test_unauthorized_exits_4_without_printing_the_token(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), UnauthorizedHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/mcp"
            secret = "s3cr3t-t0ken-value"
            status, out, err = run_cli("--bearer", secret, "ping", url)
            self.assertEqual(status, 4, err)
            self.assertNotIn(secret, out + err)
            self.assertIn(f"Bearer {secret}", UnauthorizedHandler.seen_authorization)
            env = dict(os.environ, TETHER_BEARER_TOKEN=secret + "-env")
            result = subprocess.run([CLI, "ping", url], capture_output=True, text=True,
                                    env=env, timeout=60)
            self.assertEqual(result.returncode, 4)
            self.assertNotIn(secret, result.stdout + result.stderr)
            self.assertIn(f"Bearer {secret}-env", UnauthorizedHandler.seen_authorization)
        finally:
            server.shutdown()
            server.server_close()


SUITES = {
    "everything-http": EverythingHttp,
    "everything-sse": EverythingSse,
    "everything-stdio": EverythingStdio,
    "modern-stdio": ModernStdio,
    "modern-http": ModernHttp,
    "errors": Errors,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SUITES:
        print(f"usage: {sys.argv[0]} {'|'.join(SUITES)}", file=sys.stderr)
        return 2
    if sys.argv[1] != "errors" and not (os.access(NODE, os.X_OK) and os.path.exists(EVERYTHING)):
        print("The test peers are not installed (npm ci in tests/peers): skipping")
        return SKIP
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(SUITES[sys.argv[1]])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
