//! Run with: cargo run --example stdio
//!
//! The same tools, `hello` and `add`, served over stdin/stdout with `Server::run`: the way
//! desktop clients launch local servers. Stdout carries nothing but MCP messages, one JSON-RPC
//! message per line; logs go to stderr. (A custom route needs HTTP, so there is no `/health`.)
//!
//! Try it, by typing into it:
//!
//! ```text
//! cargo build --example stdio
//! target/debug/examples/stdio
//! {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"me","version":"1"}}}
//! {"jsonrpc":"2.0","method":"notifications/initialized"}
//! {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}
//! ```
//!
//! Or with a client: `npx @modelcontextprotocol/inspector target/debug/examples/stdio`, or in
//! Claude Desktop's `claude_desktop_config.json`:
//! `{"mcpServers": {"quickmcp": {"command": "/path/to/target/debug/examples/stdio"}}}`.

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

// One client, one pipe: a single-threaded runtime answers without waking other threads, which
// is the fastest way to serve stdio (see `Server::run`).
#[tokio::main(flavor = "current_thread")]
async fn main() -> quickmcp::Result<()> {
    // Never log to stdout: it is the protocol channel.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    Server::new("MyServer").tool(hello).tool(add).run().await
}
