#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The MCP half of tether-demo-server, checked with raw HTTP: Streamable HTTP sessions, JSON
and SSE responses, JSON-RPC errors, progress and cancellation, resumption with Last-Event-ID,
and the HTTP+SSE transport."""

import base64
import json
import struct
import time
import zlib
import unittest
import urllib.parse

from demo_server import ServerTestCase, SseReader


def request(id_, method, params=None):
    message = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        message["params"] = params
    return message


def call(id_, name, arguments=None, progress_token=None):
    params = {"name": name, "arguments": arguments or {}}
    if progress_token is not None:
        params["_meta"] = {"progressToken": progress_token}
    return request(id_, "tools/call", params)


def check_png(test, png):
    """Walks the chunks, checks every CRC and inflates the image data."""
    test.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
    offset, chunks, idat = 8, [], b""
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        data = png[offset + 8:offset + 8 + length]
        crc, = struct.unpack(">I", png[offset + 8 + length:offset + 12 + length])
        test.assertEqual(zlib.crc32(kind + data), crc, f"CRC of {kind}")
        chunks.append(kind)
        if kind == b"IDAT":
            idat += data
        offset += 12 + length
    test.assertEqual(chunks, [b"IHDR", b"IDAT", b"IEND"])
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    test.assertEqual((depth, colour), (8, 2))
    test.assertEqual(len(zlib.decompress(idat)), height * (1 + width * 3))


class McpTestCase(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.client, tokens = self.server.sign_in()
        self.token = tokens["access_token"]

    def open_stream(self, method, path, body=None, headers=None):
        """Starts a request and returns (connection, response) for reading a stream."""
        conn = self.server.connection(timeout=10)
        all_headers = {"Host": f"localhost:{self.server.port}",
                       "Authorization": f"Bearer {self.token}",
                       "Accept": "text/event-stream", **(headers or {})}
        if body is not None:
            all_headers.setdefault("Content-Type", "application/json")
            body = json.dumps(body).encode()
        conn.request(method, path, body=body, headers=all_headers)
        return conn, conn.getresponse()


class StreamableHttp(McpTestCase):
    def test_initialize_negotiates_versions_and_opens_a_session(self):
        for asked, expected in (("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"),
                                ("2025-03-26", "2025-03-26"), ("2024-11-05", "2024-11-05"),
                                ("1999-01-01", "2025-11-25")):
            session, messages = self.server.initialize(self.token, version=asked)
            result = messages[0]["result"] if isinstance(messages, list) else messages["result"]
            self.assertEqual(result["protocolVersion"], expected)
            self.assertEqual(result["serverInfo"]["name"], "tether-demo-server")
            self.assertIn("tools", result["capabilities"])
            self.assertIn("logging", result["capabilities"])
            self.assertGreaterEqual(len(session), 32)

    def test_json_and_sse_responses(self):
        session, _ = self.server.initialize(self.token, accept="application/json")
        status, headers, document = self.server.mcp(self.token, call(2, "echo", {"message": "hi"}),
                                                    session=session, accept="application/json")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(document["result"]["content"][0]["text"], "Echo: hi")

        status, headers, messages = self.server.mcp(self.token, call(3, "echo", {"message": "yo"}),
                                                    session=session)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/event-stream"))
        self.assertEqual(messages[-1]["id"], 3)
        self.assertEqual(messages[-1]["result"]["content"][0]["text"], "Echo: yo")

        status, _, _ = self.server.mcp(self.token, call(4, "echo", {"message": "x"}),
                                       session=session, accept="image/png")
        self.assertEqual(status, 406)

        # A JSON answer waits for a tool that takes its time (no progress fits in it).
        status, _, document = self.server.mcp(
            self.token, call(5, "countdown", {"steps": 2, "interval_ms": 30}, "p"),
            session=session, accept="application/json")
        self.assertEqual(status, 200)
        self.assertEqual(document["id"], 5)
        self.assertEqual(document["result"]["content"][0]["text"], "Counted down 2 steps")

    def test_jsonrpc_errors(self):
        session, _ = self.server.initialize(self.token)

        def one(message, **kwargs):
            status, _, messages = self.server.mcp(self.token, message, session=session, **kwargs)
            return status, messages[0] if isinstance(messages, list) else messages

        status, reply = one(request(10, "resources/list"))
        self.assertEqual((status, reply["error"]["code"]), (200, -32601))
        status, reply = one(request(11, "logging/setLevel", {"level": "loud"}))
        self.assertEqual(reply["error"]["code"], -32602)
        status, reply = one(request(12, "tools/call", {"arguments": {}}))
        self.assertEqual(reply["error"]["code"], -32602)
        status, reply = one(call(13, "no_such_tool"))
        self.assertEqual(reply["error"]["code"], -32602)
        status, reply = one(request(14, "ping"))
        self.assertEqual(reply["result"], {})
        status, reply = one({"jsonrpc": "1.0", "id": 15, "method": "ping"})
        self.assertEqual((status, reply["error"]["code"]), (400, -32600))
        status, reply = one("{\"jsonrpc\": \"2.0\", \"id\": 16, ")
        self.assertEqual((status, reply["error"]["code"]), (400, -32700))
        status, reply = one([request(17, "ping"), request(18, "ping")])
        self.assertEqual((status, reply["error"]["code"]), (400, -32600),
                         "no batches in 2025-06-18 and later")
        status, reply = one(request(19, "initialize", {"protocolVersion": "2025-11-25",
                                                       "capabilities": {}}))
        self.assertEqual(status, 400, "initialize may not reuse a session")
        status, reply = one(request(20, "ping"),
                            extra_headers={"MCP-Protocol-Version": "1999-01-01"})
        self.assertEqual((status, reply["error"]["code"]), (400, -32600))

        status, reply = one(call(21, "echo", {"message": 42}))
        self.assertIs(reply["result"]["isError"], True, "bad arguments are a tool error")

    def test_batches_in_2025_03_26(self):
        session, _ = self.server.initialize(self.token, version="2025-03-26",
                                            accept="application/json")
        status, _, replies = self.server.mcp(
            self.token, [request(2, "ping"), call(3, "add", {"a": 1, "b": 2}),
                         {"jsonrpc": "2.0", "method": "notifications/progress",
                          "params": {"progressToken": 1, "progress": 1}}],
            session=session, accept="application/json")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(r["id"] for r in replies), [2, 3])
        added = next(r for r in replies if r["id"] == 3)
        self.assertEqual(added["result"]["structuredContent"], {"sum": 3})

    def test_sessions_are_required_owned_and_deletable(self):
        status, _, reply = self.server.mcp(self.token, request(2, "ping"))
        self.assertEqual((status, reply["error"]["code"]), (400, -32600))
        status, _, reply = self.server.mcp(self.token, request(2, "ping"), session="nope")
        self.assertEqual(status, 404)

        session, _ = self.server.initialize(self.token)
        _, other_tokens = self.server.sign_in()
        status, _, _ = self.server.mcp(other_tokens["access_token"], request(3, "ping"),
                                       session=session)
        self.assertEqual(status, 404, "another client cannot use the session")

        status, _, _ = self.server.request("DELETE", "/mcp", headers={
            "Authorization": f"Bearer {self.token}", "Mcp-Session-Id": session})
        self.assertEqual(status, 200)
        status, _, _ = self.server.mcp(self.token, request(4, "ping"), session=session)
        self.assertEqual(status, 404)

    def test_notifications_only_get_202(self):
        session, _ = self.server.initialize(self.token)
        status, _, body = self.server.mcp(self.token, {"jsonrpc": "2.0",
                                                       "method": "notifications/cancelled",
                                                       "params": {"requestId": 99}},
                                          session=session)
        self.assertEqual((status, body), (202, b""))

    def test_large_result_and_image(self):
        session, _ = self.server.initialize(self.token, accept="application/json")
        size = 8 * 1024 * 1024
        status, _, reply = self.server.mcp(self.token, call(2, "large_result", {"size": size}),
                                           session=session, accept="application/json")
        self.assertEqual(status, 200)
        self.assertEqual(len(reply["result"]["content"][0]["text"]), size)
        status, _, reply = self.server.mcp(self.token,
                                           call(3, "large_result", {"size": 64 * 1024 * 1024 + 1}),
                                           session=session, accept="application/json")
        self.assertIs(reply["result"]["isError"], True)
        status, _, reply = self.server.mcp(self.token, call(4, "image", {"seed": 3}),
                                           session=session, accept="application/json")
        image = reply["result"]["content"][0]
        self.assertEqual((image["type"], image["mimeType"]), ("image", "image/png"))
        check_png(self, base64.b64decode(image["data"]))


class Streams(McpTestCase):
    def test_progress_notifications_precede_the_result(self):
        session, _ = self.server.initialize(self.token)
        status, _, messages = self.server.mcp(
            self.token, call(2, "countdown", {"steps": 3, "interval_ms": 20}, progress_token="p1"),
            session=session)
        self.assertEqual(status, 200)
        progress = [m["params"] for m in messages if m.get("method") == "notifications/progress"]
        self.assertEqual([p["progress"] for p in progress], [1, 2, 3])
        self.assertTrue(all(p["progressToken"] == "p1" and p["total"] == 3 for p in progress))
        self.assertEqual(messages[-1]["id"], 2)
        self.assertEqual(messages[-1]["result"]["content"][0]["text"], "Counted down 3 steps")

    def test_cancelled_request_gets_no_response_and_its_stream_ends(self):
        session, _ = self.server.initialize(self.token)
        conn, response = self.open_stream(
            "POST", "/mcp", call(2, "countdown", {"steps": 100, "interval_ms": 50}, 7),
            {"Mcp-Session-Id": session, "Accept": "application/json, text/event-stream"})
        reader = SseReader(response)
        self.assertEqual(reader.next_event()["data"], "", "a priming event comes first")
        first = json.loads(reader.next_event()["data"])
        self.assertEqual(first["method"], "notifications/progress")
        status, _, _ = self.server.mcp(self.token, {"jsonrpc": "2.0",
                                                    "method": "notifications/cancelled",
                                                    "params": {"requestId": 2}},
                                       session=session)
        self.assertEqual(status, 202)
        rest = []
        while (event := reader.next_event()) is not None:
            rest.append(json.loads(event["data"]))
        conn.close()
        self.assertFalse(any("result" in m or "error" in m for m in rest),
                         "no response for a cancelled request")
        self.assertLess(len(rest), 20, "the countdown stopped (it had 99 steps to go)")

    def test_get_stream_resumes_with_last_event_id(self):
        session, _ = self.server.initialize(self.token)
        status, _, _ = self.server.mcp(self.token, request(2, "logging/setLevel",
                                                           {"level": "debug"}), session=session)
        self.assertEqual(status, 200)

        conn, response = self.open_stream("GET", "/mcp", headers={"Mcp-Session-Id": session})
        self.assertEqual(response.status, 200)
        reader = SseReader(response)
        priming = reader.next_event()
        self.assertEqual(priming["data"], "")
        self.assertIsNotNone(priming["id"])
        self.server.mcp(self.token, call(3, "echo", {"message": "one"}), session=session)
        event = reader.next_event()
        log = json.loads(event["data"])
        self.assertEqual(log["method"], "notifications/message")
        self.assertEqual(log["params"]["level"], "debug")
        self.assertIn("tools/call echo", log["params"]["data"])
        last_id = event["id"]
        conn.close()

        # Missed while disconnected, replayed on reconnection.
        self.server.mcp(self.token, call(4, "echo", {"message": "two"}), session=session)
        self.server.mcp(self.token, call(5, "add", {"a": 1, "b": 1}), session=session)
        conn, response = self.open_stream("GET", "/mcp", headers={"Mcp-Session-Id": session,
                                                                  "Last-Event-ID": last_id})
        reader = SseReader(response)
        replayed = [json.loads(reader.next_event()["data"]) for _ in range(2)]
        conn.close()
        self.assertIn("tools/call echo", replayed[0]["params"]["data"])
        self.assertIn("tools/call add", replayed[1]["params"]["data"])

    def test_dropped_post_stream_resumes_with_get(self):
        session, _ = self.server.initialize(self.token)
        conn, response = self.open_stream(
            "POST", "/mcp", call(2, "countdown", {"steps": 3, "interval_ms": 150}, "tok"),
            {"Mcp-Session-Id": session, "Accept": "application/json, text/event-stream"})
        priming = SseReader(response).next_event()
        self.assertEqual(priming["data"], "")
        conn.close()  # the network drops; the request keeps running (not a cancellation)

        time.sleep(0.8)
        conn, response = self.open_stream("GET", "/mcp", headers={"Mcp-Session-Id": session,
                                                                  "Last-Event-ID": priming["id"]})
        reader = SseReader(response)
        messages = []
        while (event := reader.next_event()) is not None:
            messages.append(json.loads(event["data"]))
        conn.close()
        self.assertEqual([m["params"]["progress"] for m in messages
                          if m.get("method") == "notifications/progress"], [1, 2, 3])
        self.assertEqual(messages[-1]["id"], 2)
        self.assertEqual(messages[-1]["result"]["content"][0]["text"], "Counted down 3 steps")


class Shutdown(McpTestCase):
    def test_server_stops_cleanly_with_open_streams_and_running_calls(self):
        session, _ = self.server.initialize(self.token)
        get_conn, get_response = self.open_stream("GET", "/mcp",
                                                  headers={"Mcp-Session-Id": session})
        post_conn, post_response = self.open_stream(
            "POST", "/mcp", call(2, "countdown", {"steps": 100, "interval_ms": 100}, 1),
            {"Mcp-Session-Id": session, "Accept": "application/json, text/event-stream"})
        self.assertEqual(SseReader(post_response).next_event()["data"], "")
        _, sse_tokens = self.server.sign_in(endpoint="/sse")
        sse_conn, sse_response = self.open_stream(
            "GET", "/sse", headers={"Authorization": f"Bearer {sse_tokens['access_token']}"})
        self.assertEqual(SseReader(sse_response).next_event()["event"], "endpoint")

        # tearDown stops the server and checks its exit status (leaks, crashes).
        self.assertEqual(self.server.stop(), 0)
        for response in (get_response, post_response, sse_response):
            while response.readline():
                pass  # every stream ends
        for conn in (get_conn, post_conn, sse_conn):
            conn.close()


class HttpSse(McpTestCase):
    def setUp(self):
        super().setUp()
        _, tokens = self.server.sign_in(endpoint="/sse")
        self.token = tokens["access_token"]

    def post(self, endpoint, message, token=None):
        return self.server.request("POST", endpoint, message, {
            "Authorization": f"Bearer {token or self.token}", "Content-Type": "application/json"})

    def test_endpoint_event_then_messages_on_the_stream(self):
        conn, response = self.open_stream("GET", "/sse")
        self.assertEqual(response.status, 200)
        reader = SseReader(response)
        endpoint = reader.next_event()
        self.assertEqual(endpoint["event"], "endpoint")
        self.assertTrue(endpoint["data"].startswith("/messages?session_id="))
        session_id = urllib.parse.parse_qs(urllib.parse.urlsplit(endpoint["data"]).query)[
            "session_id"][0]

        status, _, body = self.post(endpoint["data"], request(1, "initialize", {
            "protocolVersion": "2024-11-05", "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"}}))
        self.assertEqual(status, 202)
        reply = reader.next_event()
        self.assertEqual(reply["event"], "message")
        self.assertEqual(json.loads(reply["data"])["result"]["protocolVersion"], "2024-11-05")

        self.post(endpoint["data"], {"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.post(endpoint["data"], call(2, "echo", {"message": "legacy"}))
        reply = json.loads(reader.next_event()["data"])
        self.assertEqual(reply["result"]["content"][0]["text"], "Echo: legacy")

        status, headers, _ = self.post(endpoint["data"], call(3, "admin_stats"))
        self.assertEqual(status, 403)
        self.assertIn('error="insufficient_scope"', headers["WWW-Authenticate"])

        status, _, _ = self.post("/messages?session_id=unknown", request(4, "ping"))
        self.assertEqual(status, 404)
        status, _, _ = self.post(endpoint["data"], "not json")
        self.assertEqual(status, 400)

        conn.close()
        # The session ends with its stream.
        deadline = time.time() + 5
        while time.time() < deadline:
            status, _, _ = self.post(f"/messages?session_id={session_id}", request(5, "ping"))
            if status == 404:
                break
            time.sleep(0.05)
        self.assertEqual(status, 404)

    def test_sse_needs_a_token_for_sse(self):
        self.token = None
        status, headers, _ = self.server.request("GET", "/sse", headers={
            "Accept": "text/event-stream"})
        self.assertEqual(status, 401)
        self.assertIn("oauth-protected-resource/sse", headers["WWW-Authenticate"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
