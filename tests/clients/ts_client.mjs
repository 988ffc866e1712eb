// A real MCP client, the official TypeScript SDK, against a quickmcp example server.
//
// Usage:
//   node ts_client.mjs URL streamable          # SDK 1.x, e.g. http://127.0.0.1:8000/mcp
//   node ts_client.mjs URL sse                 # SDK 1.x, legacy HTTP+SSE, e.g. .../sse
//   node ts_client.mjs URL streamable MODE     # SDK 2.x, versionNegotiation MODE:
//                                              #   legacy, auto or 2026-07-28 (a pin)
//   node ts_client.mjs URL sse legacy          # SDK 2.x over legacy HTTP+SSE
//
// Lists the tools (hello and add must be there), calls hello({name: "TypeScript"}) and
// add({a: 2, b: 3}), and, when the server has them, `wire` (which wire the server saw the call
// on), `greet` (which asks a name through elicitation and a greeting through sampling,
// answered here by request handlers) and the prompt `introduce` (which asks the reader's
// name). Prints one JSON line:
//   {"transport": ..., "sdk": ..., "server": ..., "protocol": ..., "tools": [...], "hello": ...,
//    "add": ..., "wire": ..., "greet": ..., "introduce": ..., "asked": [...]}
// Exits non-zero on any failure. SDK 1.x (`@modelcontextprotocol/sdk`) is installed by
// scripts/install-test-deps.sh into <repo>/.cache/ts-client, SDK 2.x
// (`@modelcontextprotocol/client`) into .cache/ts-client-2 (or under $QUICKMCP_CACHE).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cache = process.env.QUICKMCP_CACHE || join(repo, ".cache");
const sdk1 = join(cache, "ts-client/node_modules/@modelcontextprotocol/sdk/dist/esm");
const sdk2 = join(cache, "ts-client-2/node_modules/@modelcontextprotocol/client/dist/index.mjs");

async function load(file) {
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

const clientInfo = { name: "quickmcp-ts-client", version: "0.1.0" };
const capabilities = { elicitation: {}, sampling: {} };

/** Answers like a user and a model would, recording what was asked. */
function answers(asked) {
  return {
    elicit: async (request) => {
      asked.push(`elicitation: ${request.params.message}`);
      return { action: "accept", content: { name: "Ada" } };
    },
    sample: async () => {
      asked.push("sampling");
      return { role: "assistant", content: { type: "text", text: "Good day" }, model: "test-model" };
    },
  };
}

/** SDK 1.x: handlers are registered by request schema. */
async function sdk1Client(url, transportName, asked) {
  const { Client } = await load(join(sdk1, "client/index.js"));
  const { ElicitRequestSchema, CreateMessageRequestSchema } = await load(join(sdk1, "types.js"));
  let transport;
  if (transportName === "streamable") {
    const { StreamableHTTPClientTransport } = await load(join(sdk1, "client/streamableHttp.js"));
    transport = new StreamableHTTPClientTransport(new URL(url));
  } else {
    const { SSEClientTransport } = await load(join(sdk1, "client/sse.js"));
    transport = new SSEClientTransport(new URL(url));
  }
  // The Client tells the transport the negotiated version; keep it for the report.
  let protocol = null;
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocol = version;
    setProtocolVersion?.(version);
  };
  const client = new Client(clientInfo, { capabilities });
  const { elicit, sample } = answers(asked);
  client.setRequestHandler(ElicitRequestSchema, elicit);
  client.setRequestHandler(CreateMessageRequestSchema, sample);
  await client.connect(transport);
  return { client, transport, protocol: () => protocol };
}

/** SDK 2.x: handlers are registered by method; `mode` picks the protocol era. */
async function sdk2Client(url, transportName, mode, asked) {
  const { Client, StreamableHTTPClientTransport, SSEClientTransport } = await load(sdk2);
  const transport =
    transportName === "streamable"
      ? new StreamableHTTPClientTransport(new URL(url))
      : new SSEClientTransport(new URL(url));
  const versionNegotiation = { mode: mode === "legacy" || mode === "auto" ? mode : { pin: mode } };
  const client = new Client(clientInfo, { capabilities, versionNegotiation });
  const { elicit, sample } = answers(asked);
  client.setRequestHandler("elicitation/create", elicit);
  client.setRequestHandler("sampling/createMessage", sample);
  await client.connect(transport);
  return { client, transport, protocol: () => client.getNegotiatedProtocolVersion() };
}

async function main(url, transportName, mode) {
  if (transportName !== "streamable" && transportName !== "sse") {
    throw new Error(`unknown transport ${transportName}: use streamable or sse`);
  }
  const asked = [];
  const { client, transport, protocol } = mode
    ? await sdk2Client(url, transportName, mode, asked)
    : await sdk1Client(url, transportName, asked);
  try {
    const listed = await client.listTools();
    const tools = listed.tools.map((tool) => tool.name).sort();
    for (const wanted of ["hello", "add"]) {
      if (!tools.includes(wanted)) {
        throw new Error(`tool ${wanted} missing from tools/list: ${tools}`);
      }
    }
    const call = async (name, args) => textOf(await client.callTool({ name, arguments: args }));
    const outcome = {
      transport: transportName,
      sdk: mode ? `2.x ${mode}` : "1.x",
      server: client.getServerVersion()?.name,
      protocol: protocol(),
      tools,
      hello: await call("hello", { name: "TypeScript" }),
      add: await call("add", { a: 2, b: 3 }),
    };
    if (tools.includes("wire")) {
      outcome.wire = await call("wire", {});
    }
    if (tools.includes("greet")) {
      outcome.greet = await call("greet", {});
      const prompt = await client.getPrompt({ name: "introduce" });
      outcome.introduce = prompt.messages[0].content.text;
      outcome.asked = asked;
    }
    console.log(JSON.stringify(outcome));
  } finally {
    if (transportName === "streamable" && transport.sessionId) {
      await transport.terminateSession().catch(() => {});
    }
    await client.close();
  }
}

const [url, transportName, mode] = process.argv.slice(2);
if (!url || !transportName) {
  console.error("usage: node ts_client.mjs URL streamable|sse [legacy|auto|2026-07-28]");
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error("ts_client: timed out after 30 s");
  process.exit(1);
}, 30_000);
main(url, transportName, mode).then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (error) => {
    console.error(`ts_client: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
