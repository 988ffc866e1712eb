//! The ceiling for workload 5: bare axum answering `tools/call report` with the same bytes
//! `examples/bench_server.rs` returns (the 79-row report as `structuredContent` and as JSON
//! text), built and serialized per request as a handler would, with no MCP machinery: no
//! session store, no SSE, no schemas. `initialize` hands out a counter as the session id,
//! notifications get 202 and DELETE 200, like the kit's `axum-ceiling`.
//!
//! Usage: `PORT=19310 report-ceiling` (binds 127.0.0.1).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt;
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    method: &'a str,
}

/// The same rows, field order and formatting as `bench_server`'s `report` tool (and, like
/// quickmcp, no `isError` on a success: the bytes on the wire are identical).
#[derive(Serialize)]
struct Row {
    id: u32,
    name: String,
    score: f64,
    active: bool,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Report {
    title: String,
    rows: Vec<Row>,
}

fn report() -> Report {
    let rows = (0..79)
        .map(|id| Row {
            id,
            name: format!("row {id:04} of the benchmark report, padded to size"),
            score: f64::from(id) * 1.25,
            active: id % 2 == 0,
            tags: vec!["alpha".into(), "beta".into(), format!("group-{}", id % 8)],
        })
        .collect();
    Report {
        title: "bench report".into(),
        rows,
    }
}

#[derive(Serialize)]
struct Text<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct CallToolResult<'a> {
    content: [Text<'a>; 1],
    #[serde(rename = "structuredContent")]
    structured_content: &'a RawValue,
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    jsonrpc: &'static str,
    id: &'a RawValue,
    result: T,
}

fn json(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn mcp(body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<Request>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let Some(id) = request.id else {
        return StatusCode::ACCEPTED.into_response();
    };
    match request.method {
        "initialize" => {
            let session = NEXT_SESSION.fetch_add(1, Ordering::Relaxed).to_string();
            let result = serde_json::json!({
                "protocolVersion": "2025-11-25",
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "report-ceiling", "version": "0.0.0"}
            });
            let mut response = json(
                serde_json::to_vec(&Envelope {
                    jsonrpc: "2.0",
                    id,
                    result,
                })
                .unwrap_or_default(),
            );
            if let Ok(value) = HeaderValue::from_str(&session) {
                response.headers_mut().insert("mcp-session-id", value);
            }
            response
        }
        "tools/call" => {
            let text = serde_json::to_string(&report()).unwrap_or_default();
            let Ok(structured) = RawValue::from_string(text.clone()) else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let result = CallToolResult {
                content: [Text {
                    kind: "text",
                    text: &text,
                }],
                structured_content: &structured,
            };
            json(
                serde_json::to_vec(&Envelope {
                    jsonrpc: "2.0",
                    id,
                    result,
                })
                .unwrap_or_default(),
            )
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "19310".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await
        .expect("bind")
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    let app = Router::new().route("/mcp", post(mcp).delete(|| async { StatusCode::OK }));
    axum::serve(listener, app).await.expect("serve");
}
