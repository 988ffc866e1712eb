//! Streamable HTTP: a small MCP client on reqwest, and the checks every example shares.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

use super::sse::parse_sse;
use super::{PROTOCOL, STEP};

/// A reqwest client that never goes through a proxy.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a reqwest client")
}

/// A complete HTTP response, kept for assertions and their messages.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.expect("read the response body");
        Self {
            status,
            headers,
            body,
        }
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The JSON-RPC messages of a JSON or an SSE body.
    pub fn messages(&self) -> Vec<Value> {
        let content_type = self.header("content-type").unwrap_or("");
        if self.body.is_empty() {
            return Vec::new();
        }
        if content_type.starts_with("application/json") {
            return vec![self.json()];
        }
        assert!(
            content_type.starts_with("text/event-stream"),
            "neither JSON nor SSE: {self}"
        );
        parse_sse(&self.body)
            .into_iter()
            .filter(|event| event.event == "message" && !event.data.is_empty())
            .map(|event| {
                serde_json::from_str(&event.data)
                    .unwrap_or_else(|e| panic!("SSE data is not JSON ({e}): {self}"))
            })
            .collect()
    }

    /// The body as one JSON value.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {self}"))
    }

    /// The JSON-RPC error code of a JSON error body.
    pub fn error_code(&self) -> Option<i64> {
        serde_json::from_str::<Value>(&self.body)
            .ok()
            .and_then(|body| body["error"]["code"].as_i64())
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHOWN: usize = 2000;
        let body = if self.body.len() > SHOWN {
            let mut end = SHOWN;
            while !self.body.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}... ({} bytes)", &self.body[..end], self.body.len())
        } else {
            self.body.clone()
        };
        write!(f, "HTTP {} {:?} {body}", self.status, self.headers)
    }
}

/// An `initialize` request (id 0) for [`PROTOCOL`].
pub fn initialize_message() -> Value {
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": PROTOCOL, "capabilities": {},
        "clientInfo": {"name": "quickmcp-tests", "version": "1"}}})
}

/// An MCP client on one Streamable HTTP endpoint.
pub struct Mcp {
    pub http: reqwest::Client,
    pub url: String,
    pub session: Option<String>,
    next_id: AtomicI64,
}

impl Mcp {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            http: http(),
            url: url.into(),
            session: None,
            next_id: AtomicI64::new(1),
        }
    }

    /// A client that has initialized a session on `url`.
    pub async fn connect(url: impl Into<String>) -> Self {
        let mut client = Self::new(url);
        client.initialize().await;
        client
    }

    /// A POST of `body` with the headers MCP requires, and the session's once it has one.
    pub fn post(&self, body: &Value) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .post(&self.url)
            .header(ACCEPT, "application/json, text/event-stream")
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(session) = &self.session {
            request = request
                .header("mcp-session-id", session)
                .header("mcp-protocol-version", PROTOCOL);
        }
        request
    }

    /// Sends `request` and reads the whole response.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = tokio::time::timeout(STEP, request.send())
            .await
            .unwrap_or_else(|_| panic!("no response from {} within {STEP:?}", self.url))
            .unwrap_or_else(|e| panic!("request to {} failed: {e:?}", self.url));
        Reply::read(response).await
    }

    /// POSTs `body` and reads the whole response.
    pub async fn send_json(&self, body: &Value) -> Reply {
        self.send(self.post(body)).await
    }

    /// `initialize`, then `notifications/initialized`; keeps the session id and returns the
    /// initialize result.
    pub async fn initialize(&mut self) -> Value {
        let reply = self.send_json(&initialize_message()).await;
        assert_eq!(reply.status, 200, "initialize: {reply}");
        let session = reply
            .header("mcp-session-id")
            .unwrap_or_else(|| panic!("initialize answered no Mcp-Session-Id: {reply}"));
        self.session = Some(session.to_owned());
        let answer = reply.messages().into_iter().find(|m| m["id"] == 0);
        let result = answer
            .and_then(|m| m.get("result").cloned())
            .unwrap_or_else(|| panic!("initialize has no result: {reply}"));
        let initialized = self
            .send_json(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        assert_eq!(
            initialized.status, 202,
            "notifications/initialized: {initialized}"
        );
        result
    }

    /// Sends a request and returns its response message (`result` or `error`).
    pub async fn request(&self, method: &str, params: Value) -> Value {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let reply = self
            .send_json(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        assert_eq!(reply.status, 200, "{method}: {reply}");
        reply
            .messages()
            .into_iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{method}: no response with id {id}: {reply}"))
    }

    /// Sends a request that must succeed and returns its `result`.
    pub async fn result(&self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params).await;
        assert!(
            answer.get("error").is_none() && answer["result"].is_object(),
            "{method} failed: {answer}"
        );
        answer["result"].clone()
    }

    /// `tools/call`: the call's result (which may have `isError`).
    pub async fn call_tool(&self, name: &str, arguments: Value) -> Value {
        self.result("tools/call", json!({"name": name, "arguments": arguments}))
            .await
    }

    /// `tools/call` that must succeed: the text of its first content block.
    pub async fn tool_text(&self, name: &str, arguments: Value) -> String {
        let result = self.call_tool(name, arguments).await;
        tool_text(&result)
    }
}

/// The text of a successful tool result's first content block.
pub fn tool_text(result: &Value) -> String {
    assert_ne!(result["isError"], true, "the tool failed: {result}");
    assert_eq!(result["content"][0]["type"], "text", "{result}");
    result["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text: {result}"))
        .to_owned()
}

/// Checks a `tools/list` result: `hello` and `add` are there, each with a description and an
/// object input schema naming its arguments.
pub fn check_tool_list(result: &Value) {
    let tools = result["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("tools/list has no tools array: {result}"));
    for (name, args) in [("hello", &["name"][..]), ("add", &["a", "b"][..])] {
        let tool = tools
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} is missing from tools/list: {result}"));
        let description = tool["description"].as_str().unwrap_or("");
        assert!(!description.is_empty(), "{name} has no description: {tool}");
        let schema = &tool["inputSchema"];
        assert_eq!(schema["type"], "object", "{name}'s inputSchema: {tool}");
        for arg in args {
            assert!(
                schema["properties"][arg].is_object(),
                "{name}'s inputSchema lacks `{arg}`: {tool}"
            );
        }
    }
}
