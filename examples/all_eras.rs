//! Run with: cargo run --example all_eras
//!
//! One app for clients of every protocol era (`HttpOptions::legacy_sse(true)`): Streamable
//! HTTP at `/mcp` serves 2025 sessions (`initialize`, `Mcp-Session-Id`) and the stateless
//! 2026-07-28 wire (`server/discover`, `_meta` on every request), and the legacy HTTP+SSE
//! transport of 2024-11-05 answers at `/sse` + `/messages`, all on the same server. Serves
//! on 127.0.0.1:8000 unless `--host`/`--port` (or `HOST`/`PORT`) say otherwise.
//!
//! The tools: `hello` and `add`; `wire`, which says whether the call came in a session (and
//! which revision it negotiated) or on the stateless 2026 wire; and `greet`, which asks the
//! user for their name (`ctx.elicit`) and then the client's model for a greeting
//! (`ctx.sample_text`). `greet` is written once: on the 2025 wires its questions travel to the
//! client as requests on the open stream, on the 2026 wire as `input_required` results the
//! client answers by retrying the call (MRTR). The prompt `introduce` asks the same way.
//!
//! Try it with the official Python SDK (`pip install 'mcp>=2'`):
//!
//! ```text
//! python -c 'import asyncio, mcp
//! async def main():
//!     async with mcp.Client("http://127.0.0.1:8000/mcp") as c:   # mode="auto": the 2026 wire
//!         print(c.protocol_version, (await c.call_tool("wire", {})).content[0].text)
//! asyncio.run(main())'
//! ```
//!
//! or with `mode="legacy"` (a 2025 session), or a legacy SSE client at
//! `http://127.0.0.1:8000/sse`.

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

/// Which wire this call came on: a session of some revision, or the stateless 2026 wire.
#[tool]
fn wire(ctx: Context) -> String {
    match ctx.session() {
        Some(session) => format!("session {}", session.protocol_version()),
        None => "stateless 2026-07-28".into(),
    }
}

/// Who to greet.
#[derive(Deserialize, JsonSchema)]
struct Person {
    /// Your name.
    name: String,
}

/// Greet the user: asks their name, then the client's model for a greeting.
#[tool]
async fn greet(ctx: Context) -> Result<String, ExchangeError> {
    let name = match ctx.elicit::<Person>("What is your name?").await? {
        Elicitation::Accept(person) => person.name,
        Elicitation::Decline | Elicitation::Cancel => return Ok("No greeting, then.".into()),
    };
    let greeting = ctx
        .sample_text(format!("Write a one-line greeting for {name}."), 50)
        .await?;
    Ok(format!("{greeting} (for {name})"))
}

/// An introduction for the reader, whose name it asks first.
#[prompt]
async fn introduce(ctx: Context) -> Result<Vec<PromptMessage>, McpError> {
    let name = match ctx.elicit::<Person>("Who is reading?").await? {
        Elicitation::Accept(person) => person.name,
        Elicitation::Decline | Elicitation::Cancel => "stranger".into(),
    };
    Ok(vec![PromptMessage::user(format!(
        "Introduce yourself to {name}."
    ))])
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    Server::new("MyServer")
        .tool(hello)
        .tool(add)
        .tool(wire)
        .tool(greet)
        .prompt(introduce)
        .run_http_with(
            &quickmcp::listen_addr(),
            HttpOptions::new().legacy_sse(true),
        )
        .await
}
