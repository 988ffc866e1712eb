//! What `tools/list` and `prompts/list` show of a definition, read by a client over stdio:
//! an absent description is left out (the spec makes it optional), and server-side fields
//! never reach the client.

use std::sync::Arc;
use std::time::Duration;

use quickmcp_core::protocol::prompts::{GetPromptResult, PromptDefinition};
use quickmcp_core::{
    Arguments, CallContext, McpServer, PromptArguments, PromptHandler, Reply, ToolDefinition,
    ToolFuture, ToolHandler,
};
use serde_json::{json, Value};
use tokio::io::WriteHalf;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf};

/// A hand-written tool built from a definition.
struct Tool(fn() -> ToolDefinition);

impl ToolHandler for Tool {
    fn definition(&self) -> ToolDefinition {
        (self.0)()
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready("ok")
    }
}

/// A hand-written prompt built from a definition.
struct Prompt(fn() -> PromptDefinition);

impl PromptHandler for Prompt {
    fn definition(&self) -> PromptDefinition {
        (self.0)()
    }
    fn get(&self, _: PromptArguments, _: &CallContext<'_>) -> Reply<GetPromptResult> {
        Reply::ready(Ok(GetPromptResult::new(Vec::new())))
    }
}

/// A client of `server` over an in-memory pipe, after `initialize`.
struct Client {
    write: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
}

impl Client {
    async fn connect(server: McpServer) -> Self {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        tokio::spawn(async move {
            quickmcp_core::serve_lines(&server.service(), server_read, server_write).await
        });
        let (read, write) = tokio::io::split(client_end);
        let mut client = Self {
            write,
            lines: BufReader::new(read).lines(),
            next_id: 1,
        };
        let init = client
            .request(
                "initialize",
                json!({"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}),
            )
            .await;
        assert_eq!(init["result"]["protocolVersion"], "2025-11-25");
        client
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let line = json!({"jsonrpc":"2.0","id":id,"method":method,"params":params});
        self.write
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        let reply: Value =
            serde_json::from_str(&self.lines.next_line().await.unwrap().unwrap()).unwrap();
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }
}

#[tokio::test]
async fn a_tool_without_a_description_is_listed_without_the_key() {
    let server = McpServer::new("listing");
    server
        .add_tool(Arc::new(Tool(|| ToolDefinition::named("bare"))))
        .unwrap();
    server
        .add_tool(Arc::new(Tool(|| ToolDefinition::new("empty", ""))))
        .unwrap();
    server
        .add_tool(Arc::new(Tool(|| {
            ToolDefinition::new("described", "Answers ok.")
        })))
        .unwrap();
    let mut client = Client::connect(server).await;
    let list = client.request("tools/list", json!({})).await;
    let tools = list["result"]["tools"].as_array().unwrap();
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap().clone();
    assert_eq!(
        tool("bare"),
        json!({"name": "bare", "inputSchema": {"type": "object", "properties": {}}})
    );
    assert!(tool("empty").get("description").is_none(), "{list}");
    assert_eq!(tool("described")["description"], "Answers ok.");
    let call = client
        .request("tools/call", json!({"name": "bare", "arguments": {}}))
        .await;
    assert_eq!(call["result"]["content"][0]["text"], "ok");
}

#[tokio::test]
async fn a_prompt_without_a_description_is_listed_without_the_key() {
    let server = McpServer::new("listing");
    server
        .add_prompt(Arc::new(Prompt(|| PromptDefinition::named("bare"))))
        .unwrap();
    server
        .add_prompt(Arc::new(Prompt(|| {
            PromptDefinition::named("described").description("Reviews.")
        })))
        .unwrap();
    let mut client = Client::connect(server).await;
    let list = client.request("prompts/list", json!({})).await;
    let prompts = list["result"]["prompts"].as_array().unwrap();
    let prompt = |name: &str| prompts.iter().find(|p| p["name"] == name).unwrap().clone();
    assert_eq!(prompt("bare"), json!({"name": "bare"}));
    assert_eq!(prompt("described")["description"], "Reviews.");
}

#[tokio::test]
async fn timeouts_and_scopes_stay_on_the_server() {
    let server = McpServer::new("listing");
    server
        .add_tool(Arc::new(Tool(|| {
            ToolDefinition::new("guarded", "Needs a scope.")
                .timeout(Duration::from_secs(30))
                .scopes(["files:write"])
        })))
        .unwrap();
    server
        .add_prompt(Arc::new(Prompt(|| {
            PromptDefinition::named("guarded")
                .timeout(Duration::from_secs(30))
                .scopes(["prompts:get"])
        })))
        .unwrap();
    let mut client = Client::connect(server).await;
    let tools = client.request("tools/list", json!({})).await;
    assert_eq!(
        tools["result"]["tools"][0],
        json!({"name": "guarded", "description": "Needs a scope.",
               "inputSchema": {"type": "object", "properties": {}}})
    );
    let prompts = client.request("prompts/list", json!({})).await;
    assert_eq!(prompts["result"]["prompts"][0], json!({"name": "guarded"}));
}
