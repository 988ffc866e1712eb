//! Run with: cargo run --example sse
//!
//! The legacy HTTP+SSE transport (MCP 2024-11-05), for clients that predate Streamable HTTP:
//! `GET /sse` opens an event stream whose first event, `endpoint`, names the URL to POST
//! messages to (`/messages?session_id=...`); every answer comes back over the stream.
//! Serves the tools `hello` and `add` and `GET /health`, on 127.0.0.1:8000 unless
//! `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try it, in two terminals:
//!
//! ```text
//! curl -N http://127.0.0.1:8000/sse
//! # event: endpoint
//! # data: /messages?session_id=...
//!
//! curl 'http://127.0.0.1:8000/messages?session_id=...' -H 'Content-Type: application/json' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
//! # 202 Accepted here; the result arrives on the first terminal's stream. Then:
//! curl 'http://127.0.0.1:8000/messages?session_id=...' -H 'Content-Type: application/json' \
//!   -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
//! curl 'http://127.0.0.1:8000/messages?session_id=...' -H 'Content-Type: application/json' \
//!   -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"hello","arguments":{"name":"SSE"}}}'
//! ```

use quickmcp::prelude::*;
use tokio::net::TcpListener;

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

/// A health check, served beside the SSE endpoints.
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
    // GET /sse and POST /messages, plus /health.
    let app = mcp.http_app_with(HttpOptions::new().transport(Transport::Sse));

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!("MCP endpoint: http://{}/sse", listener.local_addr()?);
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
