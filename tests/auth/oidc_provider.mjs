// A real OAuth 2.1 authorization server on loopback for the auth tests: npm `oidc-provider`
// (pinned in scripts/deps/oidc-provider, installed by scripts/install-test-deps.sh into
// <repo>/.cache/oidc-provider, or under $QUICKMCP_CACHE).
//
// Usage: node oidc_provider.mjs [--port N] [--keys KEY,KEY...]
//   --port  where to listen on 127.0.0.1 (default 0: any free port)
//   --keys  which keys of tests/auth/keys.json sign, the first one signing new tokens, all of
//           them published in the JWKS (default as_key_1). Restarting on the same port with
//           `as_key_2,as_key_1` rotates the signing key.
//
// Prints `ISSUER <url>` once it serves, then serves until killed (or stdin closes).
//
// Clients (secrets are `<id>-secret`), every token carrying the RFC 8707 resource it was asked
// for as its `aud`:
//   mcp-client     client_credentials, JWT access tokens (at+jwt, ES256), 300 s
//   other-client   the same, a second principal
//   short-client   the same, 2 s tokens (to expire them)
//   opaque-client  client_credentials, opaque access tokens (introspection)
//   mcp-rs         the resource server's own credentials, for introspection
//   mcp-public     public client (no secret), authorization code + PKCE through the dev
//                  interactions, redirect http://127.0.0.1/callback (any port)
// Any resource on 127.0.0.1 or localhost is accepted; others get `invalid_target`. A token
// asked for without a resource is opaque and has no `aud`.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = join(here, "../..");
const cache = process.env.QUICKMCP_CACHE || join(repo, ".cache");
const lib = join(cache, "oidc-provider/node_modules/oidc-provider/lib/index.js");
const { default: Provider, errors } = await import(pathToFileURL(lib).href);

function arg(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const allKeys = JSON.parse(readFileSync(join(here, "keys.json"), "utf8"));
const keys = arg("--keys", "as_key_1")
  .split(",")
  .map((name) => {
    if (!allKeys[name]) throw new Error(`no key ${name} in keys.json`);
    return allKeys[name].jwk;
  });

// `tools` is the broad scope above `tools:read` and `tools:write` (scope-hierarchy tests).
const SCOPES = "tools tools:read tools:write admin";
const credentials = (id, extra = {}) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  grant_types: ["client_credentials"],
  redirect_uris: [],
  response_types: [],
  scope: SCOPES,
  ...extra,
});

function isLoopback(resource) {
  try {
    const url = new URL(resource);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname);
  } catch {
    return false;
  }
}

const server = createServer();
await new Promise((done) => server.listen(Number(arg("--port", "0")), "127.0.0.1", done));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  jwks: { keys },
  clientDefaults: { id_token_signed_response_alg: "ES256" },
  clients: [
    credentials("mcp-client"),
    credentials("other-client"),
    credentials("short-client"),
    credentials("opaque-client"),
    { client_id: "mcp-rs", client_secret: "mcp-rs-secret", grant_types: [], redirect_uris: [], response_types: [] },
    {
      client_id: "mcp-public",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: ["http://127.0.0.1/callback"],
      scope: `openid offline_access ${SCOPES}`,
    },
  ],
  scopes: ["openid", "offline_access", ...SCOPES.split(" ")],
  pkce: { required: () => true },
  ttl: {
    ClientCredentials: (ctx, token, client) => (client.clientId === "short-client" ? 2 : 300),
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // Only the resource server's own credentials may introspect.
      allowedPolicy: async (ctx, client) => client.clientId === "mcp-rs",
    },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => undefined,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource, client) => {
        if (!isLoopback(resource)) throw new errors.InvalidTarget();
        const id = client.clientId;
        return {
          scope: SCOPES,
          audience: resource,
          accessTokenTTL: id === "short-client" ? 2 : 300,
          accessTokenFormat: id === "opaque-client" ? "opaque" : "jwt",
          jwt: { sign: { alg: "ES256" } },
        };
      },
    },
  },
});
// Loopback redirect URIs may use any port (RFC 8252 §7.3).
provider.proxy = false;
server.on("request", provider.callback());

console.log(`ISSUER ${issuer}`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
