//! The stdio transport end to end over a pipe: one JSON message per line, nothing else.

use std::sync::Arc;
use std::time::Duration;

use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, McpServer, ToolDefinition, ToolFuture,
    ToolHandler,
};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

struct Sleepy;

impl ToolHandler for Sleepy {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("sleepy", "Sleeps until cancelled, logging first.")
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            ctx.info("going to sleep").await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            "woke up"
        })
    }
}

struct Upper;

impl ToolHandler for Upper {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("upper", "Uppercases `text`.")
    }
    fn call(&self, mut args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let text: String = args
            .take("text")
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default();
        ToolFuture::ready(text.to_uppercase())
    }
}

async fn read<R: tokio::io::AsyncBufRead + Unpin>(lines: &mut tokio::io::Lines<R>) -> Value {
    serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap()
}

#[tokio::test]
async fn serves_lines_and_cancels() {
    let server = McpServer::new("stdio-test");
    server.add_tool(Arc::new(Sleepy)).unwrap();
    server.add_tool(Arc::new(Upper)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let serving = tokio::spawn(async move {
        quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
    });
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();

    let send = |v: Value| format!("{v}\n");
    client_write.write_all(send(json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})).as_bytes()).await.unwrap();
    assert_eq!(
        read(&mut lines).await["result"]["protocolVersion"],
        "2025-06-18"
    );
    client_write
        .write_all(send(json!({"jsonrpc":"2.0","method":"notifications/initialized"})).as_bytes())
        .await
        .unwrap();
    client_write.write_all(b"{not json\n\n").await.unwrap();
    assert_eq!(read(&mut lines).await["error"]["code"], -32700);
    client_write
        .write_all(
            send(json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleepy"}}))
                .as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(read(&mut lines).await["method"], "notifications/message");
    client_write.write_all(send(json!({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}})).as_bytes()).await.unwrap();
    client_write.write_all(send(json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"upper","arguments":{"text":"hi"}}})).as_bytes()).await.unwrap();
    let reply = read(&mut lines).await;
    assert_eq!(reply["id"], 3, "the cancelled call sent nothing: {reply}");
    assert_eq!(reply["result"]["content"][0]["text"], "HI");
    drop((client_write, lines));
    let served = tokio::time::timeout(Duration::from_secs(8), serving)
        .await
        .expect("EOF ends the server");
    assert!(served.unwrap().is_ok());
}

/// Asks the client's model, then answers with what it said.
struct AskModel;

impl ToolHandler for AskModel {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask_model", "Samples the client's model.")
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            ctx.sample_text("hi?", 10)
                .await
                .map(|text| format!("model said {text}"))
                .map_err(|e| e.to_string())
        })
    }
}

#[tokio::test]
async fn tools_ask_the_client_over_stdio() {
    let server = McpServer::new("stdio-test");
    server.add_tool(Arc::new(AskModel)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let serving = tokio::spawn({
        let server = server.clone();
        async move { quickmcp_core::serve_lines(&server.service(), server_read, server_write).await }
    });
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let send = |v: Value| format!("{v}\n");
    let init = json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"t","version":"1"}}});
    client_write.write_all(send(init).as_bytes()).await.unwrap();
    read(&mut lines).await;
    let call = json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ask_model"}});
    client_write.write_all(send(call).as_bytes()).await.unwrap();
    let request = read(&mut lines).await;
    assert_eq!(request["method"], "sampling/createMessage");
    let stray = json!({"jsonrpc":"2.0","id":"nope","result":{}});
    client_write
        .write_all(send(stray).as_bytes())
        .await
        .unwrap();
    let reply = json!({"jsonrpc":"2.0","id":request["id"],"result":{"role":"assistant","content":{"type":"text","text":"hello"},"model":"m"}});
    client_write
        .write_all(send(reply).as_bytes())
        .await
        .unwrap();
    let result = read(&mut lines).await;
    assert_eq!(result["id"], 2);
    assert_eq!(result["result"]["content"][0]["text"], "model said hello");

    // A request left unanswered when stdin closes fails at once instead of waiting it out.
    let call = json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ask_model"}});
    client_write.write_all(send(call).as_bytes()).await.unwrap();
    assert_eq!(read(&mut lines).await["method"], "sampling/createMessage");
    client_write.shutdown().await.unwrap();
    let result = read(&mut lines).await;
    assert_eq!(result["id"], 3);
    assert_eq!(result["result"]["isError"], true);
    assert!(server.pending_requests().is_empty());
    let served = tokio::time::timeout(Duration::from_secs(3), serving).await;
    assert!(served
        .expect("ends well within the grace period")
        .unwrap()
        .is_ok());
}

#[tokio::test]
async fn list_changes_reach_the_stdio_client() {
    let server = McpServer::new("stdio-lists");
    server.add_tool(Arc::new(Upper)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let serving = {
        let server = server.clone();
        tokio::spawn(async move {
            quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
        })
    };
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    client_write.write_all(format!("{}\n", json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})).as_bytes()).await.unwrap();
    assert_eq!(read(&mut lines).await["id"], 1);
    assert!(server.remove_tool("upper"));
    assert_eq!(
        read(&mut lines).await,
        json!({"jsonrpc": "2.0", "method": "notifications/tools/list_changed", "params": {}})
    );
    drop((client_write, lines));
    let served = tokio::time::timeout(Duration::from_secs(8), serving)
        .await
        .expect("EOF ends the server, though the session held the output");
    assert!(served.unwrap().is_ok());
}

#[tokio::test]
async fn serves_the_2026_wire_without_initialize_and_cancels_it() {
    let server = McpServer::new("stdio-modern");
    server.add_tool(Arc::new(Sleepy)).unwrap();
    server.add_tool(Arc::new(Upper)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    tokio::spawn(async move {
        quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
    });
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    });
    let send = |v: Value| format!("{v}\n");
    let line =
        send(json!({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta": meta}}));
    client_write.write_all(line.as_bytes()).await.unwrap();
    let discover = read(&mut lines).await;
    assert_eq!(discover["id"], 1);
    assert_eq!(
        discover["result"]["supportedVersions"],
        json!(["2026-07-28"])
    );
    assert_eq!(discover["result"]["resultType"], "complete");
    // No log level in `_meta`: the sleepy tool's log is not sent.
    let line = send(
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleepy","_meta": meta}}),
    );
    client_write.write_all(line.as_bytes()).await.unwrap();
    let line =
        send(json!({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}));
    client_write.write_all(line.as_bytes()).await.unwrap();
    let line = send(json!({"jsonrpc":"2.0","id":3,"method":"ping","params":{"_meta": meta}}));
    client_write.write_all(line.as_bytes()).await.unwrap();
    let ping = read(&mut lines).await;
    assert_eq!(
        (ping["id"].clone(), ping["error"]["code"].clone()),
        (json!(3), json!(-32601))
    );
    let line = send(
        json!({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"upper","arguments":{"text":"hi"},"_meta": meta}}),
    );
    client_write.write_all(line.as_bytes()).await.unwrap();
    let upper = read(&mut lines).await;
    assert_eq!(
        upper["id"], 4,
        "the cancelled call answered nothing: {upper}"
    );
    assert_eq!(upper["result"]["content"][0]["text"], "HI");
    // The same process still serves the 2025 handshake.
    let line = send(
        json!({"jsonrpc":"2.0","id":5,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}),
    );
    client_write.write_all(line.as_bytes()).await.unwrap();
    assert_eq!(
        read(&mut lines).await["result"]["protocolVersion"],
        "2025-11-25"
    );
}

/// A new user's first try: `initialize`, `initialized` and two calls piped in at once, on a
/// multi-thread runtime. Every call must find its tool, on the first requests after start-up
/// as on any other (a registry snapshot rebuilt on one worker while another reads it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pipelined_calls_on_a_fresh_server_find_their_tools() {
    for run in 0..15 {
        let server = McpServer::new("stdio-test");
        server.add_tool(Arc::new(Sleepy)).unwrap();
        server.add_tool(Arc::new(Upper)).unwrap();
        server.add_tool(Arc::new(AskModel)).unwrap();
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let serving = tokio::spawn(async move {
            quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
        });
        let (client_read, mut client_write) = tokio::io::split(client_end);
        let mut lines = BufReader::new(client_read).lines();
        let script = [
            json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}),
            json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
            json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"upper","arguments":{"text":"a"}}}),
            json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"upper","arguments":{"text":"b"}}}),
        ];
        let piped: String = script.iter().map(|m| format!("{m}\n")).collect();
        client_write.write_all(piped.as_bytes()).await.unwrap();
        let mut answers = Vec::new();
        for _ in 0..3 {
            answers.push(read(&mut lines).await);
        }
        for id in [2, 3] {
            let answer = answers.iter().find(|a| a["id"] == id).unwrap();
            assert!(
                answer["result"]["content"][0]["text"].is_string(),
                "run {run}: call {id} got {answer}"
            );
        }
        drop((client_write, lines));
        serving.await.unwrap().unwrap();
    }
}

/// Panics inside its call: a sync body runs there.
struct Panics;

impl ToolHandler for Panics {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("panics", "Panics.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        panic!("the body broke")
    }
}

/// A panicking tool's request is answered (an error result naming the tool), and the same
/// connection keeps serving.
#[tokio::test]
async fn a_panicking_tool_is_answered_and_the_connection_keeps_serving() {
    let server = McpServer::new("stdio-test");
    server.add_tool(Arc::new(Panics)).unwrap();
    server.add_tool(Arc::new(Upper)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let serving = tokio::spawn(async move {
        quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
    });
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let script = [
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}),
        json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"panics"}}),
        json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"upper","arguments":{"text":"ok"}}}),
    ];
    for message in &script {
        client_write
            .write_all(format!("{message}\n").as_bytes())
            .await
            .unwrap();
    }
    read(&mut lines).await;
    let panicked = tokio::time::timeout(Duration::from_secs(5), read(&mut lines))
        .await
        .expect("the panicking call is answered");
    assert_eq!(panicked["id"], 2);
    assert_eq!(panicked["result"]["isError"], true, "{panicked}");
    let text = panicked["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("panics") && text.contains("panicked"),
        "{text}"
    );
    let upper = read(&mut lines).await;
    assert_eq!(upper["result"]["content"][0]["text"], "OK");
    drop((client_write, lines));
    serving.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_line_over_max_line_is_refused_and_the_next_one_served() {
    let server = McpServer::new("stdio-long");
    server.add_tool(Arc::new(Upper)).unwrap();
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let service = server.service();
    tokio::spawn(
        async move { quickmcp_core::serve_lines(&service, server_read, server_write).await },
    );
    let (client_read, mut client_write) = tokio::io::split(client_end);
    let mut lines = BufReader::new(client_read).lines();
    let writer = tokio::spawn(async move {
        let mut long = r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""#.to_owned();
        long.push_str(&"x".repeat(quickmcp_core::MAX_LINE));
        long.push_str("\"}}\n");
        client_write.write_all(long.as_bytes()).await.unwrap();
        client_write
            .write_all(b"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n")
            .await
            .unwrap();
        client_write
    });
    let refused = read(&mut lines).await;
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than"),
        "{refused}"
    );
    assert_eq!(
        read(&mut lines).await,
        json!({"jsonrpc": "2.0", "id": 2, "result": {}})
    );
    drop(writer.await.unwrap());
}
