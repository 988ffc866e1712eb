//! Run with: cargo run --example sse_polling
//!
//! SSE polling (MCP 2025-11-25): a long tool closes its response stream mid-call, and the
//! client reconnects with `GET` + `Last-Event-ID` to receive the rest of the call, here its
//! progress and its result. Served at http://127.0.0.1:8000/mcp; clients are told to wait
//! 500 ms (`retry`) before reconnecting.
//!
//! Try it with the conformance suite: `CONFORMANCE_SCENARIOS=server-sse-polling
//! scripts/conformance.sh http://localhost:8000/mcp`, or by hand: call `test_reconnection`
//! (with `"_meta": {"progressToken": 1}`), note the `id:` of the last event before the stream
//! ends, then
//!
//! ```text
//! curl -N http://127.0.0.1:8000/mcp -H "Mcp-Session-Id: $S" -H 'Accept: text/event-stream' \
//!   -H 'MCP-Protocol-Version: 2025-11-25' -H 'Last-Event-ID: <that id>'
//! ```

use std::time::Duration;

use quickmcp::prelude::*;

/// Reports progress, closes its SSE stream, then reports more and answers on the resumed stream.
#[tool]
async fn test_reconnection(ctx: Context) -> String {
    ctx.report_progress(1.0, Some(2.0), Some("closing the stream"))
        .await;
    ctx.close_sse_stream();
    tokio::time::sleep(Duration::from_millis(800)).await;
    ctx.report_progress(2.0, Some(2.0), Some("finishing")).await;
    "Reconnection test completed".into()
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    let mcp = Server::new("sse-polling").tool(test_reconnection);
    let options = HttpOptions::new().retry(Duration::from_millis(500));
    let addr = quickmcp::listen_addr();
    println!("MCP endpoint: http://{addr}/mcp");
    mcp.run_http_with(&addr, options).await
}
