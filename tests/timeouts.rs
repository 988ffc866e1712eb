//! Handler timeouts, enforced by the engine: `#[tool(timeout = "..")]`, `#[resource(..)]`,
//! `#[prompt(..)]` and the server's `call_timeout`, over Streamable HTTP and stdio. A tool that
//! runs out of time answers an error result naming it and its timeout, a resource or a prompt
//! the JSON-RPC error -32001; the handler is dropped with what it asked the client, and the
//! server holds nothing of it afterwards.

mod support;

use std::time::Duration;

use quickmcp::prelude::*;
use serde_json::{json, Value};
use support::Mcp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Never finishes in a test's time.
const FOREVER: Duration = Duration::from_secs(3600);

/// Sleeps past its own timeout.
#[tool(timeout = "100ms")]
async fn slow() -> String {
    tokio::time::sleep(FOREVER).await;
    "woke up".into()
}

/// Has no timeout of its own: the server's default applies.
#[tool]
async fn lingers() -> String {
    tokio::time::sleep(FOREVER).await;
    "woke up".into()
}

/// Takes longer than the server's default, within its own timeout.
#[tool(timeout = "10s")]
async fn patient() -> String {
    tokio::time::sleep(Duration::from_millis(400)).await;
    "patient done".into()
}

/// Asks the client's model, which never answers in time.
#[tool(timeout = "100ms")]
async fn ask(ctx: Context) -> Result<String, String> {
    ctx.sample_text("2+2?", 10).await.map_err(|e| e.to_string())
}

/// A document that takes forever.
#[resource("slow://doc", timeout = "100ms")]
async fn slow_doc() -> String {
    tokio::time::sleep(FOREVER).await;
    "never".into()
}

/// A note that takes forever.
#[resource("slow://notes/{id}", timeout = "100ms")]
async fn slow_note(id: u32) -> String {
    tokio::time::sleep(FOREVER).await;
    format!("note {id}")
}

/// A prompt that takes forever.
#[prompt(timeout = "100ms")]
async fn slow_prompt() -> String {
    tokio::time::sleep(FOREVER).await;
    "never".into()
}

/// The server's default is 300 ms: longer than the handlers' own 100 ms, shorter than
/// `patient`'s run.
fn server() -> Server {
    Server::new("timeouts")
        .tool(slow)
        .tool(lingers)
        .tool(patient)
        .tool(ask)
        .resource(slow_doc)
        .resource(slow_note)
        .prompt(slow_prompt)
        .call_timeout(Duration::from_millis(300))
}

fn assert_tool_timed_out(answer: &Value, tool: &str, within: &str) {
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    assert_eq!(
        answer["result"]["content"][0]["text"],
        format!("the tool `{tool}` did not finish within {within}"),
        "{answer}"
    );
}

fn assert_timed_out(answer: &Value, message: &str) {
    assert_eq!(answer["error"]["code"], -32001, "{answer}");
    assert_eq!(answer["error"]["message"], message, "{answer}");
}

fn assert_released(server: &Server) {
    let stats = server.core().stats();
    assert_eq!(stats.running_calls, 0, "{stats:?}");
    assert_eq!(stats.pending_client_requests, 0, "{stats:?}");
}

async fn http_endpoint(server: &Server) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = server.http_app();
    tokio::spawn(quickmcp::http::serve(listener, app, std::future::pending()));
    format!("http://{addr}/mcp")
}

fn call(tool: &str) -> Value {
    json!({"name": tool, "arguments": {}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_over_streamable_http() {
    let server = server();
    let client = Mcp::connect(http_endpoint(&server).await).await;
    let answer = client.request("tools/call", call("slow")).await;
    assert_tool_timed_out(&answer, "slow", "100ms");
    let answer = client.request("tools/call", call("lingers")).await;
    assert_tool_timed_out(&answer, "lingers", "300ms");
    let answer = client.request("tools/call", call("patient")).await;
    assert_eq!(
        answer["result"]["content"][0]["text"], "patient done",
        "{answer}"
    );
    let answer = client
        .request("resources/read", json!({"uri": "slow://doc"}))
        .await;
    assert_timed_out(
        &answer,
        "the resource `slow://doc` did not finish within 100ms",
    );
    let answer = client
        .request("resources/read", json!({"uri": "slow://notes/7"}))
        .await;
    assert_timed_out(
        &answer,
        "the resource `slow://notes/7` did not finish within 100ms",
    );
    let answer = client
        .request("prompts/get", json!({"name": "slow_prompt"}))
        .await;
    assert_timed_out(
        &answer,
        "the prompt `slow_prompt` did not finish within 100ms",
    );
    assert_released(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_tool_forgets_what_it_asked_the_client() {
    let server = server();
    let url = http_endpoint(&server).await;
    let mut client = Mcp::new(url);
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": support::PROTOCOL, "capabilities": {"sampling": {}},
        "clientInfo": {"name": "t", "version": "1"}}});
    let reply = client.send_json(&init).await;
    client.session = reply.header("mcp-session-id").map(str::to_owned);
    let reply = client
        .send_json(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call("ask")}),
        )
        .await;
    let messages = reply.messages();
    assert_eq!(messages[0]["method"], "sampling/createMessage", "{reply}");
    assert_tool_timed_out(&messages[1], "ask", "100ms");
    assert_released(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_over_stdio() {
    let server = server();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let service = server.core().service();
    tokio::spawn(
        async move { quickmcp::core::serve_lines(&service, server_read, server_write).await },
    );
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let script = [
        json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"t","version":"1"}}}),
        json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
        json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":call("slow")}),
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":call("lingers")}),
        json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":call("patient")}),
        json!({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"slow://doc"}}),
        json!({"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"slow_prompt"}}),
        json!({"jsonrpc":"2.0","id":6,"method":"tools/call","params":call("ask")}),
    ];
    let piped: String = script.iter().map(|m| format!("{m}\n")).collect();
    client_write.write_all(piped.as_bytes()).await.unwrap();
    // The calls run side by side: the answers come as they finish, in any order.
    let mut answers = std::collections::HashMap::new();
    while answers.len() < 7 {
        let line = tokio::time::timeout(support::STEP, lines.next_line())
            .await
            .expect("a line in time")
            .unwrap()
            .expect("the server is still there");
        let message: Value = serde_json::from_str(&line).unwrap();
        if let Some(id) = message["id"]
            .as_i64()
            .filter(|_| message.get("method").is_none())
        {
            answers.insert(id, message);
        }
    }
    assert_tool_timed_out(&answers[&1], "slow", "100ms");
    assert_tool_timed_out(&answers[&2], "lingers", "300ms");
    assert_eq!(answers[&3]["result"]["content"][0]["text"], "patient done");
    assert_timed_out(
        &answers[&4],
        "the resource `slow://doc` did not finish within 100ms",
    );
    assert_timed_out(
        &answers[&5],
        "the prompt `slow_prompt` did not finish within 100ms",
    );
    assert_tool_timed_out(&answers[&6], "ask", "100ms");
    assert_released(&server);
}
