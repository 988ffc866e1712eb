//! Run with: cargo run --example custom_path
//!
//! The MCP endpoint at a path of your choosing, `/custom-mcp-path`, instead of `/mcp` (which
//! is then not served: it answers 404). Serves the tools `hello` and `add` and `GET /health`,
//! on 127.0.0.1:8000 unless `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try it:
//!
//! ```text
//! curl -i http://127.0.0.1:8000/custom-mcp-path \
//!   -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
//! curl -i http://127.0.0.1:8000/mcp -X POST        # 404: the default path is gone
//! curl http://127.0.0.1:8000/health
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

/// A health check, served beside the MCP endpoint.
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
    let app = mcp.http_app_with(HttpOptions::new().path("/custom-mcp-path"));

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!(
        "MCP endpoint: http://{}/custom-mcp-path",
        listener.local_addr()?
    );
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
