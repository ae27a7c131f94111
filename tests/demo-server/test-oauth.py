#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The authorization server half of tether-demo-server, checked with raw HTTP: metadata,
challenges, registration, PKCE, codes, refresh rotation, revocation, scopes, resources and
the consent page."""

import html
import re
import time
import unittest
import urllib.parse

from demo_server import (REDIRECT_URI, DemoServer, ServerTestCase, challenge_params,
                         redirect_query)

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                         "clientInfo": {"name": "raw-test", "version": "1"}}}


class Metadata(ServerTestCase):
    def test_authorization_server_metadata(self):
        status, document = self.server.get_json("/.well-known/oauth-authorization-server")
        base = self.server.base
        self.assertEqual(status, 200)
        self.assertEqual(document["issuer"], base)
        self.assertEqual(document["authorization_endpoint"], f"{base}/authorize")
        self.assertEqual(document["token_endpoint"], f"{base}/token")
        self.assertEqual(document["registration_endpoint"], f"{base}/register")
        self.assertEqual(document["revocation_endpoint"], f"{base}/revoke")
        self.assertEqual(document["code_challenge_methods_supported"], ["S256"])
        self.assertEqual(document["response_types_supported"], ["code"])
        self.assertIs(document["authorization_response_iss_parameter_supported"], True)
        self.assertEqual(sorted(document["grant_types_supported"]),
                         ["authorization_code", "refresh_token"])
        self.assertNotIn("client_secret_basic", document["token_endpoint_auth_methods_supported"])
        self.assertEqual(sorted(document["scopes_supported"]), ["admin", "user"])

    def test_protected_resource_metadata_names_each_endpoint(self):
        for endpoint in ("/mcp", "/sse"):
            status, document = self.server.get_json(
                f"/.well-known/oauth-protected-resource{endpoint}")
            self.assertEqual(status, 200)
            self.assertEqual(document["resource"], f"{self.server.base}{endpoint}")
            self.assertEqual(document["authorization_servers"], [self.server.base])
            self.assertEqual(document["bearer_methods_supported"], ["header"])
        status, _, _ = self.server.request("GET", "/.well-known/oauth-protected-resource/other")
        self.assertEqual(status, 404)

    def test_host_127_0_0_1_names_urls_that_way(self):
        other = DemoServer("--host", "127.0.0.1")
        try:
            status, document = other.get_json("/.well-known/oauth-authorization-server")
            self.assertEqual(status, 200)
            self.assertEqual(document["issuer"], f"http://127.0.0.1:{other.port}")
        finally:
            self.assertEqual(other.stop(), 0)

    def test_foreign_host_and_origin_are_refused(self):
        status, _, _ = self.server.request("GET", "/.well-known/oauth-authorization-server",
                                           headers={"Host": "attacker.example:80"})
        self.assertEqual(status, 421)
        status, _, _ = self.server.request("POST", "/mcp", INITIALIZE,
                                           {"Origin": "https://attacker.example",
                                            "Content-Type": "application/json"})
        self.assertEqual(status, 403)
        status, headers, _ = self.server.request("OPTIONS", "/mcp",
                                                 headers={"Origin": "http://localhost:6274"})
        self.assertEqual(status, 204)
        self.assertEqual(headers["Access-Control-Allow-Origin"], "http://localhost:6274")
        self.assertIn("Mcp-Session-Id", headers["Access-Control-Expose-Headers"])


class Challenges(ServerTestCase):
    def test_no_token_gets_401_with_resource_metadata(self):
        for endpoint in ("/mcp", "/sse"):
            method = "POST" if endpoint == "/mcp" else "GET"
            status, headers, _ = self.server.request(
                method, endpoint, INITIALIZE if method == "POST" else None,
                {"Content-Type": "application/json", "Accept": "text/event-stream"})
            self.assertEqual(status, 401)
            params = challenge_params(headers["WWW-Authenticate"])
            self.assertEqual(params["resource_metadata"],
                             f"{self.server.base}/.well-known/oauth-protected-resource{endpoint}")
            self.assertEqual(params["scope"], "user")
            self.assertNotIn("error", params, "no error code when no token was sent (RFC 6750)")

    def test_unknown_token_gets_invalid_token(self):
        status, headers, _ = self.server.mcp("not-a-real-token", INITIALIZE)
        self.assertEqual(status, 401)
        params = challenge_params(headers["WWW-Authenticate"])
        self.assertEqual(params["error"], "invalid_token")
        self.assertEqual(params["scope"], "user")

    def test_token_for_mcp_is_refused_at_sse(self):
        _, tokens = self.server.sign_in(endpoint="/mcp")
        status, headers, _ = self.server.request(
            "GET", "/sse", headers={"Authorization": f"Bearer {tokens['access_token']}",
                                    "Accept": "text/event-stream"})
        self.assertEqual(status, 401)
        self.assertEqual(challenge_params(headers["WWW-Authenticate"])["error"], "invalid_token")


class Registration(ServerTestCase):
    def test_public_and_confidential_clients(self):
        status, public = self.server.register()
        self.assertEqual(status, 201)
        self.assertEqual(public["token_endpoint_auth_method"], "none")
        self.assertNotIn("client_secret", public)
        self.assertEqual(public["redirect_uris"], [REDIRECT_URI])

        status, confidential = self.server.register(
            token_endpoint_auth_method="client_secret_post")
        self.assertEqual(status, 201)
        self.assertGreaterEqual(len(confidential["client_secret"]), 43)
        self.assertEqual(confidential["client_secret_expires_at"], 0)
        self.assertNotEqual(public["client_id"], confidential["client_id"])

        status, default = self.server.register(token_endpoint_auth_method=None)
        self.assertEqual(status, 201)
        self.assertEqual(default["token_endpoint_auth_method"], "client_secret_post")

    def test_bad_metadata_is_refused(self):
        status, document = self.server.register(token_endpoint_auth_method="client_secret_basic")
        self.assertEqual((status, document["error"]), (400, "invalid_client_metadata"))
        status, document = self.server.register(redirect_uris=[])
        self.assertEqual((status, document["error"]), (400, "invalid_redirect_uri"))
        status, document = self.server.register(redirect_uris=["http://x.example/cb#frag"])
        self.assertEqual((status, document["error"]), (400, "invalid_redirect_uri"))
        status, document = self.server.register(grant_types=["client_credentials"])
        self.assertEqual((status, document["error"]), (400, "invalid_client_metadata"))
        status, _, data = self.server.request("POST", "/register", "{not json",
                                              {"Content-Type": "application/json"})
        self.assertEqual(status, 400)


class Authorization(ServerTestCase):
    def setUp(self):
        super().setUp()
        _, self.client = self.server.register()

    def assert_error_redirect(self, result, error):
        status, headers, _, _, state = result
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["error"], error)
        self.assertEqual(query["state"], state)
        self.assertEqual(query["iss"], self.server.base)
        self.assertNotIn("code", query)

    def test_pkce_is_required_and_s256_only(self):
        client_id = self.client["client_id"]
        self.assert_error_redirect(self.server.authorize(client_id, code_challenge=None),
                                   "invalid_request")
        self.assert_error_redirect(
            self.server.authorize(client_id, code_challenge_method="plain"), "invalid_request")
        self.assert_error_redirect(
            self.server.authorize(client_id, code_challenge_method=None), "invalid_request")
        self.assert_error_redirect(self.server.authorize(client_id, code_challenge="short"),
                                   "invalid_request")

    def test_other_request_errors_redirect_with_state_and_iss(self):
        client_id = self.client["client_id"]
        self.assert_error_redirect(self.server.authorize(client_id, response_type="token"),
                                   "unsupported_response_type")
        self.assert_error_redirect(self.server.authorize(client_id, scope="user root"),
                                   "invalid_scope")
        self.assert_error_redirect(
            self.server.authorize(client_id, resource="http://elsewhere.example/mcp"),
            "invalid_target")

    def test_unverified_client_or_redirect_is_never_redirected_to(self):
        for result in (self.server.authorize("unknown-client"),
                       self.server.authorize(self.client["client_id"],
                                             redirect_uri="http://127.0.0.1:8977/callback")):
            status, headers, body, _, _ = result
            self.assertEqual(status, 400)
            self.assertNotIn("Location", headers)
            self.assertIn(b"<html", body)

    def test_success_redirect_carries_code_state_and_iss(self):
        status, headers, _, verifier, state = self.server.authorize(self.client["client_id"])
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["state"], state)
        self.assertEqual(query["iss"], self.server.base)
        self.assertGreaterEqual(len(query["code"]), 43)


class Tokens(ServerTestCase):
    def code_for(self, client, **overrides):
        status, headers, _, verifier, _ = self.server.authorize(client["client_id"], **overrides)
        self.assertEqual(status, 302)
        return redirect_query(headers)["code"], verifier

    def test_code_exchange_checks_verifier_client_and_redirect(self):
        _, client = self.server.register()
        _, other = self.server.register()

        code, verifier = self.code_for(client)
        status, document = self.server.exchange(client, code, verifier[:-1] + "A")
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, document = self.server.exchange(other, code, verifier)
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, document = self.server.exchange(client, code, verifier,
                                                redirect_uri="http://127.0.0.1:1/cb")
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, document = self.server.exchange(client, code, verifier,
                                                resource=f"{self.server.base}/sse")
        self.assertEqual((status, document["error"]), (400, "invalid_target"))

        status, tokens = self.server.exchange(client, code, verifier,
                                              resource=f"{self.server.base}/mcp")
        self.assertEqual(status, 200, tokens)
        self.assertEqual(tokens["token_type"], "Bearer")
        self.assertEqual(tokens["scope"], "user")
        self.assertEqual(tokens["expires_in"], 3600)
        self.assertIn("refresh_token", tokens)

    def test_replayed_code_is_refused_and_revokes_its_tokens(self):
        _, client = self.server.register()
        code, verifier = self.code_for(client)
        status, tokens = self.server.exchange(client, code, verifier)
        self.assertEqual(status, 200)
        status, _, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 200)

        status, document = self.server.exchange(client, code, verifier)
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, _, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 401, "tokens from a replayed code are revoked")

    def test_client_secret_post_is_checked_and_basic_refused(self):
        _, client = self.server.register(token_endpoint_auth_method="client_secret_post")
        code, verifier = self.code_for(client)
        wrong = dict(client, client_secret="wrong")
        status, document = self.server.exchange(wrong, code, verifier)
        self.assertEqual((status, document["error"]), (401, "invalid_client"))
        missing = {k: v for k, v in client.items() if k != "client_secret"}
        status, document = self.server.exchange(missing, code, verifier)
        self.assertEqual((status, document["error"]), (401, "invalid_client"))
        status, headers, document = self.server.form(
            "/token", {"grant_type": "authorization_code", "code": code,
                       "code_verifier": verifier, "redirect_uri": REDIRECT_URI},
            {"Authorization": "Basic Zm9vOmJhcg=="})
        self.assertEqual((status, document["error"]), (401, "invalid_client"))
        self.assertTrue(headers["WWW-Authenticate"].startswith("Basic"))
        status, tokens = self.server.exchange(client, code, verifier)
        self.assertEqual(status, 200, tokens)


class ShortLivedTokens(ServerTestCase):
    SERVER_ARGS = ("--auto-approve", "--token-ttl", "2")

    def test_expiry_refresh_and_rotation(self):
        client, tokens = self.server.sign_in()
        self.assertEqual(tokens["expires_in"], 2)
        status, _, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 200)

        time.sleep(2.5)
        status, headers, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 401)
        params = challenge_params(headers["WWW-Authenticate"])
        self.assertEqual(params["error"], "invalid_token")
        self.assertIn("expired", params["error_description"])

        status, renewed = self.server.refresh(client, tokens["refresh_token"])
        self.assertEqual(status, 200, renewed)
        self.assertNotEqual(renewed["refresh_token"], tokens["refresh_token"], "rotation")
        self.assertEqual(renewed["scope"], "user")
        status, _, _ = self.server.mcp(renewed["access_token"], INITIALIZE)
        self.assertEqual(status, 200)

        # The rotated-away refresh token is refused, and its reuse ends the authorization.
        status, document = self.server.refresh(client, tokens["refresh_token"])
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, _, _ = self.server.mcp(renewed["access_token"], INITIALIZE)
        self.assertEqual(status, 401)
        status, document = self.server.refresh(client, renewed["refresh_token"])
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))

    def test_refresh_may_narrow_but_not_widen_scope(self):
        client, tokens = self.server.sign_in(scope="user admin")
        status, document = self.server.refresh(client, tokens["refresh_token"], scope="user root")
        self.assertEqual((status, document["error"]), (400, "invalid_scope"))
        status, narrowed = self.server.refresh(client, tokens["refresh_token"], scope="user")
        self.assertEqual(status, 200, narrowed)
        self.assertEqual(narrowed["scope"], "user")
        status, document = self.server.refresh(client, narrowed["refresh_token"],
                                               scope="user admin")
        self.assertEqual((status, document["error"]), (400, "invalid_scope"))


class Revocation(ServerTestCase):
    def revoke(self, client, token, hint=None):
        fields = {"token": token, "client_id": client["client_id"]}
        if hint:
            fields["token_type_hint"] = hint
        status, _, document = self.server.form("/revoke", fields)
        return status, document

    def test_revoking_access_and_refresh_tokens(self):
        client, tokens = self.server.sign_in()
        status, _ = self.revoke(client, tokens["access_token"], "access_token")
        self.assertEqual(status, 200)
        status, _, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 401)

        status, renewed = self.server.refresh(client, tokens["refresh_token"])
        self.assertEqual(status, 200)
        status, _ = self.revoke(client, renewed["refresh_token"])
        self.assertEqual(status, 200)
        status, document = self.server.refresh(client, renewed["refresh_token"])
        self.assertEqual((status, document["error"]), (400, "invalid_grant"))
        status, _, _ = self.server.mcp(renewed["access_token"], INITIALIZE)
        self.assertEqual(status, 401, "revoking the refresh token ends its access tokens")

    def test_unknown_token_and_other_clients(self):
        client, tokens = self.server.sign_in()
        status, _ = self.revoke(client, "no-such-token")
        self.assertEqual(status, 200, "RFC 7009: an unknown token is not an error")
        _, other = self.server.register()
        status, document = self.revoke(other, tokens["access_token"])
        self.assertEqual(status, 400)
        status, _, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 200, "another client cannot revoke the token")


class Scopes(ServerTestCase):
    CALL_ADMIN = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                  "params": {"name": "admin_stats", "arguments": {}}}

    def test_admin_tool_needs_admin_scope(self):
        _, tokens = self.server.sign_in(scope="user")
        session, _ = self.server.initialize(tokens["access_token"])
        status, headers, _ = self.server.mcp(tokens["access_token"], self.CALL_ADMIN,
                                             session=session)
        self.assertEqual(status, 403)
        params = challenge_params(headers["WWW-Authenticate"])
        self.assertEqual(params["error"], "insufficient_scope")
        self.assertEqual(params["scope"], "user admin")
        self.assertEqual(params["resource_metadata"],
                         f"{self.server.base}/.well-known/oauth-protected-resource/mcp")

        # The same client steps up (its registration does not cap the scopes).
        _, admin_tokens = self.server.sign_in(scope="user admin")
        self.assertEqual(admin_tokens["scope"], "user admin")
        session, _ = self.server.initialize(admin_tokens["access_token"])
        status, _, messages = self.server.mcp(admin_tokens["access_token"], self.CALL_ADMIN,
                                              session=session)
        self.assertEqual(status, 200)
        stats = messages[0]["result"]["structuredContent"]
        self.assertGreaterEqual(stats["authorization"]["registered_clients"], 2)

    def test_token_without_user_scope_is_forbidden(self):
        _, tokens = self.server.sign_in(scope="admin")
        status, headers, _ = self.server.mcp(tokens["access_token"], INITIALIZE)
        self.assertEqual(status, 403)
        self.assertEqual(challenge_params(headers["WWW-Authenticate"])["scope"], "user")


class ConsentPage(ServerTestCase):
    SERVER_ARGS = ()

    def open_page(self, client):
        status, headers, body, verifier, state = self.server.authorize(
            client["client_id"], scope="user admin")
        self.assertEqual(status, 200)
        page = body.decode()
        transaction = re.search(r'name="transaction" value="([^"]+)"', page).group(1)
        cookie = headers["Set-Cookie"].split(";")[0]
        return page, headers, transaction, cookie, verifier, state

    def decide(self, fields, cookie=None):
        headers = {"Cookie": cookie} if cookie else {}
        status, response_headers, _ = self.server.form("/authorize/decision", fields, headers)
        return status, response_headers

    def test_page_escapes_and_shows_the_request(self):
        _, client = self.server.register(client_name='<script>alert("x")</script> & Co')
        page, headers, _, cookie, _, _ = self.open_page(client)
        self.assertNotIn("<script>", page)
        self.assertIn(html.escape('<script>alert("x")</script> & Co'), page)
        self.assertIn("<code>user</code>", page)
        self.assertIn("<code>admin</code>", page)
        self.assertIn('value="approve"', page)
        self.assertIn('value="deny"', page)
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertIn("HttpOnly", headers["Set-Cookie"])
        self.assertIn("SameSite=Strict", headers["Set-Cookie"])

    def test_deny_redirects_with_access_denied(self):
        _, client = self.server.register()
        _, _, transaction, cookie, _, state = self.open_page(client)
        status, headers = self.decide({"transaction": transaction, "action": "deny",
                                       "username": "alice"}, cookie)
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["error"], "access_denied")
        self.assertEqual(query["state"], state)
        self.assertEqual(query["iss"], self.server.base)
        status, _ = self.decide({"transaction": transaction, "action": "approve",
                                 "username": "alice"}, cookie)
        self.assertEqual(status, 400, "an answered transaction cannot be used again")

    def test_approve_needs_the_cookie_and_a_user_name(self):
        _, client = self.server.register()
        _, _, transaction, cookie, verifier, state = self.open_page(client)
        status, _ = self.decide({"transaction": transaction, "action": "approve",
                                 "username": "alice"})
        self.assertEqual(status, 403, "a form posted without the page's cookie is refused")
        status, _ = self.decide({"transaction": transaction, "action": "approve",
                                 "username": "alice"}, "tether_demo_txn_x=forged")
        self.assertEqual(status, 403)
        status, _ = self.decide({"transaction": transaction, "action": "approve",
                                 "username": "<bad>"}, cookie)
        self.assertEqual(status, 400, "an invalid user name shows the form again")

        status, headers = self.decide({"transaction": transaction, "action": "approve",
                                       "username": "alice"}, cookie)
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["state"], state)
        self.assertEqual(query["iss"], self.server.base)
        status, tokens = self.server.exchange(client, query["code"], verifier)
        self.assertEqual(status, 200, tokens)
        self.assertEqual(tokens["scope"], "user admin")

        session, _ = self.server.initialize(tokens["access_token"])
        status, _, messages = self.server.mcp(
            tokens["access_token"],
            {"jsonrpc": "2.0", "id": 5, "method": "tools/call",
             "params": {"name": "get_user_profile", "arguments": {}}}, session=session)
        self.assertEqual(status, 200)
        profile = messages[0]["result"]["structuredContent"]
        self.assertEqual(profile["login"], "alice")
        self.assertIs(profile["site_admin"], True)
        status, headers, png = self.server.request(
            "GET", urllib.parse.urlsplit(profile["avatar_url"]).path)
        self.assertEqual((status, headers["Content-Type"]), (200, "image/png"))
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")


class GithubMode(ServerTestCase):
    """GitHub itself is out of reach here; this checks everything up to the network."""

    SERVER_ARGS = ()
    SERVER_ENV = {"MCP_GITHUB_GITHUB_CLIENT_ID": "Iv1.demo&id",
                  "MCP_GITHUB_GITHUB_CLIENT_SECRET": "not-a-real-secret"}

    def github_state(self):
        _, client = self.server.register()
        status, headers, _, _, state = self.server.authorize(client["client_id"])
        self.assertEqual(status, 302)
        location = urllib.parse.urlsplit(headers["Location"])
        self.assertEqual((location.scheme, location.netloc, location.path),
                         ("https", "github.com", "/login/oauth/authorize"))
        query = dict(urllib.parse.parse_qsl(location.query))
        self.assertEqual(query["client_id"], "Iv1.demo&id")
        self.assertEqual(query["redirect_uri"], f"{self.server.base}/github/callback")
        self.assertEqual(query["scope"], "read:user")
        self.assertNotEqual(query["state"], state, "GitHub gets our state, not the client's")
        return query["state"], state

    def callback(self, **params):
        status, headers, _ = self.server.request(
            "GET", "/github/callback?" + urllib.parse.urlencode(params))
        return status, headers

    def test_refusal_at_github_goes_back_to_the_client(self):
        github_state, client_state = self.github_state()
        status, headers = self.callback(error="access_denied", state=github_state)
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["error"], "access_denied")
        self.assertEqual(query["state"], client_state)
        self.assertEqual(query["iss"], self.server.base)
        status, _ = self.callback(code="x", state=github_state)
        self.assertEqual(status, 400, "a GitHub state is single-use")

    def test_unknown_state_is_refused(self):
        status, headers = self.callback(code="x", state="forged")
        self.assertEqual(status, 400)
        self.assertNotIn("Location", headers)

    def test_failed_code_exchange_is_a_server_error_for_the_client(self):
        # Offline the exchange fails to connect; online GitHub refuses the made-up code.
        github_state, client_state = self.github_state()
        status, headers = self.callback(code="made-up", state=github_state)
        self.assertEqual(status, 302)
        query = redirect_query(headers)
        self.assertEqual(query["error"], "server_error")
        self.assertEqual(query["state"], client_state)


if __name__ == "__main__":
    unittest.main(verbosity=2)
