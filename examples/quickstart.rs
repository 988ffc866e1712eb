//! Run with: cargo run --example quickstart
//!
//! The quickstart: two tools, `hello` and `add`, and a `/health` route, served over Streamable
//! HTTP at http://127.0.0.1:8000/mcp by `Server::run_http` until Ctrl-C or SIGTERM (it logs
//! `serving MCP endpoint=…` on stderr once listening). `--host`/`--port`
//! (or `HOST`/`PORT`) change the address.
//!
//! Try it:
//!
//! ```text
//! curl http://127.0.0.1:8000/health
//!
//! # initialize: the answer's Mcp-Session-Id header names your session
//! curl -i http://127.0.0.1:8000/mcp \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
//!
//! # then, with that id:
//! export S=<the Mcp-Session-Id value>
//! curl http://127.0.0.1:8000/mcp -H "Mcp-Session-Id: $S" -H 'MCP-Protocol-Version: 2025-11-25' \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
//! curl http://127.0.0.1:8000/mcp -H "Mcp-Session-Id: $S" -H 'MCP-Protocol-Version: 2025-11-25' \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"hello","arguments":{"name":"World"}}}'
//! ```
//!
//! Or point a client at it: `npx @modelcontextprotocol/inspector` (transport "Streamable HTTP",
//! URL http://127.0.0.1:8000/mcp), or the conformance suite's scenarios that need no fixture
//! tools: `scripts/conformance.sh --foundation http://localhost:8000/mcp`.

use quickmcp::prelude::*;

/// Say hello to someone.
#[tool]
fn hello(name: String) -> String {
    format!("Hello, {name}!")
}

/// Add two integers.
#[tool]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// A health check for load balancers, served beside the MCP endpoint.
#[custom_route("/health", methods = ["GET"])]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "healthy"}))
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let mcp = Server::new("MyServer").tool(hello).tool(add).route(health);
    // Logs `serving MCP endpoint=http://…/mcp` once the port is bound.
    mcp.run_http(&quickmcp::listen_addr()).await
}
