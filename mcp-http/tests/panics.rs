//! A panic in user code fails that one request, never the connection or the process: tools
//! (panicking when called and when polled), resources and prompts, on the 2025 session wire,
//! the 2026-07-28 wire and legacy SSE.

mod common;

use std::sync::Arc;

use common::{read_events, spawn, Client};
use quickmcp_core::protocol::prompts::PromptDefinition;
use quickmcp_core::{
    Arguments, CallContext, GetPromptResult, McpServer, PromptArguments, PromptHandler,
    ReadResourceResult, Reply, ResourceDefinition, ResourceHandler, ToolDefinition, ToolFuture,
    ToolHandler,
};
use quickmcp_http::{router, HttpOptions, Transport};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

/// Panics as soon as it is called (a sync tool runs inside the call).
struct PanicsWhenCalled;

impl ToolHandler for PanicsWhenCalled {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("panics_when_called", "Panics.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        panic!("the sync body broke")
    }
}

/// Panics on its first poll, after an await point.
struct PanicsWhenPolled;

impl ToolHandler for PanicsWhenPolled {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("panics_when_polled", "Panics later.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::pending(async {
            tokio::task::yield_now().await;
            if true {
                panic!("the async body broke");
            }
            "unreachable"
        })
    }
}

struct PanickyResource;

impl ResourceHandler for PanickyResource {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://panics", "panics")
    }
    fn read(&self, _: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        panic!("the resource broke")
    }
}

struct PanickyPrompt;

impl PromptHandler for PanickyPrompt {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("panics", "Panics.")
    }
    fn get(&self, _: PromptArguments, _: &CallContext<'_>) -> Reply<GetPromptResult> {
        Reply::pending(async {
            tokio::task::yield_now().await;
            panic!("the prompt broke")
        })
    }
}

fn server() -> McpServer {
    let server = common::server();
    server.add_tool(Arc::new(PanicsWhenCalled)).unwrap();
    server.add_tool(Arc::new(PanicsWhenPolled)).unwrap();
    server.add_resource(Arc::new(PanickyResource)).unwrap();
    server.add_prompt(Arc::new(PanickyPrompt)).unwrap();
    server
}

/// A tool's panic is its error result, naming the tool.
fn assert_tool_panicked(answer: &Value, tool: &str) {
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let text = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains(tool) && text.contains("panicked"), "{answer}");
}

/// A resource's or prompt's panic is -32603.
fn assert_internal_error(answer: &Value) {
    assert_eq!(answer["error"]["code"], -32603, "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("panicked"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panics_fail_only_their_request_on_the_2025_wire() {
    for json_response in [false, true] {
        let addr = spawn(router(
            server(),
            Vec::new(),
            HttpOptions::new().json_response(json_response),
        ))
        .await;
        let mut client = Client::new(format!("http://{addr}/mcp"));
        client.initialize().await;
        for (id, tool) in [(1, "panics_when_called"), (2, "panics_when_polled")] {
            let answer = client
                .request(id, "tools/call", json!({"name": tool, "arguments": {}}))
                .await;
            assert_tool_panicked(&answer, tool);
        }
        let read = client
            .request(3, "resources/read", json!({"uri": "test://panics"}))
            .await;
        assert_internal_error(&read);
        let prompt = client
            .request(4, "prompts/get", json!({"name": "panics"}))
            .await;
        assert_internal_error(&prompt);
        let echo = client
            .request(
                5,
                "tools/call",
                json!({"name": "echo", "arguments": {"text": "still here"}}),
            )
            .await;
        assert_eq!(echo["result"]["content"][0]["text"], "still here");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panics_fail_only_their_request_on_the_2026_wire() {
    let addr = spawn(router(server(), Vec::new(), HttpOptions::new())).await;
    let url = format!("http://{addr}/mcp");
    let http = reqwest::Client::new();
    let call = |id: i64, method: &str, params: Value, name: &str| {
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        });
        http.post(&url)
            .headers(common::mcp_headers())
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", method)
            .header("mcp-name", name)
            .json(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .send()
    };
    for (id, tool) in [(1, "panics_when_called"), (2, "panics_when_polled")] {
        let (status, mut messages) = common::reply(
            call(id, "tools/call", json!({"name": tool}), tool)
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert_tool_panicked(&messages.pop().unwrap(), tool);
    }
    let (_, mut read) = common::reply(
        call(
            3,
            "resources/read",
            json!({"uri": "test://panics"}),
            "test://panics",
        )
        .await
        .unwrap(),
    )
    .await;
    assert_internal_error(&read.pop().unwrap());
    let (_, mut echo) = common::reply(
        call(
            4,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "ok"}}),
            "echo",
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(echo.pop().unwrap()["result"]["content"][0]["text"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panics_fail_only_their_request_on_legacy_sse() {
    let app = router(
        server(),
        Vec::new(),
        HttpOptions::new().transport(Transport::Sse),
    );
    let addr = spawn(app).await;
    let http = reqwest::Client::new();
    let stream = http
        .get(format!("http://{addr}/sse"))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(read_events(stream, move |events| {
        let _ = tx.send(events.last().cloned().unwrap());
        false
    }));
    let (_, endpoint) = rx.recv().await.unwrap();
    let post = |body: Value| {
        http.post(format!("http://{addr}{endpoint}"))
            .header(CONTENT_TYPE, "application/json")
            .json(&body)
            .send()
    };
    let mut next = async || -> Value { serde_json::from_str(&rx.recv().await.unwrap().1).unwrap() };
    post(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})).await.unwrap();
    next().await;
    for (id, tool) in [(2, "panics_when_called"), (3, "panics_when_polled")] {
        post(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool}}))
            .await
            .unwrap();
        let answer = next().await;
        assert_eq!(answer["id"], id);
        assert_tool_panicked(&answer, tool);
    }
    post(json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "alive"}}})).await.unwrap();
    assert_eq!(next().await["result"]["content"][0]["text"], "alive");
}
