//! Run with: cargo run --example auth --features auth
//!
//! An MCP server that is an OAuth 2.1 resource server: every request to
//! http://127.0.0.1:8000/mcp needs an access token from the authorization server at `$ISSUER`
//! (default http://127.0.0.1:9797) whose audience is that URL; tokens are JWTs checked against
//! the issuer's JWKS. The tools read who is calling from the verified token (`Principal`), which
//! never holds the token itself. The Protected Resource Metadata is served at
//! http://127.0.0.1:8000/.well-known/oauth-protected-resource/mcp (and at the root), so a
//! client can discover where to get a token from the 401's `WWW-Authenticate` header.
//! `--host`/`--port` (or `HOST`/`PORT`) change the address, `RESOURCE` the public URL (behind a
//! reverse proxy: see docs/auth.md).
//!
//! Try it with the test authorization server (npm oidc-provider, installed into .cache/ by
//! scripts/install-test-deps.sh):
//!
//! ```text
//! node tests/auth/oidc_provider.mjs --port 9797 &
//! cargo run --example auth --features auth &
//!
//! # no token: 401 and a challenge naming the metadata
//! curl -i http://127.0.0.1:8000/mcp -H 'Content-Type: application/json' \
//!   -H 'Accept: application/json, text/event-stream' -d '{}'
//! curl http://127.0.0.1:8000/.well-known/oauth-protected-resource/mcp
//!
//! # a token for this resource (client credentials), then a call on the 2026-07-28 wire
//! export T=$(curl -s -u mcp-client:mcp-client-secret -d grant_type=client_credentials \
//!   -d scope=tools:read -d resource=http://127.0.0.1:8000/mcp http://127.0.0.1:9797/token \
//!   | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
//! curl http://127.0.0.1:8000/mcp -H "Authorization: Bearer $T" \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/call' -H 'Mcp-Name: whoami' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","_meta":{
//!        "io.modelcontextprotocol/protocolVersion":"2026-07-28",
//!        "io.modelcontextprotocol/clientCapabilities":{}}}}'
//! ```

use quickmcp::auth::{AuthConfig, JwtVerifier};
use quickmcp::prelude::*;
use quickmcp::Principal;

/// Who is calling: the token's subject, client and scopes.
#[tool]
fn whoami(principal: Principal) -> String {
    format!(
        "subject {} (client {}), scopes: {}",
        principal.subject,
        principal.client_id.as_deref().unwrap_or("unknown"),
        principal.scopes.join(" ")
    )
}

/// Greets the caller by name when the token carries one (a `name` claim), else by subject.
#[tool]
fn greet(ctx: Context) -> String {
    let name = ctx.principal().map(|p| {
        p.claim("name")
            .and_then(|n| n.as_str())
            .unwrap_or(&p.subject)
            .to_owned()
    });
    format!("Hello, {}!", name.as_deref().unwrap_or("stranger"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let addr = quickmcp::listen_addr();
    let issuer = std::env::var("ISSUER").unwrap_or_else(|_| "http://127.0.0.1:9797".into());
    // The URL clients connect to, exactly: tokens must carry it as their audience.
    let resource = std::env::var("RESOURCE").unwrap_or_else(|_| format!("http://{addr}/mcp"));
    let auth = AuthConfig::builder(resource)
        .authorization_server(&issuer)
        .scopes_supported(["tools:read"])
        .resource_name("quickmcp auth example")
        .verifier(JwtVerifier::jwks(&issuer, format!("{issuer}/jwks")))
        .build()?;

    let mcp = Server::new("AuthExample").tool(whoami).tool(greet);
    // Serves the metadata at the root too, since `run_http_with` owns the whole host.
    mcp.run_http_with(&addr, HttpOptions::new().auth(auth))
        .await?;
    Ok(())
}
