//! Run with: cargo run --example mount_sse
//!
//! The legacy HTTP+SSE app mounted under `/mcp-server` of an existing axum app: the stream is
//! at `/mcp-server/sse`, and its `endpoint` event names `/mcp-server/messages?session_id=...`,
//! prefix included, so clients POST to the right place (a bug class of other frameworks,
//! which announce `/messages` wherever they are mounted). Serves the tools `hello` and `add`,
//! `/mcp-server/health` and the app's own `/status`, on 127.0.0.1:8000 unless
//! `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try it:
//!
//! ```text
//! curl -N http://127.0.0.1:8000/mcp-server/sse
//! # event: endpoint
//! # data: /mcp-server/messages?session_id=...
//! ```
//!
//! and POST JSON-RPC messages to that URL as in the `sse` example.

use axum::routing::get;
use axum::Router;
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

/// A health check, mounted with the MCP server at `/mcp-server/health`.
#[custom_route("/health", methods = ["GET"])]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "healthy"}))
}

/// The host app's own status route.
async fn status() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "mcp": "/mcp-server/sse"}))
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
    let sse_app = mcp.http_app_with(HttpOptions::new().transport(Transport::Sse));

    let app = Router::new()
        .route("/status", get(status))
        .nest("/mcp-server", sse_app);

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!(
        "MCP endpoint: http://{}/mcp-server/sse",
        listener.local_addr()?
    );
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
