//! Run with: cargo run --example cors
//!
//! Any tower layer wraps the MCP endpoint and the custom routes; here tower-http's CORS layer,
//! so a web page on another origin can talk to the server with `fetch`. Besides allowing the
//! origin, methods and request headers, it must *expose* `Mcp-Session-Id`: without
//! `Access-Control-Expose-Headers`, a browser hides that header from the page, which then cannot
//! continue past `initialize`. Serves the tools `hello` and `add` and `GET /health` at
//! http://127.0.0.1:8000/mcp unless `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! Try the preflight a browser sends before its first POST:
//!
//! ```text
//! curl -i -X OPTIONS http://127.0.0.1:8000/mcp -H 'Origin: http://localhost:3000' \
//!   -H 'Access-Control-Request-Method: POST' \
//!   -H 'Access-Control-Request-Headers: content-type, mcp-session-id, mcp-protocol-version'
//! ```
//!
//! then a page: `tests/clients/cors.html` (served from another origin, as `tests/browser.rs`
//! does) initializes a session, reads `Mcp-Session-Id` and calls `hello`. DNS-rebinding
//! protection still applies: page origins must be localhost, 127.0.0.1 or [::1] unless you add
//! yours with `HttpOptions::allowed_origins`.

use axum::http::{header, HeaderName, Method};
use quickmcp::prelude::*;
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};

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

/// A health check, served beside the MCP endpoint (and under the same CORS policy).
#[custom_route("/health", methods = ["GET"])]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "healthy"}))
}

/// The CORS policy a browser client of MCP needs.
fn cors() -> CorsLayer {
    let session_id = HeaderName::from_static("mcp-session-id");
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("last-event-id"),
            HeaderName::from_static("mcp-protocol-version"),
            session_id.clone(),
        ])
        // The page reads the session id from the initialize response: expose it.
        .expose_headers([session_id])
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
    let app = mcp.http_app_with(HttpOptions::new().layer(cors()));

    let listener = TcpListener::bind(quickmcp::listen_addr()).await?;
    println!("MCP endpoint: http://{}/mcp", listener.local_addr()?);
    quickmcp::http::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
