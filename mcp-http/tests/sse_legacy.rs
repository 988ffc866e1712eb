//! The 2024-11-05 HTTP+SSE transport over real sockets, including under a nested mount.

mod common;

use common::{read_events, server, spawn};
use quickmcp_http::{router, HttpOptions, Transport};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

/// Opens `/sse` under `prefix`, checks the endpoint event, initializes and calls `echo`.
async fn round_trip(app: axum::Router, prefix: &str) {
    let addr = spawn(app).await;
    let http = reqwest::Client::new();
    let stream = http
        .get(format!("http://{addr}{prefix}/sse"))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(read_events(stream, move |events| {
        let _ = tx.send(events.last().cloned().unwrap());
        false
    }));
    let (name, endpoint) = rx.recv().await.unwrap();
    assert_eq!(name, "endpoint");
    assert!(
        endpoint.starts_with(&format!("{prefix}/messages?session_id=")),
        "{endpoint}"
    );
    let post = |body: Value| {
        http.post(format!("http://{addr}{endpoint}"))
            .header(CONTENT_TYPE, "application/json")
            .json(&body)
            .send()
    };

    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let accepted = post(init).await.unwrap();
    assert_eq!(accepted.status(), 202);
    let (_, data) = rx.recv().await.unwrap();
    let init: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(init["result"]["protocolVersion"], "2024-11-05");
    assert_eq!(
        post(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await
            .unwrap()
            .status(),
        202
    );
    post(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "legacy"}}})).await.unwrap();
    let (_, data) = rx.recv().await.unwrap();
    let call: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(call["id"], 2);
    assert_eq!(call["result"]["content"][0]["text"], "legacy");

    let unknown = http
        .post(format!("http://{addr}{prefix}/messages?session_id=nope"))
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let missing = http
        .post(format!("http://{addr}{prefix}/messages"))
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let bad = http
        .post(format!("http://{addr}{endpoint}"))
        .header(CONTENT_TYPE, "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

fn sse_app() -> axum::Router {
    router(
        server(),
        Vec::new(),
        HttpOptions::new().transport(Transport::Sse),
    )
}

#[tokio::test]
async fn serves_at_the_root() {
    round_trip(sse_app(), "").await;
}

#[tokio::test]
async fn endpoint_carries_the_mount_prefix() {
    round_trip(
        axum::Router::new().nest("/mcp-server", sse_app()),
        "/mcp-server",
    )
    .await;
    let deep = axum::Router::new().nest("/outer", axum::Router::new().nest("/inner", sse_app()));
    round_trip(deep, "/outer/inner").await;
}
