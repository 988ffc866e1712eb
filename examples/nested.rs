//! Run with: cargo run --example nested
//!
//! Mounts nest: the MCP app inside `/inner` of one router, itself inside `/outer` of the app,
//! which has a `/status` route of its own. The endpoint is `/outer/inner/mcp` and the custom
//! route `/outer/inner/health`; as with one mount, nothing needs starting. Listens on
//! 127.0.0.1:8000 unless `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try it:
//!
//! ```text
//! curl http://127.0.0.1:8000/status
//! curl http://127.0.0.1:8000/outer/inner/health
//! curl -i http://127.0.0.1:8000/outer/inner/mcp \
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

/// A health check, mounted with the MCP server at `/outer/inner/health`.
#[custom_route("/health", methods = ["GET"])]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "healthy"}))
}

/// The outer app's own status route.
async fn status() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "mcp": "/outer/inner/mcp"}))
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

    let inner = Router::new().nest("/inner", mcp.http_app());
    let app = Router::new()
        .route("/status", get(status))
        .nest("/outer", inner);

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!(
        "MCP endpoint: http://{}/outer/inner/mcp",
        listener.local_addr()?
    );
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
