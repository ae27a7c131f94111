// SPDX-License-Identifier: GPL-3.0-or-later
// The reference for tether-cli's benchmark: the official TypeScript SDK client
// (@modelcontextprotocol/sdk 1.x) making CALLS sequential echo calls over Streamable HTTP.
//   node sdk-echo.mjs URL CALLS
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// The SDK is in tests/peers/node_modules, outside ES module resolution from here.
const peers = process.env.TETHER_PEERS_DIR ??
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'peers');
const require = createRequire(path.join(peers, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const [url, callsText] = process.argv.slice(2);
const calls = Number(callsText ?? 2000);

const client = new Client({ name: 'sdk-bench', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));
let last;
for (let i = 0; i < calls; i++) {
  last = await client.callTool({ name: 'echo', arguments: { message: 'bench' } });
}
if (last?.content?.[0]?.text !== 'Echo: bench') {
  console.error('unexpected answer', JSON.stringify(last));
  process.exit(1);
}
await client.close();
