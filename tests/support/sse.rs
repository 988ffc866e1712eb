//! Server-sent events: a parser, a streaming reader, and a session of the legacy HTTP+SSE
//! transport (2024-11-05).

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

use super::mcp::{http, Reply};
use super::STEP;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Parses one event block; `None` for a comment-only block (a keep-alive).
fn parse_event(block: &str) -> Option<SseEvent> {
    let mut event = None;
    let mut data: Option<String> = None;
    for line in block.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => event = Some(value.to_owned()),
            "data" => match &mut data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => data = Some(value.to_owned()),
            },
            _ => {}
        }
    }
    if event.is_none() && data.is_none() {
        return None;
    }
    Some(SseEvent {
        event: event.unwrap_or_else(|| "message".into()),
        data: data.unwrap_or_default(),
    })
}

/// Every event of a complete SSE body.
pub fn parse_sse(body: &str) -> Vec<SseEvent> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .filter_map(parse_event)
        .collect()
}

/// Reads the events of a streaming SSE response as they arrive.
pub struct SseReader {
    response: reqwest::Response,
    buffer: Vec<u8>,
    /// Every event read so far, for assertion messages.
    pub seen: Vec<SseEvent>,
    /// Why the stream ended, if it broke off rather than ending cleanly.
    pub broken: Option<String>,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> Self {
        Self {
            response,
            buffer: Vec::new(),
            seen: Vec::new(),
            broken: None,
        }
    }

    /// The next event (keep-alive comments skipped), or `None` once the stream has ended.
    /// Panics if nothing comes within `within`.
    pub async fn next_event(&mut self, within: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let block = String::from_utf8(block).expect("SSE is UTF-8");
                if let Some(event) = parse_event(&block) {
                    self.seen.push(event.clone());
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no SSE event within {within:?}; seen so far: {:?}",
                        self.seen
                    )
                });
            match chunk {
                Ok(Some(bytes)) => self.buffer.extend_from_slice(&bytes),
                Ok(None) => return None,
                Err(error) => {
                    self.broken = Some(format!("{error:?}"));
                    return None;
                }
            }
        }
    }

    /// The next JSON-RPC message on the stream (a `message` event).
    pub async fn next_message(&mut self, within: Duration) -> Option<Value> {
        loop {
            let event = self.next_event(within).await?;
            if event.event == "message" && !event.data.is_empty() {
                return Some(
                    serde_json::from_str(&event.data)
                        .unwrap_or_else(|e| panic!("SSE data is not JSON ({e}): {event:?}")),
                );
            }
        }
    }

    /// Waits up to `within` for the stream to end, skipping whatever events still come.
    pub async fn until_end(&mut self, within: Duration) {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if self.next_event(left).await.is_none() {
                return;
            }
        }
    }
}

/// A session of the legacy HTTP+SSE transport: the open stream, and the URL it announced.
pub struct LegacySession {
    pub http: reqwest::Client,
    pub events: SseReader,
    /// The `endpoint` event's data, as announced (a path with a query).
    pub endpoint: String,
    base: String,
    next_id: i64,
}

impl LegacySession {
    /// `GET sse_url`; reads the `endpoint` event.
    pub async fn open(base: &str, sse_path: &str) -> Self {
        let http = http();
        let response = tokio::time::timeout(
            STEP,
            http.get(format!("{base}{sse_path}"))
                .header(ACCEPT, "text/event-stream")
                .send(),
        )
        .await
        .expect("the SSE stream opens in time")
        .expect("GET the SSE stream");
        assert_eq!(response.status(), 200, "GET {sse_path}: {response:?}");
        let content_type = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "GET {sse_path}: {content_type}"
        );
        let mut events = SseReader::new(response);
        let first = events
            .next_event(STEP)
            .await
            .expect("an endpoint event before the stream ends");
        assert_eq!(first.event, "endpoint", "the first event: {first:?}");
        Self {
            http,
            events,
            endpoint: first.data,
            base: base.to_owned(),
            next_id: 1,
        }
    }

    /// POSTs a message to the announced endpoint; the HTTP answer.
    pub async fn post(&self, body: &Value) -> Reply {
        let response = self
            .http
            .post(format!("{}{}", self.base, self.endpoint))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("POST to the announced endpoint");
        Reply::read(response).await
    }

    /// Sends a request (202 Accepted) and reads its response from the stream.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let accepted = self
            .post(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        assert_eq!(accepted.status, 202, "POST {method}: {accepted}");
        loop {
            let message = self.events.next_message(STEP).await.unwrap_or_else(|| {
                panic!(
                    "the stream ended before answering {method}; seen: {:?}",
                    self.events.seen
                )
            });
            if message["id"] == id {
                return message;
            }
        }
    }

    /// `initialize` (2024-11-05) and `notifications/initialized`; the initialize result.
    pub async fn initialize(&mut self) -> Value {
        let init = self
            .request(
                "initialize",
                json!({"protocolVersion": "2024-11-05", "capabilities": {},
                    "clientInfo": {"name": "quickmcp-tests", "version": "1"}}),
            )
            .await;
        let notified = self
            .post(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        assert_eq!(
            notified.status, 202,
            "notifications/initialized: {notified}"
        );
        init
    }
}
