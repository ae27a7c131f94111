// SPDX-License-Identifier: GPL-3.0-or-later
// A 2025-era Streamable HTTP server with sessions, on the official TypeScript SDK 1.x, that
// answers a session it no longer knows with 404 as the 2025-11-25 spec says (server-everything
// answers 400), so a client's session re-creation can be tested; its tools/list comes in
// pages of two, for the client's paging.
//   PORT=N node session-server.mjs      serves http://127.0.0.1:N/mcp
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const peers = process.env.TETHER_PEERS_DIR ??
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const require = createRequire(path.join(peers, 'package.json'));
const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  isInitializeRequest,
} = require('@modelcontextprotocol/sdk/types.js');

const sessions = new Map();

const TOOLS = ['echo', 'one', 'two', 'three', 'four'].map((name) => ({
  name,
  description: name === 'echo' ? 'Echoes back the message' : `Tool ${name}`,
  inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
}));
const PAGE = 2;

function makeServer() {
  const server = new Server({ name: 'tether-session-peer', version: '1.0.0' },
    { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const start = Number(request.params?.cursor ?? 0);
    const page = { tools: TOOLS.slice(start, start + PAGE) };
    if (start + PAGE < TOOLS.length) {
      page.nextCursor = String(start + PAGE);
    }
    return page;
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => ({
    content: [{ type: 'text', text: `Echo: ${request.params.arguments?.message ?? ''}` }],
  }));
  return server;
}

function sendError(res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }));
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > 0 ? JSON.parse(text) : undefined;
}

const http = createServer(async (req, res) => {
  try {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const id = req.headers['mcp-session-id'];
    if (id !== undefined) {
      const transport = sessions.get(id);
      if (transport === undefined) {
        sendError(res, 404, -32001, 'Session not found');
        return;
      }
      await transport.handleRequest(req, res, body);
      return;
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
      });
      transport.onclose = () => sessions.delete(transport.sessionId);
      await makeServer().connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    sendError(res, 400, -32000, 'Bad Request: no session; send initialize first');
  } catch (error) {
    if (!res.headersSent) {
      sendError(res, 500, -32603, String(error));
    }
  }
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on ${http.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
