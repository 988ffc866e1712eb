// A real MCP client running the whole OAuth flow headless: the official TypeScript SDK
// (@modelcontextprotocol/sdk 1.x, installed by scripts/install-test-deps.sh into
// <repo>/.cache/ts-client, or under $QUICKMCP_CACHE) connects to a protected quickmcp endpoint,
// gets 401, discovers the Protected Resource Metadata from the challenge, then the
// authorization server's metadata, and runs the authorization code flow with PKCE as the
// public client `mcp-public` of tests/auth/oidc_provider.mjs. The "browser" is this script:
// it follows the authorization URL, signs in through oidc-provider's dev interactions and
// consents, and hands the code from the redirect to `transport.finishAuth`. Then it lists the
// tools and calls `whoami`.
//
// Usage: node oauth_client.mjs MCP_URL
// Prints one JSON line: {"challenge": ..., "authorize": {...}, "tools": [...], "whoami": ...}.
// Exits non-zero on any failure.

import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const cache = process.env.QUICKMCP_CACHE || join(repo, ".cache");
const sdk = join(cache, "ts-client/node_modules/@modelcontextprotocol/sdk/dist/esm");
const load = (file) => import(pathToFileURL(join(sdk, file)).href);
const { Client } = await load("client/index.js");
const { StreamableHTTPClientTransport } = await load("client/streamableHttp.js");
const { UnauthorizedError } = await load("client/auth.js");

const url = new URL(process.argv[2]);
const REDIRECT = "http://127.0.0.1/callback";

/** What the SDK asks of an OAuth client, kept in memory. */
class MemoryProvider {
  constructor() {
    this.saved = {};
    this.authorizationUrl = undefined;
  }
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata() {
    return {
      client_name: "quickmcp auth test",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    // Pre-registered: the AS has a public client with this id.
    return this.saved.client ?? { client_id: "mcp-public" };
  }
  saveClientInformation(info) {
    this.saved.client = info;
  }
  tokens() {
    return this.saved.tokens;
  }
  saveTokens(tokens) {
    this.saved.tokens = tokens;
  }
  redirectToAuthorization(authorizationUrl) {
    this.authorizationUrl = authorizationUrl;
  }
  saveCodeVerifier(verifier) {
    this.saved.verifier = verifier;
  }
  codeVerifier() {
    return this.saved.verifier;
  }
}

/** A tiny cookie jar and redirect follower: the headless "browser". */
class Browser {
  constructor() {
    this.cookies = new Map();
  }
  async request(target, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    return response;
  }
  /** Follows redirects from `target` until one leaves for the redirect URI; returns its code. */
  async authorize(target) {
    let next = new URL(target);
    const steps = [];
    for (let hop = 0; hop < 20; hop++) {
      if (next.href.startsWith(REDIRECT)) {
        const code = next.searchParams.get("code");
        if (!code) throw new Error(`redirected without a code: ${next}`);
        return { code, steps };
      }
      let response = await this.request(next);
      if (response.status === 200) {
        // A dev interaction page: sign in, or consent. Submit its form.
        const html = await response.text();
        const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
        if (!action) throw new Error(`no form at ${next}: ${html.slice(0, 300)}`);
        const form = new URLSearchParams();
        for (const input of html.matchAll(/<input[^>]*>/g)) {
          const name = input[0].match(/name="([^"]+)"/)?.[1];
          const value = input[0].match(/value="([^"]*)"/)?.[1] ?? "";
          if (name) form.set(name, value);
        }
        if (form.has("login")) {
          form.set("login", "alice");
          form.set("password", "any");
          steps.push("login");
        } else {
          steps.push("consent");
        }
        response = await this.request(new URL(action, next), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        });
      }
      const location = response.headers.get("location");
      if (![302, 303].includes(response.status) || !location) {
        throw new Error(`unexpected ${response.status} at ${next}: ${await response.text()}`);
      }
      next = new URL(location, next);
    }
    throw new Error("too many redirects");
  }
}

const out = {};
// What the server says to a client without a token.
const bare = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
});
out.challenge = { status: bare.status, header: bare.headers.get("www-authenticate") };

const provider = new MemoryProvider();
let transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
let client = new Client({ name: "quickmcp-oauth-test", version: "1.0.0" });
try {
  await client.connect(transport);
  throw new Error("connected without authorizing");
} catch (error) {
  if (!(error instanceof UnauthorizedError)) throw error;
}
const authorizationUrl = provider.authorizationUrl;
if (!authorizationUrl) throw new Error("the SDK did not start an authorization");
out.authorize = {
  resource: authorizationUrl.searchParams.get("resource"),
  scope: authorizationUrl.searchParams.get("scope"),
  code_challenge_method: authorizationUrl.searchParams.get("code_challenge_method"),
};
const { code, steps } = await new Browser().authorize(authorizationUrl);
out.authorize.steps = steps;
await transport.finishAuth(code);

transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
client = new Client({ name: "quickmcp-oauth-test", version: "1.0.0" });
await client.connect(transport);
out.tools = (await client.listTools()).tools.map((t) => t.name).sort();
const result = await client.callTool({ name: "whoami", arguments: {} });
out.whoami = result.content[0].text;
out.token_type = provider.saved.tokens?.token_type;
await client.close();
console.log(JSON.stringify(out));
