//! The 2024-11-05 HTTP+SSE transport over real sockets, including under a nested mount, alone
//! and beside Streamable HTTP in one app (`HttpOptions::legacy_sse`).
#![allow(
    clippy::too_many_lines,
    reason = "a scenario reads top to bottom in the order of the exchange it checks"
)]

mod common;

use common::{mcp_headers, messages, read_events, server, spawn, Client};
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

/// One app with every era: Streamable HTTP at `/mcp`, legacy SSE at `/sse` + `/messages`.
fn all_eras_app() -> axum::Router {
    router(server(), Vec::new(), HttpOptions::new().legacy_sse(true))
}

/// A 2025 session and a 2026 stateless call on the Streamable HTTP endpoint at `url`.
async fn streamable_round_trip(url: String) {
    let mut client = Client::new(url.clone());
    let init = client.initialize().await;
    assert_eq!(init["result"]["protocolVersion"], "2025-11-25", "{init}");
    assert!(client.session.is_some());
    let call = client
        .request(
            2,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "2025"}}),
        )
        .await;
    assert_eq!(call["result"]["content"][0]["text"], "2025", "{call}");

    let modern = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
        "name": "echo", "arguments": {"text": "2026"},
        "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                  "io.modelcontextprotocol/clientCapabilities": {}}}});
    let resp = reqwest::Client::new()
        .post(&url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "echo")
        .json(&modern)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("mcp-session-id").is_none());
    let ct = resp.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
    let reply = messages(&ct, &resp.text().await.unwrap()).pop().unwrap();
    assert_eq!(reply["result"]["resultType"], "complete", "{reply}");
    assert_eq!(reply["result"]["content"][0]["text"], "2026", "{reply}");
}

#[tokio::test]
async fn one_app_serves_every_era() {
    let app = all_eras_app();
    let addr = spawn(app.clone()).await;
    streamable_round_trip(format!("http://{addr}/mcp")).await;
    round_trip(app, "").await;
}

#[tokio::test]
async fn every_era_under_a_prefix() {
    let nested = || axum::Router::new().nest("/mcp-server", all_eras_app());
    let addr = spawn(nested()).await;
    streamable_round_trip(format!("http://{addr}/mcp-server/mcp")).await;
    round_trip(nested(), "/mcp-server").await;
}

#[tokio::test]
async fn legacy_paths_are_configurable() {
    let options = HttpOptions::new()
        .path("/rpc")
        .legacy_sse(true)
        .sse_path("/events")
        .message_path("/inbox");
    assert_eq!(options.legacy_sse_path(), Some("/events"));
    let addr = spawn(router(server(), Vec::new(), options)).await;
    let stream = reqwest::Client::new()
        .get(format!("http://{addr}/events"))
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut events = common::event_channel(stream);
    let (name, endpoint) = events.recv().await.unwrap();
    assert_eq!(name, "endpoint");
    assert!(endpoint.starts_with("/inbox?session_id="), "{endpoint}");
    streamable_round_trip(format!("http://{addr}/rpc")).await;
    // The default app stays Streamable HTTP only.
    let addr = spawn(router(server(), Vec::new(), HttpOptions::new())).await;
    let sse = reqwest::Client::new()
        .get(format!("http://{addr}/sse"))
        .send()
        .await
        .unwrap();
    assert_eq!(sse.status(), 404);
}

#[test]
#[should_panic(expected = "the MCP endpoints clash at `/mcp`")]
fn clashing_legacy_path_is_refused() {
    let _ = router(
        server(),
        Vec::new(),
        HttpOptions::new().legacy_sse(true).sse_path("/mcp"),
    );
}
