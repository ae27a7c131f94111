// SPDX-License-Identifier: GPL-3.0-or-later
//
// Sustained echo calls against tether-demo-server with the official TypeScript SDK client:
// signs in (DCR + PKCE against an --auto-approve server), warms up, then makes CALLS
// sequential tools/call echo requests over Streamable HTTP and prints one JSON line.
//
// usage: node bench-echo.mjs BASE_URL PEERS_NODE_MODULES CALLS

import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, peers, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 2000);
const sdk = (file) =>
  import(pathToFileURL(path.join(peers, '@modelcontextprotocol/sdk/dist/esm', file)).href);
const { Client } = await sdk('client/index.js');
const { StreamableHTTPClientTransport } = await sdk('client/streamableHttp.js');
const { UnauthorizedError } = await sdk('client/auth.js');

const provider = {
  redirect: 'http://127.0.0.1:8976/callback',
  get redirectUrl() { return this.redirect; },
  get clientMetadata() {
    return { client_name: 'bench-echo', redirect_uris: [this.redirect],
             grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
             token_endpoint_auth_method: 'none' };
  },
  clientInformation() { return this.client; },
  saveClientInformation(info) { this.client = info; },
  tokens() { return this.saved; },
  saveTokens(tokens) { this.saved = tokens; },
  saveCodeVerifier(verifier) { this.verifier = verifier; },
  codeVerifier() { return this.verifier; },
  async redirectToAuthorization(url) {
    const response = await fetch(url, { redirect: 'manual' });
    this.code = new URL(response.headers.get('location')).searchParams.get('code');
  },
};

const url = new URL(`${base}/mcp`);
let client = new Client({ name: 'bench-echo', version: '1.0.0' });
try {
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
} catch (error) {
  if (!(error instanceof UnauthorizedError)) throw error;
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await transport.finishAuth(provider.code);
  client = new Client({ name: 'bench-echo', version: '1.0.0' });
  await client.connect(transport);
}

for (let i = 0; i < 100; i++)
  await client.callTool({ name: 'echo', arguments: { message: `warm-up ${i}` } });

const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
for (let i = 0; i < calls; i++) {
  const result = await client.callTool({ name: 'echo', arguments: { message: `call ${i}` } });
  if (result.content[0].text !== `Echo: call ${i}`) throw new Error(`bad echo at ${i}`);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
await client.close();

console.log(JSON.stringify({
  client: 'node-sdk',
  calls,
  seconds,
  client_cpu_ms_per_call: (cpu.user + cpu.system) / 1000 / calls,
  client_peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
