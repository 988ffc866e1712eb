//! Run with: cargo build --release --example bench_server && PORT=19300 target/release/examples/bench_server
//!
//! The server `../shared/bench/run.sh` loads (see `bench/README.md` and `bench/peers.txt`): the
//! kit's tools `add(a, b)` (the sum as `structuredContent.result` and as text) and
//! `echo(text)`, plus `report()`, a 10 KiB structured result (workload 5), at
//! http://127.0.0.1:$PORT/mcp (`--port`/`PORT`, `--host`/`HOST` as in the quickstart).
//!
//! - no flag: the default app, stateful with SSE responses; it also serves the sessionless
//!   2026-07-28 wire (the kit's `modern` mode).
//! - `--json`: one `application/json` body per response.
//! - `--stateless`: no sessions (no `Mcp-Session-Id`; GET and DELETE answer 405).
//! - `--identity-layer`: `Server::layer(tower::layer::util::Identity::new())`, which must cost
//!   nothing measurable over no layer call (`docs/performance.md`).
//! - `--timeout-layer`: one `tower::timeout::TimeoutLayer` (30 s) around every request.
//!
//! Logs go to stderr at `warn` (plus the `serving MCP endpoint=…` line) unless `RUST_LOG` says
//! otherwise, so logging costs nothing under load. Try it:
//!
//! ```text
//! curl http://127.0.0.1:19300/mcp -H 'Content-Type: application/json' \
//!   -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-11-25' \
//!   -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}}}'
//! ```
//! (that one needs `--stateless`; without it, `initialize` first as in the quickstart).

use quickmcp::prelude::*;

/// Add two integers.
#[tool]
fn add(a: i64, b: i64) -> Structured<i64> {
    Structured(a + b)
}

/// Echo the text back.
#[tool]
fn echo(text: String) -> String {
    text
}

/// One row of [`report`].
#[derive(Serialize, JsonSchema)]
struct Row {
    id: u32,
    name: String,
    score: f64,
    active: bool,
    tags: Vec<String>,
}

/// A report of 79 rows.
#[derive(Serialize, JsonSchema)]
struct Report {
    title: String,
    rows: Vec<Row>,
}

/// A structured result of about 10 KiB: 79 rows of a made-up report (10,240 bytes or so of `structuredContent`).
#[tool]
fn report() -> Structured<Report> {
    let rows = (0..79)
        .map(|id| Row {
            id,
            name: format!("row {id:04} of the benchmark report, padded to size"),
            score: f64::from(id) * 1.25,
            active: id % 2 == 0,
            tags: vec!["alpha".into(), "beta".into(), format!("group-{}", id % 8)],
        })
        .collect();
    Structured(Report {
        title: "bench report".into(),
        rows,
    })
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,quickmcp::server=info".into()),
        )
        .init();

    let flag = |name: &str| std::env::args().skip(1).any(|arg| arg == name);
    let options = HttpOptions::new()
        .json_response(flag("--json"))
        .stateless(flag("--stateless"));
    let mut mcp = Server::new("quickmcp-bench")
        .tool(add)
        .tool(echo)
        .tool(report);
    if flag("--identity-layer") {
        mcp = mcp.layer(tower::layer::util::Identity::new());
    }
    if flag("--timeout-layer") {
        let timeout = std::time::Duration::from_secs(30);
        mcp = mcp.layer(tower::timeout::TimeoutLayer::new(timeout));
    }
    mcp.run_http_with(&quickmcp::listen_addr(), options).await
}
