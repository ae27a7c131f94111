// SPDX-License-Identifier: GPL-3.0-or-later
//
// Drives tether-demo-server with the official TypeScript SDK client (someone else's
// measure): dynamic client registration, PKCE, token exchange, tool calls over Streamable
// HTTP and HTTP+SSE, progress notifications, cancellation (checked on the server's side with
// admin_stats), the step-up to the "admin" scope after a 403 insufficient_scope, and, against
// a second server started with --token-ttl 1, refresh with rotation (the used refresh token is
// refused, and its reuse ends the authorization).
//
// usage: node sdk-client.mjs SERVER_BINARY PEERS_NODE_MODULES
// The server is started with --auto-approve: the provider below plays the browser by
// fetching the authorization URL itself and reading the code from the redirect's Location.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [serverBinary, peers] = process.argv.slice(2);
if (!serverBinary || !peers) {
  console.error('usage: node sdk-client.mjs SERVER_BINARY PEERS_NODE_MODULES');
  process.exit(2);
}

const sdkPath = (file) =>
  pathToFileURL(path.join(peers, '@modelcontextprotocol/sdk/dist/esm', file)).href;
if (!existsSync(path.join(peers, '@modelcontextprotocol/sdk/dist/esm/client/index.js'))) {
  console.log(`sdk-client: skipped, no @modelcontextprotocol/sdk under ${peers}`);
  process.exit(77);
}
const { Client } = await import(sdkPath('client/index.js'));
const { StreamableHTTPClientTransport } = await import(sdkPath('client/streamableHttp.js'));
const { SSEClientTransport } = await import(sdkPath('client/sse.js'));
const { UnauthorizedError } = await import(sdkPath('client/auth.js'));

// ---------------------------------------------------------------------------------------

function startServer(args) {
  const child = spawn(serverBinary, ['--port', '0', ...args],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const match = /^Listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`unexpected first line from the server: ${line}`));
    });
    child.once('exit', () => reject(new Error('the server exited before listening')));
  });
  return { child, exited, listening };
}

// An OAuthClientProvider that keeps everything in memory and "redirects" by fetching.
class HeadlessProvider {
  constructor(issuer, { keepRefreshTokens = true, name = 'sdk-client test' } = {}) {
    this.issuer = issuer;
    this.keepRefreshTokens = keepRefreshTokens;
    this.name = name;
    this.redirect = 'http://127.0.0.1:8976/callback';
    this.code = undefined;
    this.authorizations = 0;
    this.savedTokens = [];
  }
  get redirectUrl() { return this.redirect; }
  get clientMetadata() {
    return {
      client_name: this.name,
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    };
  }
  state() { this.lastState = randomBytes(16).toString('hex'); return this.lastState; }
  clientInformation() { return this.client; }
  saveClientInformation(info) { this.client = info; }
  tokens() { return this.currentTokens; }
  saveTokens(tokens) {
    this.savedTokens.push(tokens);
    this.currentTokens = this.keepRefreshTokens ? tokens : { ...tokens, refresh_token: undefined };
  }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  invalidateCredentials(scope) {
    this.invalidated = scope;
    if (scope === 'all' || scope === 'tokens') this.currentTokens = undefined;
    if (scope === 'all') this.client = undefined;
  }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.authorizations++;
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('resource'), 'the SDK sends an RFC 8707 resource');
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 302, 'auto-approve answers /authorize with a redirect');
    const location = new URL(response.headers.get('location'));
    assert.equal(`${location.origin}${location.pathname}`, this.redirect);
    assert.equal(location.searchParams.get('state'), this.lastState, 'state comes back');
    assert.equal(location.searchParams.get('iss'), this.issuer, 'iss (RFC 9207) is the issuer');
    assert.equal(location.searchParams.get('error'), null);
    this.code = location.searchParams.get('code');
    assert.ok(this.code);
  }
}

// Connects, completing the authorization when the server asks for it.
async function connect(provider, makeTransport) {
  let client = new Client({ name: 'tether-demo-sdk-test', version: '1.0.0' });
  let transport = makeTransport();
  try {
    await client.connect(transport);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await transport.finishAuth(provider.code);
    await client.close().catch(() => {});
    client = new Client({ name: 'tether-demo-sdk-test', version: '1.0.0' });
    transport = makeTransport();
    await client.connect(transport);
  }
  return { client, transport };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function textOf(result) {
  return result.content.filter((c) => c.type === 'text').map((c) => c.text).join('');
}

// ---------------------------------------------------------------------------------------

async function run(port) {
  const base = `http://localhost:${port}`;
  const mcpUrl = new URL(`${base}/mcp`);
  const provider = new HeadlessProvider(base);

  // 1. Streamable HTTP: 401 -> discovery -> DCR -> PKCE -> token -> initialize.
  const { client, transport } = await connect(provider, () =>
    new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  assert.equal(provider.authorizations, 1);
  assert.ok(provider.client?.client_id, 'the SDK registered a client');
  assert.ok(provider.client?.client_secret, 'client_secret_post clients get a secret');
  assert.ok(transport.sessionId, 'the server opened a session');
  assert.equal(client.getServerVersion()?.name, 'tether-demo-server');

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  for (const name of ['add', 'admin_stats', 'countdown', 'echo', 'get_user_profile', 'image',
                      'large_result', 'long_running'])
    assert.ok(names.includes(name), `tools/list has ${name}`);

  const profile = await client.callTool({ name: 'get_user_profile', arguments: {} });
  assert.equal(profile.isError, undefined);
  assert.equal(profile.structuredContent.login, 'demo');
  assert.equal(typeof profile.structuredContent.id, 'number');
  assert.equal(profile.structuredContent.avatar_url, `${base}/avatars/demo.png`);
  assert.equal(JSON.parse(textOf(profile)).login, 'demo');

  const echo = await client.callTool({ name: 'echo', arguments: { message: 'héllo ✓' } });
  assert.equal(textOf(echo), 'Echo: héllo ✓');

  const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 40.5 } });
  assert.equal(sum.structuredContent.sum, 42.5);

  const progress = [];
  const countdown = await client.callTool(
    { name: 'countdown', arguments: { steps: 3, interval_ms: 20 } },
    undefined, { onprogress: (p) => progress.push(p) });
  assert.equal(textOf(countdown), 'Counted down 3 steps');
  assert.deepEqual(progress.map((p) => p.progress), [1, 2, 3]);
  assert.equal(progress[2].total, 3);

  const image = await client.callTool({ name: 'image', arguments: { seed: 7 } });
  const png = Buffer.from(image.content[0].data, 'base64');
  assert.equal(image.content[0].mimeType, 'image/png');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const big = await client.callTool({ name: 'large_result', arguments: { size: 3 * 1024 * 1024 } });
  assert.equal(textOf(big).length, 3 * 1024 * 1024);

  const badArgs = await client.callTool({ name: 'echo', arguments: { message: 5 } });
  assert.equal(badArgs.isError, true, 'a wrong argument is a tool error the model can read');

  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }),
                       (error) => error.code === -32602);

  // Cancellation: the SDK sends notifications/cancelled when the signal aborts.
  const controller = new AbortController();
  const cancelled = client.callTool(
    { name: 'countdown', arguments: { steps: 50, interval_ms: 100 } },
    undefined, { signal: controller.signal });
  setTimeout(() => controller.abort('test cancels'), 150);
  await assert.rejects(cancelled);
  const after = await client.callTool({ name: 'echo', arguments: { message: 'after cancel' } });
  assert.equal(textOf(after), 'Echo: after cancel', 'the session works after a cancellation');

  // 2. The admin tool with a "user" token: the SDK sees 403 insufficient_scope.
  await assert.rejects(client.callTool({ name: 'admin_stats', arguments: {} }),
                       (error) => /403/.test(String(error.message ?? error)));
  await transport.terminateSession();
  await client.close();

  // 3. Step-up: a client without refresh tokens re-authorizes with the scope from the 403
  //    challenge ("user admin") and then may call the admin tool.
  const stepUp = new HeadlessProvider(base, { keepRefreshTokens: false, name: 'step-up test' });
  const second = await connect(stepUp, () =>
    new StreamableHTTPClientTransport(mcpUrl, { authProvider: stepUp }));
  await assert.rejects(second.client.callTool({ name: 'admin_stats', arguments: {} }),
                       (error) => error instanceof UnauthorizedError);
  assert.equal(stepUp.authorizations, 2, 'the 403 started a new authorization');
  await second.transport.finishAuth(stepUp.code);
  assert.equal(stepUp.savedTokens.at(-1).scope, 'user admin');
  const stats = await second.client.callTool({ name: 'admin_stats', arguments: {} });
  assert.equal(stats.structuredContent.requested_by, 'demo');
  assert.ok(stats.structuredContent.authorization.registered_clients >= 2);
  assert.equal(stats.structuredContent.tool_calls_cancelled, 1,
               'the server stopped the countdown on notifications/cancelled');

  // 4. HTTP+SSE. Tokens are bound to the resource they were issued for (RFC 8707), so the
  //    /sse endpoint needs its own authorization (a /mcp token is refused there).
  const sseProvider = new HeadlessProvider(base, { name: 'sse test' });
  const { client: sse } = await connect(sseProvider, () =>
    new SSEClientTransport(new URL(`${base}/sse`), { authProvider: sseProvider }));
  assert.equal(sseProvider.authorizations, 1);
  const sseEcho = await sse.callTool({ name: 'echo', arguments: { message: 'over sse' } });
  assert.equal(textOf(sseEcho), 'Echo: over sse');
  const sseProfile = await sse.callTool({ name: 'get_user_profile', arguments: {} });
  assert.equal(sseProfile.structuredContent.login, 'demo');

  // Cancellation over HTTP+SSE, with the other long-running tool.
  const sseProgress = [];
  const sseController = new AbortController();
  const sseCancelled = sse.callTool(
    { name: 'long_running', arguments: { duration: 10, steps: 100 } },
    undefined, { signal: sseController.signal, onprogress: (p) => sseProgress.push(p) });
  await sleep(350);
  sseController.abort('test cancels');
  await assert.rejects(sseCancelled);
  assert.ok(sseProgress.length >= 1, 'long_running sends progress');
  assert.equal(sseProgress[0].total, 100);
  const stillThere = await sse.callTool({ name: 'echo', arguments: { message: 'sse after' } });
  assert.equal(textOf(stillThere), 'Echo: sse after');

  // Both cancelled calls stopped on the server while their sessions live on: only
  // admin_stats itself runs.
  const later = await second.client.callTool({ name: 'admin_stats', arguments: {} });
  assert.equal(later.structuredContent.tool_calls_cancelled, 2);
  assert.equal(later.structuredContent.tool_calls_running, 1);
  assert.equal(later.structuredContent.sse_sessions, 1);
  await sse.close();
  await second.client.close();
}

// Against a server started with --token-ttl 1: the SDK refreshes the expired token instead of
// signing in again, each refresh rotates the refresh token, and a used one is refused.
async function runShortLived(port) {
  const base = `http://localhost:${port}`;
  const provider = new HeadlessProvider(base, { name: 'refresh test' });
  const { client } = await connect(provider, () =>
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { authProvider: provider }));
  assert.equal(provider.savedTokens.length, 1);
  assert.equal(provider.savedTokens[0].expires_in, 1);

  for (let i = 1; i <= 2; i++) {
    await sleep(1300);
    const echo = await client.callTool({ name: 'echo', arguments: { message: `expired ${i}` } });
    assert.equal(textOf(echo), `Echo: expired ${i}`);
    assert.equal(provider.authorizations, 1, 'a refresh, not a new sign-in');
    assert.equal(provider.savedTokens.length, 1 + i);
    const [before, after] = provider.savedTokens.slice(-2);
    assert.notEqual(after.access_token, before.access_token);
    assert.ok(after.refresh_token, 'a new refresh token comes with every refresh');
    assert.notEqual(after.refresh_token, before.refresh_token, 'rotation');
    assert.equal(after.scope, 'user');
  }

  // The first refresh token was used: the server refuses it and, since someone replays it,
  // revokes everything issued from that authorization.
  const reuse = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: provider.savedTokens[0].refresh_token,
      client_id: provider.client.client_id,
      client_secret: provider.client.client_secret,
    }),
  });
  assert.equal(reuse.status, 400);
  assert.equal((await reuse.json()).error, 'invalid_grant');

  // The SDK's current tokens went with it: its refresh fails (invalid_grant) and it has to
  // send the person to sign in again.
  await assert.rejects(client.callTool({ name: 'echo', arguments: { message: 'revoked' } }),
                       (error) => error instanceof UnauthorizedError);
  assert.equal(provider.invalidated, 'tokens', 'the SDK dropped the refused tokens');
  assert.equal(provider.authorizations, 2);
  await client.close();
}

const servers = [];
const watchdog = setTimeout(() => {
  console.error('sdk-client: timed out');
  for (const server of servers) server.child.kill('SIGKILL');
  process.exit(1);
}, 90000);

let failed = false;
for (const [args, body] of [[['--auto-approve'], run],
                            [['--auto-approve', '--token-ttl', '1'], runShortLived]]) {
  const server = startServer(args);
  servers.push(server);
  try {
    await body(await server.listening);
    console.log(`sdk-client: ${body.name}: all checks passed`);
  } catch (error) {
    failed = true;
    console.error(`sdk-client: ${body.name}: FAILED:`, error);
  } finally {
    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    // A clean exit also means no leak report under AddressSanitizer.
    if (code !== 0) {
      console.error(`sdk-client: the server exited with ${code ?? signal}`);
      failed = true;
    }
  }
}
clearTimeout(watchdog);
process.exit(failed ? 1 : 0);
