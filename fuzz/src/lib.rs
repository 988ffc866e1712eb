//! What each fuzz target runs, one function per target, so that `cargo test` replays the
//! committed corpora (`corpus/<target>/`) and every crash found (`regressions/<target>/`) on
//! stable. Each function must not panic on any input: the invariants it checks are asserts.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use futures_util::FutureExt;
use quickmcp::prelude::*;
use quickmcp_core::protocol::headers::{decode_header_value, header_name_problem};
use quickmcp_core::session::EventId;
use quickmcp_core::{
    Connection, Inbound, McpService, MessageSink, Outgoing, SessionRef, UriTemplate,
};

/// Adds two numbers.
#[tool]
fn add(a: i64, b: i64) -> i64 {
    a.wrapping_add(b)
}

/// A unit of length.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Metres.
    Metre,
    /// Feet.
    Foot,
}

/// A nested argument.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Shape {
    /// Its name.
    pub name: String,
    /// Its sides, if any.
    pub sides: Option<Vec<f64>>,
    /// The unit of the sides.
    pub unit: Unit,
}

/// Measures a shape: nested, optional and enum arguments.
#[tool]
fn measure(shape: Shape, scale: Option<f64>, tags: Vec<String>) -> String {
    let total: f64 = shape.sides.unwrap_or_default().iter().sum();
    format!(
        "{} {total} {:?} {} {}",
        shape.name,
        shape.unit,
        scale.unwrap_or(1.0),
        tags.len()
    )
}

/// A resource template.
#[resource("notes://{owner}/{id}")]
fn note(owner: String, id: u32) -> String {
    format!("{owner}/{id}")
}

/// A prompt with an argument.
#[prompt]
fn review(code: String) -> String {
    format!("Review {code}")
}

struct Discard;

impl MessageSink for Discard {
    fn send(&self, _: Bytes) -> bool {
        true
    }
}

fn service() -> &'static (tokio::runtime::Runtime, McpService) {
    static SERVICE: OnceLock<(tokio::runtime::Runtime, McpService)> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = Server::new("fuzz")
            .tool(add)
            .tool(measure)
            .resource(note)
            .prompt(review);
        (runtime, server.core().service())
    })
}

/// Answers `outgoing` as a transport would, polling a running call once.
fn answer(outgoing: Outgoing) {
    match outgoing {
        Outgoing::Ready(reply) => drop(quickmcp_core::answer_message(reply)),
        Outgoing::Running(running) => drop(running.now_or_never()),
        Outgoing::Accepted => {}
    }
}

/// Lines of JSON-RPC on one stdio-like connection after a real `initialize`: the envelope
/// parse, the era detection and the dispatch of both wires, against real tools.
pub fn dispatch(data: &[u8]) {
    let (runtime, service) = service();
    let _entered = runtime.enter();
    let connection = Connection::new(Arc::new(Discard));
    let inbound = || Inbound {
        session: SessionRef::Connection(connection.clone()),
        sink: Some(Arc::new(Discard)),
        http: None,
    };
    let init = br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"f","version":"1"}}}"#;
    answer(service.handle(init, inbound()));
    for line in data.split(|&b| b == b'\n') {
        answer(service.handle(line, inbound()));
    }
    service.client_gone(&connection);
}

/// Any JSON as the arguments of `measure` (nested, optional, enum): deserialized by the
/// generated code, answered with a result or `-32602`.
pub fn tool_arguments(data: &[u8]) {
    let Ok(arguments) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let (runtime, service) = service();
    let _entered = runtime.enter();
    let call = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "measure", "arguments": arguments,
        "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                  "io.modelcontextprotocol/clientCapabilities": {}}}});
    let body = serde_json::to_vec(&call).unwrap();
    answer(service.handle(&body, Inbound::default()));
}

/// `Last-Event-ID` values: what parses writes back the same.
pub fn last_event_id(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(id) = EventId::parse(text) {
        assert_eq!(EventId::parse(&id.to_string()), Some(id), "{text:?}");
    }
}

/// `=?base64?…?=` header values and `Mcp-Param-*` names.
pub fn header_value(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = decode_header_value(text);
    let _ = header_name_problem(text);
}

/// URI templates and the URIs matched against them: the first line is the template.
pub fn uri_template(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (template, uris) = text.split_once('\n').unwrap_or((text, ""));
    if let Ok(template) = UriTemplate::parse(template) {
        for uri in uris.lines() {
            if let Some(vars) = template.matches(uri) {
                for name in template.variables() {
                    assert!(vars.get(name).is_some(), "{name} of {uri}");
                }
            }
        }
    }
}
