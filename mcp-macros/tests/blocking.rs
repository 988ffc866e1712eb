//! `#[tool(blocking)]` end to end: a sync body that blocks runs on tokio's blocking pool, so the
//! connection it came from keeps being read and answered, on a one-thread runtime as on a
//! multi-thread one with a single worker (where a body blocking inline would hold that worker,
//! and with it every other request of the connection).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use quickmcp::core::jsonrpc::RequestId;
use quickmcp::core::Arguments;
use quickmcp::prelude::*;
use quickmcp::{CallContext, McpServer, ToolBox, ToolHandler};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const NAP: Duration = Duration::from_millis(600);

/// Sleeps, blocking its thread, and tells which thread it was.
#[tool(blocking)]
fn nap() -> String {
    std::thread::sleep(NAP);
    format!("{:?}", std::thread::current().id())
}

/// Answers at once, inline.
#[tool]
fn quick() -> &'static str {
    "quick"
}

/// Panics on the blocking pool.
#[tool(blocking)]
fn explode() -> String {
    panic!("the disk is on fire")
}

fn server() -> McpServer {
    let server = Server::new("blocking").tool(nap).tool(quick).tool(explode);
    server.core().clone()
}

/// Initializes a stdio connection to `server`, pipes `script` in at once, and returns the
/// first `count` answers in the order they came, each with when it came.
async fn exchange(server: McpServer, script: &[Value], count: usize) -> Vec<(Value, Duration)> {
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    tokio::spawn(async move {
        quickmcp::core::serve_lines(&server.service(), server_read, server_write).await
    });
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let mut read = async || -> Value {
        serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap()
    };
    let init = json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}});
    client_write
        .write_all(format!("{init}\n").as_bytes())
        .await
        .unwrap();
    assert_eq!(read().await["id"], 1);
    let initialized = json!({"jsonrpc":"2.0","method":"notifications/initialized"});
    let piped: String = std::iter::once(&initialized)
        .chain(script)
        .map(|m| format!("{m}\n"))
        .collect();
    let sent = Instant::now();
    client_write.write_all(piped.as_bytes()).await.unwrap();
    let mut answers = Vec::new();
    for _ in 0..count {
        let answer = read().await;
        answers.push((answer, sent.elapsed()));
    }
    answers
}

/// Sends `nap`, then `ping` and `quick` on one stdio connection.
async fn nap_then_ping(server: McpServer) -> Vec<(Value, Duration)> {
    let script = [
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"nap","arguments":{}}}),
        json!({"jsonrpc":"2.0","id":3,"method":"ping"}),
        json!({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"quick","arguments":{}}}),
    ];
    exchange(server, &script, 3).await
}

/// `ping` and `quick` are answered while `nap` sleeps, and `nap` slept on another thread.
fn assert_not_held(answers: &[(Value, Duration)], runtime_thread: Option<ThreadId>) {
    let ids: Vec<&Value> = answers.iter().map(|(a, _)| &a["id"]).collect();
    assert_eq!(ids[2], 2, "nap is answered last: {answers:?}");
    assert!(ids[..2].contains(&&json!(3)) && ids[..2].contains(&&json!(4)));
    let (napped_answer, napped) = &answers[2];
    assert!(*napped >= NAP, "{answers:?}");
    for (answer, at) in &answers[..2] {
        assert!(*at < NAP, "answered while nap slept: {answers:?}");
        assert!(answer.get("error").is_none(), "{answer}");
    }
    assert_eq!(
        answers[..2].iter().find(|(a, _)| a["id"] == 4).unwrap().0["result"]["content"][0]["text"],
        "quick"
    );
    if let Some(runtime_thread) = runtime_thread {
        let thread = napped_answer["result"]["content"][0]["text"]
            .as_str()
            .unwrap();
        assert_ne!(thread, format!("{runtime_thread:?}"), "{napped_answer}");
    }
}

#[tokio::test]
async fn a_blocking_tool_does_not_hold_a_current_thread_runtime() {
    let answers = nap_then_ping(server()).await;
    assert_not_held(&answers, Some(std::thread::current().id()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_blocking_tool_does_not_hold_the_only_worker() {
    let answers = nap_then_ping(server()).await;
    assert_not_held(&answers, None);
}

/// Calls `tool` with `args`, as `tools/call` would.
async fn call(tool: &dyn ToolHandler, args: &str) -> Value {
    let (id, request) = (RequestId::Number(1), quickmcp::RequestCx::detached());
    let cx = CallContext::detached(&id, &request);
    let raw = RawValue::from_string(args.into()).unwrap();
    let args = Arguments::parse(Some(&raw)).unwrap();
    serde_json::to_value(tool.call(args, &cx).resolve().await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_panic_in_a_blocking_tool_is_a_tool_error() {
    let result = call(&explode, "{}").await;
    assert_eq!(
        result,
        json!({"content": [{"type": "text", "text": "the tool `explode` panicked (see the server's log)"}], "isError": true})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_panic_in_a_blocking_tool_fails_only_its_call_over_stdio() {
    let script = [
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"explode","arguments":{}}}),
        json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"quick","arguments":{}}}),
    ];
    let answers = exchange(server(), &script, 2).await;
    let answer = |id: u64| &answers.iter().find(|(a, _)| a["id"] == id).unwrap().0;
    assert_eq!(answer(2)["result"]["isError"], true, "{answers:?}");
    assert_eq!(
        answer(2)["result"]["content"][0]["text"],
        "the tool `explode` panicked (see the server's log)"
    );
    assert_eq!(answer(3)["result"]["content"][0]["text"], "quick");
}

#[tokio::test]
async fn bad_arguments_are_reported_before_the_body_runs() {
    let result = call(&nap, r#"{"zz":1}"#).await;
    assert_eq!(result["isError"], true);
    assert!(
        result["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("`zz`"),
        "{result}"
    );
}

struct Counter {
    hits: AtomicU64,
    /// The thread the last body ran on.
    thread: Mutex<Option<ThreadId>>,
}

#[tools]
impl Counter {
    /// Counts on the blocking pool.
    #[tool(blocking)]
    fn hit(&self, by: u64) -> u64 {
        *self.thread.lock().unwrap() = Some(std::thread::current().id());
        self.hits.fetch_add(by, Ordering::Relaxed) + by
    }
}

#[tokio::test]
async fn a_blocking_method_shares_the_instance() {
    let counter = Arc::new(Counter {
        hits: AtomicU64::new(0),
        thread: Default::default(),
    });
    let tools = Arc::clone(&counter).tools();
    assert_eq!(
        call(&*tools[0], r#"{"by":2}"#).await["content"][0]["text"],
        "2"
    );
    assert_eq!(
        call(&*tools[0], r#"{"by":3}"#).await["content"][0]["text"],
        "5"
    );
    assert_eq!(counter.hits.load(Ordering::Relaxed), 5);
    let body_thread = counter.thread.lock().unwrap().unwrap();
    assert_ne!(body_thread, std::thread::current().id());
    drop(tools);
    assert_eq!(
        Arc::strong_count(&counter),
        1,
        "the calls let go of the instance"
    );
}
