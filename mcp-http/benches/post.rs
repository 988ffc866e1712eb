//! One `tools/call add` POST through the axum router, body collected, without a socket: the
//! same request answered as an SSE stream (one `message` event) and as `application/json`.
//! The difference is the cost of SSE framing of one message. Stateless, so no session is
//! involved. Also the same call on the 2026-07-28 wire (`_meta`, standard headers checked),
//! and in a session (`Mcp-Session-Id` looked up), as JSON and as SSE.
//!
//! Run with `cargo bench -p quickmcp-http --bench post`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion};
use http::Request;
use http_body_util::BodyExt;
use quickmcp_core::extract::Param;
use quickmcp_core::{
    Arguments, CallContext, InputSchema, McpServer, Structured, ToolDefinition, ToolFuture,
    ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use tower::ServiceExt;

const CALL: &str = r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add","arguments":{"a":40,"b":2}}}"#;

/// The same call on the 2026-07-28 wire: `_meta` and the standard headers, validated first.
const MODERN_CALL: &str = r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add","arguments":{"a":40,"b":2},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#;

const INT: Param<i64> = Param::named();

/// `add(a, b) -> Structured<i64>`, as `#[tool]` expands it.
struct Add;

impl ToolHandler for Add {
    fn definition(&self) -> ToolDefinition {
        let mut schema = InputSchema::default();
        INT.declare(&mut schema, "a", None);
        INT.declare(&mut schema, "b", None);
        ToolDefinition::new("add", "Add two integers.").input_schema(schema.finish())
    }

    fn call(&self, mut args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let mut extract = quickmcp_core::extract::ExtractCx {
            request: cx,
            args: &mut args,
        };
        match (
            INT.extract(&mut extract, "a"),
            INT.extract(&mut extract, "b"),
        ) {
            (Ok(a), Ok(b)) => ToolFuture::ready(Structured(a + b)),
            _ => ToolFuture::ready(Err::<i64, _>("bad arguments")),
        }
    }
}

fn app(json: bool, stateful: bool) -> Router {
    let server = McpServer::new("bench");
    server.add_tool(Arc::new(Add)).expect("registers once");
    router(
        server,
        Vec::new(),
        HttpOptions::new().stateless(!stateful).json_response(json),
    )
}

fn request() -> http::request::Builder {
    Request::post("/mcp")
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
}

/// Opens a session and returns its id.
async fn initialize(app: &Router) -> String {
    let request = request().body(Body::from(INITIALIZE)).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert!(response.status().is_success(), "{}", response.status());
    response.headers()["mcp-session-id"]
        .to_str()
        .expect("ASCII")
        .to_owned()
}

async fn post(app: &Router, modern: bool, session: Option<&str>) -> bytes::Bytes {
    let mut request = request();
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    let request = if modern {
        request
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", "add")
            .body(Body::from(black_box(MODERN_CALL)))
    } else {
        request
            .header("mcp-protocol-version", "2025-11-25")
            .body(Body::from(black_box(CALL)))
    };
    let request = request.expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    assert!(response.status().is_success(), "{}", response.status());
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
}

fn post_bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for (name, json, modern, stateful) in [
        ("stateless sse", false, false, false),
        ("stateless json", true, false, false),
        ("stateless 2026-07-28 wire, sse", false, true, false),
        ("in a session, json", true, false, true),
        ("in a session, sse", false, false, true),
    ] {
        let app = app(json, stateful);
        let session = stateful.then(|| runtime.block_on(initialize(&app)));
        let session = session.as_deref();
        let body = runtime.block_on(post(&app, modern, session));
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains(r#""structuredContent":{"result":42}"#),
            "{text}"
        );
        c.bench_function(&format!("POST tools/call add, {name}"), |b| {
            b.iter(|| runtime.block_on(post(&app, modern, session)));
        });
    }
}

// `criterion_group!` generates an undocumented `pub fn`.
#[allow(missing_docs)]
mod group {
    use super::*;

    criterion_group! {
        name = benches;
        config = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        targets = post_bench
    }
}
criterion_main!(group::benches);
