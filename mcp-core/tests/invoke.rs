//! Every handler kind runs through one invoker: a resource or a prompt, like a tool, can show
//! or hide things for its session, and is stopped by `notifications/cancelled`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, GetPromptResult, McpServer, PromptArguments,
    PromptDefinition, PromptHandler, ReadResourceResult, Reply, ResourceContents,
    ResourceDefinition, ResourceHandler, Selector, ToolDefinition, ToolFuture, ToolHandler,
};
use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};

struct Admin;

impl ToolHandler for Admin {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("drop_table", "Drops a table.").tag("admin")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready("dropped")
    }
}

/// Reading it shows the `admin` tools to the session.
struct Unlock;

impl ResourceHandler for Unlock {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://unlock", "unlock")
    }
    fn read(&self, uri: &str, cx: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let shown = Context::from_call_context(cx)
            .unwrap()
            .show(Selector::tag("admin"));
        Reply::ready(Ok(ReadResourceResult {
            contents: vec![ResourceContents::Text {
                uri: uri.into(),
                mime_type: None,
                text: shown.to_string(),
            }],
        }))
    }
}

/// Rendering it hides the `admin` tools again.
struct Lock;

impl PromptHandler for Lock {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("lock", "Hides the admin tools.")
    }
    fn get(&self, _: PromptArguments, cx: &CallContext<'_>) -> Reply<GetPromptResult> {
        let hidden = Context::from_call_context(cx)
            .unwrap()
            .hide(Selector::tag("admin"));
        Reply::ready(Ok(GetPromptResult::new(vec![
            quickmcp_core::PromptMessage::user(hidden.to_string()),
        ])))
    }
}

/// Sets its flag when its future is dropped.
struct Dropped(Arc<AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Never finishes.
struct SlowResource(Arc<AtomicBool>);

impl ResourceHandler for SlowResource {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new("test://slow", "slow")
    }
    fn read(&self, _: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let dropped = Dropped(self.0.clone());
        Reply::pending(async move {
            let _dropped = dropped;
            std::future::pending().await
        })
    }
}

/// Never finishes.
struct SlowPrompt(Arc<AtomicBool>);

impl PromptHandler for SlowPrompt {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("slow", "Never done.")
    }
    fn get(&self, _: PromptArguments, _: &CallContext<'_>) -> Reply<GetPromptResult> {
        let dropped = Dropped(self.0.clone());
        Reply::pending(async move {
            let _dropped = dropped;
            std::future::pending().await
        })
    }
}

struct Pipe {
    write: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
}

impl Pipe {
    fn serve(server: McpServer) -> Self {
        let (client, server_end) = tokio::io::duplex(1 << 16);
        let (read, write) = tokio::io::split(server_end);
        tokio::spawn(
            async move { quickmcp_core::serve_lines(&server.service(), read, write).await },
        );
        let (read, write) = tokio::io::split(client);
        Self {
            write,
            lines: BufReader::new(read).lines(),
        }
    }

    async fn send(&mut self, message: Value) {
        let line = format!("{message}\n");
        self.write.write_all(line.as_bytes()).await.unwrap();
    }

    async fn next(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(5), self.lines.next_line())
            .await
            .expect("a line in time")
            .unwrap()
            .unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// Sends a request and returns its response, skipping notifications before it.
    async fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.next().await;
            if message["id"] == id {
                return message;
            }
        }
    }

    async fn initialize(&mut self) {
        let params = json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}});
        self.request(0, "initialize", params).await;
    }

    async fn tool_names(&mut self, id: i64) -> Vec<String> {
        let list = self.request(id, "tools/list", json!({})).await;
        list["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[tokio::test]
async fn resources_and_prompts_change_what_their_session_sees() {
    let server = McpServer::new("t");
    server.add_tool(Arc::new(Admin)).unwrap();
    server.add_resource(Arc::new(Unlock)).unwrap();
    server.add_prompt(Arc::new(Lock)).unwrap();
    server.exclude_tags(["admin"]);
    let mut pipe = Pipe::serve(server);
    pipe.initialize().await;
    assert!(pipe.tool_names(1).await.is_empty());
    let read = pipe
        .request(2, "resources/read", json!({"uri": "test://unlock"}))
        .await;
    assert_eq!(read["result"]["contents"][0]["text"], "true", "{read}");
    assert_eq!(pipe.tool_names(3).await, ["drop_table"]);
    let prompt = pipe
        .request(4, "prompts/get", json!({"name": "lock"}))
        .await;
    assert_eq!(prompt["result"]["messages"][0]["content"]["text"], "true");
    assert!(pipe.tool_names(5).await.is_empty());
}

#[tokio::test]
async fn cancellation_stops_a_slow_read_and_a_slow_prompt() {
    let (read_dropped, prompt_dropped) = (Arc::default(), Arc::default());
    let server = McpServer::new("t");
    server
        .add_resource(Arc::new(SlowResource(Arc::clone(&read_dropped))))
        .unwrap();
    server
        .add_prompt(Arc::new(SlowPrompt(Arc::clone(&prompt_dropped))))
        .unwrap();
    let mut pipe = Pipe::serve(server);
    pipe.initialize().await;
    pipe.send(json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": "test://slow"}}))
        .await;
    pipe.send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "prompts/get", "params": {"name": "slow"}}),
    )
    .await;
    for id in [1, 2] {
        pipe.send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": id}}))
            .await;
    }
    let pong = pipe.request(3, "ping", json!({})).await;
    assert_eq!(pong["result"], json!({}), "nothing else was answered first");
    assert!(read_dropped.load(Ordering::SeqCst), "the read was dropped");
    assert!(
        prompt_dropped.load(Ordering::SeqCst),
        "the prompt was dropped"
    );
}
