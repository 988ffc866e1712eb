//! Run with: cargo run --example mount
//!
//! An existing axum app with routes of its own, `/` and `/status`, that mounts the MCP server
//! under `/mcp-server` with `Router::nest`: the MCP endpoint is then `/mcp-server/mcp` and the
//! server's custom route `/mcp-server/health`. Nothing else needs wiring: there is no lifespan
//! or session manager to start, the server owns its sessions. Listens on 127.0.0.1:8000 unless
//! `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try it:
//!
//! ```text
//! curl http://127.0.0.1:8000/
//! curl http://127.0.0.1:8000/status
//! curl http://127.0.0.1:8000/mcp-server/health
//! curl -i http://127.0.0.1:8000/mcp-server/mcp \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
//! ```

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
    Json(serde_json::json!({"status": "ok", "mcp": "/mcp-server/mcp"}))
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

    let app = Router::new()
        .route(
            "/",
            get(|| async { "An existing app, with an MCP server at /mcp-server/mcp" }),
        )
        .route("/status", get(status))
        .nest("/mcp-server", mcp.http_app());

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!(
        "MCP endpoint: http://{}/mcp-server/mcp",
        listener.local_addr()?
    );
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
