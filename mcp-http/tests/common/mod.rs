//! A test server with hand-written tools, and a small MCP-over-HTTP client on reqwest.
#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::StreamExt;
use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, McpServer, ToolDefinition, ToolFuture,
    ToolHandler,
};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

/// `echo(text)`: answers the text.
pub struct Echo;

impl ToolHandler for Echo {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("echo", "Echo the text back.").input_schema(json!({
            "type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]
        }))
    }
    fn call(&self, mut args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let text = args
            .take("text")
            .map(|raw| serde_json::from_str::<String>(raw.get()).unwrap_or_default());
        ToolFuture::ready(text.unwrap_or_default())
    }
}

/// `slow(steps)`: reports progress every 20 ms for `steps` steps (forever if 0), then answers.
pub struct Slow;

impl ToolHandler for Slow {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("slow", "Report progress, slowly.")
    }
    fn call(&self, mut args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let steps: u64 = args
            .take("steps")
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or(3);
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let mut step = 0;
            loop {
                step += 1;
                ctx.report_progress(step as f64, None, Some("working"))
                    .await;
                ctx.info(format!("step {step}")).await;
                if steps != 0 && step >= steps {
                    return format!("done after {step} steps");
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    }
}

pub fn server() -> McpServer {
    let server = McpServer::new("test-server");
    server.add_tool(std::sync::Arc::new(Echo)).unwrap();
    server.add_tool(std::sync::Arc::new(Slow)).unwrap();
    server
}

/// Serves `app` on an ephemeral loopback port.
pub async fn spawn(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(quickmcp_http::serve(listener, app, std::future::pending()));
    addr
}

pub fn mcp_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        ACCEPT,
        HeaderValue::from_static("application/json, text/event-stream"),
    );
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h
}

pub fn initialize_body(version: &str) -> Value {
    initialize_body_with(version, json!({}))
}

/// `initialize` declaring `capabilities`.
pub fn initialize_body_with(version: &str, capabilities: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": capabilities,
        "clientInfo": {"name": "test", "version": "1"}}})
}

/// The JSON-RPC messages in an SSE body or a JSON body.
pub fn messages(content_type: &str, body: &str) -> Vec<Value> {
    if content_type.starts_with("application/json") {
        return vec![serde_json::from_str(body).expect("JSON body")];
    }
    body.split("\n\n")
        .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")))
        .filter(|data| !data.is_empty())
        .map(|data| serde_json::from_str(data).expect("JSON event"))
        .collect()
}

/// A response's status and every JSON-RPC message of its body (none for an empty body).
pub async fn reply(resp: reqwest::Response) -> (u16, Vec<Value>) {
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = resp.text().await.unwrap();
    if text.is_empty() {
        return (status, Vec::new());
    }
    (status, messages(&ct, &text))
}

/// A client on one Streamable HTTP endpoint.
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub session: Option<String>,
}

impl Client {
    pub fn new(url: String) -> Self {
        Self {
            http: reqwest::Client::new(),
            url,
            session: None,
        }
    }

    pub fn post(&self, body: &Value) -> reqwest::RequestBuilder {
        let mut req = self.http.post(&self.url).headers(mcp_headers()).json(body);
        if let Some(id) = &self.session {
            req = req
                .header("mcp-session-id", id)
                .header("mcp-protocol-version", "2025-11-25");
        }
        req
    }

    /// POSTs and returns (status, every JSON-RPC message of the body).
    pub async fn send(&self, body: &Value) -> (u16, Vec<Value>) {
        reply(self.post(body).send().await.unwrap()).await
    }

    /// POSTs a request and returns its final response message.
    pub async fn request(&self, id: i64, method: &str, params: Value) -> Value {
        let (status, msgs) = self
            .send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        assert_eq!(status, 200, "{method}: {msgs:?}");
        msgs.into_iter()
            .find(|m| m.get("id") == Some(&json!(id)))
            .expect("a response")
    }

    pub async fn initialize(&mut self) -> Value {
        self.initialize_with(json!({})).await
    }

    /// Initializes declaring `capabilities` (e.g. `{"sampling": {}}`).
    pub async fn initialize_with(&mut self, capabilities: Value) -> Value {
        let resp = self
            .post(&initialize_body_with("2025-11-25", capabilities))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        self.session = resp
            .headers()
            .get("mcp-session-id")
            .map(|v| v.to_str().unwrap().to_owned());
        let ct = resp.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
        let init = messages(&ct, &resp.text().await.unwrap()).remove(0);
        let (status, _) = self
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        assert_eq!(status, 202);
        init
    }
}

/// Forwards each SSE event of a streaming response (name, data) to a channel, as it arrives.
pub fn event_channel(
    resp: reqwest::Response,
) -> tokio::sync::mpsc::UnboundedReceiver<(String, String)> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(read_events(resp, move |events| {
        tx.send(events.last().cloned().unwrap()).is_err()
    }));
    rx
}

/// Reads SSE events from a streaming response until `done` says stop (or 5 s pass).
pub async fn read_events(
    resp: reqwest::Response,
    mut done: impl FnMut(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::sleep(Duration::from_secs(5));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            chunk = stream.next() => match chunk {
                Some(Ok(bytes)) => buf.push_str(std::str::from_utf8(&bytes).unwrap()),
                _ => return events,
            },
            () = &mut deadline => return events,
        }
        while let Some(end) = buf.find("\n\n") {
            let raw: String = buf.drain(..end + 2).collect();
            let mut name = String::from("message");
            let mut data = String::new();
            for line in raw.lines() {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_owned();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            // As EventSource does, an event without data (a priming event) is not dispatched.
            if !raw.starts_with(':') && !data.is_empty() {
                events.push((name, data));
                if done(&events) {
                    return events;
                }
            }
        }
    }
}
