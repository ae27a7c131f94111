// SPDX-License-Identifier: GPL-3.0-or-later
// A dual-era MCP server built on the official TypeScript SDK v2 (@modelcontextprotocol/server
// 2.4, which speaks 2026-07-28 and, through its fallback, 2025-11-25), for tether-cli's
// integration tests of the modern era.
//
//   node modern-server.mjs stdio                 serve one connection on stdin/stdout
//   node modern-server.mjs http [--modern-only]  serve http://127.0.0.1:PORT/mcp (PORT=0: any),
//                                                printing "listening on PORT" when ready
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

// The SDK lives in tests/peers/node_modules, which ES module resolution does not search from
// here: load it through a require() rooted there.
const peers = process.env.TETHER_PEERS_DIR ??
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const require = createRequire(path.join(peers, 'package.json'));
const { toNodeHandler } = require('@modelcontextprotocol/node');
const {
  McpServer,
  acceptedContent,
  createMcpHandler,
  fromJsonSchema,
  inputRequired,
} = require('@modelcontextprotocol/server');
const { serveStdio } = require('@modelcontextprotocol/server/stdio');
const { z } = require('zod');

function factory() {
  const server = new McpServer(
    { name: 'tether-modern-peer', version: '1.0.0' },
    { capabilities: { tools: {}, prompts: {}, resources: {} }, instructions: 'A test peer.' },
  );

  server.registerTool('echo', {
    description: 'Echoes back the message',
    inputSchema: z.object({ message: z.string() }),
  }, async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));

  // Multi round-trip: asks the client (elicitation) before answering.
  server.registerTool('confirm', {
    description: 'Asks for a confirmation through input_required, then answers',
    inputSchema: z.object({ action: z.string() }),
  }, async ({ action }, ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
    if (answer === undefined) {
      return inputRequired({
        inputRequests: {
          confirm: inputRequired.elicit({
            message: `Really ${action}?`,
            requestedSchema: {
              type: 'object',
              properties: { ok: { type: 'boolean', default: true } },
            },
          }),
        },
        requestState: `state-for-${action}`,
      });
    }
    return {
      content: [{
        type: 'text',
        text: `confirmed ${action}: ${JSON.stringify(answer)} (state ${ctx.mcpReq.requestState()})`,
      }],
    };
  });

  // Progress on the response stream.
  server.registerTool('count', {
    description: 'Counts to n, reporting progress',
    inputSchema: z.object({ n: z.number().int() }),
  }, async ({ n }, ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    for (let i = 1; i <= n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (token !== undefined) {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: n },
        });
      }
    }
    return { content: [{ type: 'text', text: `counted to ${n}` }] };
  });

  // x-mcp-header: the region is mirrored into Mcp-Param-Region.
  server.registerTool('region', {
    description: 'Answers with the region it was given',
    inputSchema: fromJsonSchema({
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        query: { type: 'string' },
      },
      required: ['region'],
    }),
  }, async (args) => ({ content: [{ type: 'text', text: `region ${args.region}` }] }));

  server.registerPrompt('greeting', {
    description: 'Greets someone',
    argsSchema: { name: z.string() },
  }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${name}!` } }],
  }));

  server.registerResource('motd', 'test://motd', { mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Be kind.' }] }));

  return server;
}

const mode = process.argv[2] ?? 'stdio';
if (mode === 'http') {
  const handler = createMcpHandler(factory, {
    legacy: process.argv.includes('--modern-only') ? 'reject' : 'stateless',
  });
  const listener = toNodeHandler(handler);
  const http = createServer((req, res) => {
    if (new URL(req.url, 'http://localhost').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    listener(req, res);
  });
  http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening on ${http.address().port}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
} else {
  serveStdio(factory);
}
