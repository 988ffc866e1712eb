//! `examples/bench_server.rs`'s `add` and `echo` on mimalloc instead of the system allocator,
//! for the memory workload: glibc's malloc keeps the memory of deleted sessions for reuse
//! (RSS stays at its peak), mimalloc hands it back once the worker threads run again.
//!
//! Usage: `PORT=19310 bench-server-mimalloc [--json] [--stateless]`.

use quickmcp::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    let flag = |name: &str| std::env::args().skip(1).any(|arg| arg == name);
    let options = HttpOptions::new()
        .json_response(flag("--json"))
        .stateless(flag("--stateless"));
    let mcp = Server::new("quickmcp-bench-mimalloc").tool(add).tool(echo);
    mcp.run_http_with(&quickmcp::listen_addr(), options).await
}
