//! Workload 6: stdio round trips. Pipes `tools/call add` lines through
//! `McpServer::serve_lines` over an in-memory pipe (no process, no syscalls: the transport's
//! own cost) and prints round trips per second, closed loop (one request in flight, as a
//! client waiting for each answer) and pipelined (every line written before the answers are
//! read).
//!
//! Run with `cargo bench -p quickmcp-core --bench stdio` (`STDIO_N` sets the number of calls,
//! default 100000). Under `cargo test` it makes 100 calls, to check that it still works.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, WriteHalf};

#[path = "support/add.rs"]
mod add;

type Reader = Lines<BufReader<tokio::io::ReadHalf<DuplexStream>>>;

fn call(id: usize) -> String {
    format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":\"add\",\"arguments\":{{\"a\":{id},\"b\":1}}}}}}\n"
    )
}

async fn answer(lines: &mut Reader, id: usize) {
    let line = lines.next_line().await.expect("read").expect("a line");
    let want = format!("\"structuredContent\":{{\"result\":{}}}", id + 1);
    assert!(line.contains(&want), "{line}");
}

/// Starts a server on a pipe and initializes it; returns the client's ends.
async fn connect() -> (WriteHalf<DuplexStream>, Reader) {
    let server = add::server();
    let (client, server_end) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let (read, write) = tokio::io::split(server_end);
        quickmcp_core::serve_lines(&server.service(), read, write).await
    });
    let (read, mut write) = tokio::io::split(client);
    let mut lines = BufReader::new(read).lines();
    let init = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#;
    write
        .write_all(format!("{init}\n").as_bytes())
        .await
        .unwrap();
    lines
        .next_line()
        .await
        .unwrap()
        .expect("initialize answered");
    let initialized = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
    write
        .write_all(format!("{initialized}\n").as_bytes())
        .await
        .unwrap();
    (write, lines)
}

async fn closed_loop(n: usize) -> Duration {
    let (mut write, mut lines) = connect().await;
    let start = Instant::now();
    for id in 1..=n {
        write.write_all(call(id).as_bytes()).await.unwrap();
        answer(&mut lines, id).await;
    }
    start.elapsed()
}

async fn pipelined(n: usize) -> Duration {
    let (mut write, mut lines) = connect().await;
    let start = Instant::now();
    let writing = tokio::spawn(async move {
        for id in 1..=n {
            write.write_all(call(id).as_bytes()).await.unwrap();
        }
        write
    });
    let mut seen = 0;
    while seen < n {
        lines.next_line().await.unwrap().expect("an answer");
        seen += 1;
    }
    let elapsed = start.elapsed();
    drop(writing.await.unwrap());
    elapsed
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let bench = std::env::args().any(|arg| arg == "--bench");
    let n = match std::env::var("STDIO_N") {
        Ok(n) => n.parse().expect("STDIO_N is a number"),
        Err(_) if bench => 100_000,
        Err(_) => 100,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let report = |name: &str, elapsed: Duration| {
        let per_s = n as f64 / elapsed.as_secs_f64();
        let us = elapsed.as_secs_f64() * 1e6 / n as f64;
        println!(
            "stdio {name}: {n} calls in {elapsed:.2?}: {per_s:.0} round trips/s, {us:.2} µs each"
        );
    };
    report("closed loop", runtime.block_on(closed_loop(n)));
    report("pipelined", runtime.block_on(pipelined(n)));
}
