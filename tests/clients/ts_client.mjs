// A real MCP client, the official TypeScript SDK (npm `@modelcontextprotocol/sdk`), against a
// quickmcp example server.
//
// Usage:
//   node ts_client.mjs URL streamable   # Streamable HTTP, e.g. http://127.0.0.1:8000/mcp
//   node ts_client.mjs URL sse          # legacy HTTP+SSE, e.g. http://127.0.0.1:8000/sse
//
// Initializes, lists the tools (hello and add must be there), calls hello({name: "TypeScript"})
// and add({a: 2, b: 3}), and prints one JSON line:
//   {"transport": ..., "server": ..., "protocol": ..., "tools": [...], "hello": ..., "add": ...}
// Exits non-zero on any failure. The SDK is installed by scripts/install-test-deps.sh into
// <repo>/.cache/ts-client (or $QUICKMCP_CACHE/ts-client), and loaded from there.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cache = process.env.QUICKMCP_CACHE || join(repo, ".cache");
const sdk = join(cache, "ts-client/node_modules/@modelcontextprotocol/sdk/dist/esm");

async function load(module) {
  const file = join(sdk, module);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run scripts/install-test-deps.sh`);
  }
  return import(pathToFileURL(file).href);
}

function textOf(result) {
  if (result.isError) {
    throw new Error(`tool returned an error: ${JSON.stringify(result)}`);
  }
  const text = result.content.find((block) => block.type === "text");
  if (!text) {
    throw new Error(`no text content in ${JSON.stringify(result)}`);
  }
  return text.text;
}

async function main(url, transportName) {
  const { Client } = await load("client/index.js");
  let transport;
  if (transportName === "streamable") {
    const { StreamableHTTPClientTransport } = await load("client/streamableHttp.js");
    transport = new StreamableHTTPClientTransport(new URL(url));
  } else if (transportName === "sse") {
    const { SSEClientTransport } = await load("client/sse.js");
    transport = new SSEClientTransport(new URL(url));
  } else {
    throw new Error(`unknown transport ${transportName}: use streamable or sse`);
  }

  // The Client tells the transport the negotiated version; keep it for the report.
  let protocol = null;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocol = version;
    setProtocolVersion?.(version);
  };

  const client = new Client({ name: "quickmcp-ts-client", version: "0.1.0" });
  await client.connect(transport);
  try {
    const listed = await client.listTools();
    const tools = listed.tools.map((tool) => tool.name).sort();
    for (const wanted of ["hello", "add"]) {
      if (!tools.includes(wanted)) {
        throw new Error(`tool ${wanted} missing from tools/list: ${tools}`);
      }
    }
    const hello = textOf(await client.callTool({ name: "hello", arguments: { name: "TypeScript" } }));
    const add = textOf(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } }));
    const outcome = {
      transport: transportName,
      server: client.getServerVersion()?.name,
      protocol,
      tools,
      hello,
      add,
    };
    console.log(JSON.stringify(outcome));
  } finally {
    if (transportName === "streamable") {
      await transport.terminateSession().catch(() => {});
    }
    await client.close();
  }
}

const [url, transportName] = process.argv.slice(2);
if (!url || !transportName) {
  console.error("usage: node ts_client.mjs URL streamable|sse");
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error("ts_client: timed out after 30 s");
  process.exit(1);
}, 30_000);
main(url, transportName).then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (error) => {
    console.error(`ts_client: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
