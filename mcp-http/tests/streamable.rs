//! Streamable HTTP over real sockets: the happy path, every transport error, sessions,
//! streams, progress, cancellation, stateless and JSON modes, mounting, DNS-rebinding.
#![allow(
    clippy::too_many_lines,
    reason = "a scenario reads top to bottom in the order of the exchange it checks"
)]

mod common;

use std::time::Duration;

use common::{initialize_body, mcp_headers, read_events, server, spawn, Client};
use quickmcp_http::{router, HttpOptions};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HOST, ORIGIN};
use serde_json::{json, Value};

async fn start(options: HttpOptions) -> String {
    let addr = spawn(router(server(), Vec::new(), options)).await;
    format!("http://{addr}/mcp")
}

async fn session(url: &str) -> Client {
    let mut client = Client::new(url.to_owned());
    client.initialize().await;
    client
}

async fn still_serving(client: &Client) {
    let pong = client.request(99, "ping", json!({})).await;
    assert_eq!(pong["result"], json!({}), "the server keeps serving");
}

#[tokio::test]
async fn initialize_list_and_call() {
    let url = start(HttpOptions::new()).await;
    let mut client = Client::new(url);
    let init = client.initialize().await;
    assert_eq!(init["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(init["result"]["serverInfo"]["name"], "test-server");
    assert!(init["result"]["capabilities"]["tools"].is_object());
    let id = client.session.clone().expect("a session id");
    assert!(id.len() >= 32 && id.bytes().all(|b| (0x21..=0x7e).contains(&b)));

    let list = client.request(1, "tools/list", json!({})).await;
    let names: Vec<&str> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["echo", "slow"]);

    let call = client
        .request(
            2,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "hi"}}),
        )
        .await;
    assert_eq!(
        call["result"]["content"][0],
        json!({"type": "text", "text": "hi"})
    );

    let unknown = client
        .request(3, "tools/call", json!({"name": "nope"}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602);
    assert!(unknown["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nope"));

    let missing = client.request(4, "no/such/method", json!({})).await;
    assert_eq!(missing["error"]["code"], -32601);
}

/// `pretty()`: a tool whose input schema is pretty-printed JSON text, as users paste it.
struct Pretty;

impl quickmcp_core::ToolHandler for Pretty {
    fn definition(&self) -> quickmcp_core::ToolDefinition {
        let schema =
            "{\n  \"$defs\": {\"x\": {\"type\": \"string\"}},\r\n  \"type\": \"object\"\n}\n";
        quickmcp_core::ToolDefinition::new("pretty", "A pretty schema.")
            .input_schema_json(schema)
            .unwrap()
    }
    fn call(
        &self,
        _: quickmcp_core::Arguments<'_>,
        _: &quickmcp_core::CallContext,
    ) -> quickmcp_core::ToolFuture {
        quickmcp_core::ToolFuture::ready("ok")
    }
}

#[tokio::test]
async fn a_hand_written_multi_line_schema_is_listed_in_one_sse_event() {
    let mcp = server();
    mcp.add_tool(std::sync::Arc::new(Pretty)).unwrap();
    let addr = spawn(router(mcp, Vec::new(), HttpOptions::new())).await;
    let client = session(&format!("http://{addr}/mcp")).await;
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"});
    let body = client
        .post(&list)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Before the fix the schema's line breaks ended the `data:` line early: the client read
    // `{"jsonrpc":...,"inputSchema":{` as the event and never got a response.
    let events: Vec<&str> = body.split("\n\n").filter(|e| !e.is_empty()).collect();
    assert_eq!(events.len(), 1, "one event: {body:?}");
    let data: Vec<&str> = events[0]
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .collect();
    assert_eq!(data.len(), 1, "one data line: {body:?}");
    let response: Value = serde_json::from_str(data[0]).expect("the data is the whole response");
    let tool = &response["result"]["tools"][2];
    assert_eq!(tool["name"], "pretty");
    assert_eq!(
        tool["inputSchema"],
        json!({"$defs": {"x": {"type": "string"}}, "type": "object"})
    );
    assert!(
        data[0].contains(r#""inputSchema":{"$defs":{"x":{"type":"string"}},"type":"object"}"#),
        "served as written, key order kept: {}",
        data[0]
    );
}

#[tokio::test]
async fn negotiates_versions() {
    let url = start(HttpOptions::new()).await;
    let client = Client::new(url);
    for (asked, answered) in [
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2024-11-05"),
        ("1999-01-01", "2025-11-25"),
    ] {
        let (status, msgs) = client.send(&initialize_body(asked)).await;
        assert_eq!(status, 200);
        assert_eq!(
            msgs[0]["result"]["protocolVersion"], answered,
            "asked {asked}"
        );
    }
}

#[tokio::test]
async fn answers_sse_by_default_and_json_on_request() {
    let url = start(HttpOptions::new()).await;
    let resp = Client::new(url)
        .post(&initialize_body("2025-11-25"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()[CONTENT_TYPE], "text/event-stream");
    let body = resp.text().await.unwrap();
    assert!(
        body.starts_with("event: message\ndata: {") && body.ends_with("}\n\n"),
        "{body}"
    );

    let url = start(HttpOptions::new().json_response(true)).await;
    let mut client = Client::new(url);
    client.initialize().await;
    let resp = client
        .post(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"jsonrpc": "2.0", "id": 1, "result": {}})
    );
}

#[tokio::test]
async fn transport_errors_have_the_right_status_and_leave_the_server_serving() {
    let url = start(HttpOptions::new().body_limit(1024)).await;
    let client = session(&url).await;
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"});
    let session_id = client.session.clone().unwrap();

    let only_json = client
        .http
        .post(&url)
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .header("mcp-session-id", &session_id)
        .json(&ping)
        .send()
        .await
        .unwrap();
    assert_eq!(only_json.status(), 406);
    let text = client
        .http
        .post(&url)
        .header(ACCEPT, "application/json, text/event-stream")
        .header(CONTENT_TYPE, "text/plain")
        .header("mcp-session-id", &session_id)
        .body(ping.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    let bad_json = client
        .http
        .post(&url)
        .headers(mcp_headers())
        .header("mcp-session-id", &session_id)
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert_eq!(
        bad_json.json::<Value>().await.unwrap()["error"]["code"],
        -32700
    );
    let no_session = client
        .http
        .post(&url)
        .headers(mcp_headers())
        .json(&ping)
        .send()
        .await
        .unwrap();
    assert_eq!(no_session.status(), 400);
    assert!(no_session.text().await.unwrap().contains("Mcp-Session-Id"));
    let unknown = client
        .http
        .post(&url)
        .headers(mcp_headers())
        .header("mcp-session-id", "nope")
        .json(&ping)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let huge = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "x".repeat(4096)}}});
    assert_eq!(client.post(&huge).send().await.unwrap().status(), 413);
    let wrong_version = client
        .http
        .post(&url)
        .headers(mcp_headers())
        .header("mcp-session-id", &session_id)
        .header("mcp-protocol-version", "1999-01-01")
        .json(&ping)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_version.status(), 400);
    assert_eq!(client.http.put(&url).send().await.unwrap().status(), 405);
    let null_id = client
        .send(&json!({"jsonrpc": "2.0", "id": null, "method": "ping"}))
        .await;
    assert_eq!(
        (null_id.0, null_id.1[0]["error"]["code"].clone()),
        (400, json!(-32600))
    );
    let batch = client
        .send(&json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]))
        .await;
    assert_eq!(batch.0, 400);
    let not_object = client
        .request(5, "tools/call", json!({"name": "echo", "arguments": [1]}))
        .await;
    assert_eq!(not_object["error"]["code"], -32602);

    still_serving(&client).await;
}

#[tokio::test]
async fn delete_ends_a_session() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let id = client.session.clone().unwrap();
    let deleted = client
        .http
        .delete(&url)
        .header("mcp-session-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    let (status, _) = client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!(status, 404, "a deleted session is gone");
    let again = client
        .http
        .delete(&url)
        .header("mcp-session-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    assert_eq!(client.http.delete(&url).send().await.unwrap().status(), 405);
}

#[tokio::test]
async fn notifications_and_responses_get_202() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let (status, body) = client
        .send(&json!({"jsonrpc": "2.0", "method": "notifications/whatever"}))
        .await;
    assert_eq!((status, body.len()), (202, 0));
    let (status, _) = client
        .send(&json!({"jsonrpc": "2.0", "id": "s1", "result": {}}))
        .await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn standalone_stream_opens_once_per_session() {
    let url = start(HttpOptions::new().keep_alive(Duration::from_millis(50))).await;
    let client = session(&url).await;
    let id = client.session.clone().unwrap();
    let get = || {
        client
            .http
            .get(&url)
            .header(ACCEPT, "text/event-stream")
            .header("mcp-session-id", &id)
    };
    let first = get().send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()[CONTENT_TYPE], "text/event-stream");
    assert_eq!(get().send().await.unwrap().status(), 409);
    let mut stream = first.bytes_stream();
    let priming = tokio::time::timeout(
        Duration::from_secs(2),
        futures_util::StreamExt::next(&mut stream),
    )
    .await;
    assert_eq!(
        &priming.unwrap().unwrap().unwrap()[..],
        b"id: 0-0\nretry: 1000\ndata: \n\n",
        "2025-11-25 streams start with a priming event"
    );
    let chunk = tokio::time::timeout(
        Duration::from_secs(2),
        futures_util::StreamExt::next(&mut stream),
    )
    .await;
    assert_eq!(&chunk.unwrap().unwrap().unwrap()[..], b": keep-alive\n\n");
    drop(stream);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        get().send().await.unwrap().status(),
        200,
        "closing the stream frees the slot"
    );
    let no_accept = client
        .http
        .get(&url)
        .header(ACCEPT, "application/json")
        .header("mcp-session-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(no_accept.status(), 406);
}

#[tokio::test]
async fn progress_and_logs_stream_before_the_result() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "slow", "arguments": {"steps": 3}, "_meta": {"progressToken": "tok"}}});
    let resp = client.post(&call).send().await.unwrap();
    let events = read_events(resp, |_| false).await;
    let msgs: Vec<Value> = events
        .iter()
        .map(|(_, d)| serde_json::from_str(d).unwrap())
        .collect();
    let progress: Vec<f64> = msgs
        .iter()
        .filter(|m| m["method"] == "notifications/progress")
        .map(|m| {
            assert_eq!(m["params"]["progressToken"], "tok");
            m["params"]["progress"].as_f64().unwrap()
        })
        .collect();
    assert_eq!(progress, [1.0, 2.0, 3.0]);
    assert_eq!(
        msgs.iter()
            .filter(|m| m["method"] == "notifications/message")
            .count(),
        3
    );
    let last = msgs.last().unwrap();
    assert_eq!(last["id"], 7);
    assert_eq!(last["result"]["content"][0]["text"], "done after 3 steps");
}

#[tokio::test]
async fn log_level_filters_messages() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let set = client
        .request(1, "logging/setLevel", json!({"level": "error"}))
        .await;
    assert_eq!(set["result"], json!({}));
    let (_, msgs) = client.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "slow", "arguments": {"steps": 2}}})).await;
    assert!(
        msgs.iter().all(|m| m["method"] != "notifications/message"),
        "info is below error: {msgs:?}"
    );
    let bad = client
        .request(3, "logging/setLevel", json!({"level": "loud"}))
        .await;
    assert_eq!(bad["error"]["code"], -32602);
}

#[tokio::test]
async fn cancellation_stops_the_call_without_a_response() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let call = json!({"jsonrpc": "2.0", "id": 42, "method": "tools/call", "params": {"name": "slow", "arguments": {"steps": 0}}});
    let resp = client.post(&call).send().await.unwrap();
    let reader = tokio::spawn(read_events(resp, |_| false));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, _) = client.send(&json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 42, "reason": "test"}})).await;
    assert_eq!(status, 202);
    let events = tokio::time::timeout(Duration::from_secs(3), reader)
        .await
        .expect("the stream ends")
        .unwrap();
    assert!(!events.is_empty(), "it was running");
    assert!(
        events.iter().all(|(_, d)| !d.contains("\"id\":42")),
        "no response after cancellation"
    );
    still_serving(&client).await;
}

#[tokio::test]
async fn stateless_mode_has_no_sessions() {
    let url = start(HttpOptions::new().stateless(true)).await;
    let client = Client::new(url.clone());
    let resp = client
        .post(&initialize_body("2025-11-25"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("mcp-session-id").is_none());
    let call = client
        .request(
            1,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "x"}}),
        )
        .await;
    assert_eq!(call["result"]["content"][0]["text"], "x");
    assert_eq!(
        client
            .http
            .get(&url)
            .header(ACCEPT, "text/event-stream")
            .send()
            .await
            .unwrap()
            .status(),
        405
    );
    assert_eq!(client.http.delete(&url).send().await.unwrap().status(), 405);
}

#[tokio::test]
async fn session_cap_answers_503() {
    let server = server();
    server.configure_sessions(quickmcp_core::SessionConfig {
        max_sessions: 1,
        ..Default::default()
    });
    let addr = spawn(router(server, Vec::new(), HttpOptions::new())).await;
    let client = Client::new(format!("http://{addr}/mcp"));
    assert_eq!(
        client
            .post(&initialize_body("2025-11-25"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let refused = client
        .post(&initialize_body("2025-11-25"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert!(refused.text().await.unwrap().contains("session limit"));
}

#[tokio::test]
async fn dns_rebinding_protection_names_the_setting() {
    let url = start(HttpOptions::new()).await;
    let client = Client::new(url.clone());
    let evil = client
        .post(&initialize_body("2025-11-25"))
        .header(HOST, "evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    assert!(evil.text().await.unwrap().contains("allowed_hosts"));
    let evil_origin = client
        .post(&initialize_body("2025-11-25"))
        .header(ORIGIN, "http://evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(evil_origin.status(), 403);
    let local_origin = client
        .post(&initialize_body("2025-11-25"))
        .header(ORIGIN, "http://localhost:1234")
        .send()
        .await
        .unwrap();
    assert_eq!(local_origin.status(), 200);

    let open = start(HttpOptions::new().allowed_hosts(["evil.example.com"])).await;
    let allowed = Client::new(open)
        .post(&initialize_body("2025-11-25"))
        .header(HOST, "evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
}

#[tokio::test]
async fn mounts_at_any_depth_without_startup_calls() {
    let mcp = router(server(), Vec::new(), HttpOptions::new());
    let inner = axum::Router::new().nest("/inner", mcp);
    let app = axum::Router::new()
        .route("/status", axum::routing::get(|| async { "up" }))
        .nest("/outer", inner);
    let addr = spawn(app).await;
    let mut client = Client::new(format!("http://{addr}/outer/inner/mcp"));
    client.initialize().await;
    let call = client
        .request(
            1,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": "deep"}}),
        )
        .await;
    assert_eq!(call["result"]["content"][0]["text"], "deep");
    let status = reqwest::get(format!("http://{addr}/status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "up");
}

#[tokio::test]
async fn custom_path_replaces_mcp() {
    let addr = spawn(router(
        server(),
        Vec::new(),
        HttpOptions::new().path("/custom-mcp-path"),
    ))
    .await;
    let mut client = Client::new(format!("http://{addr}/custom-mcp-path"));
    client.initialize().await;
    let old = reqwest::Client::new()
        .post(format!("http://{addr}/mcp"))
        .headers(mcp_headers())
        .json(&initialize_body("2025-11-25"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 404);
}

#[tokio::test]
async fn graceful_shutdown_closes_streams() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(server(), Vec::new(), HttpOptions::new());
    let serving = tokio::spawn(quickmcp_http::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    let client = session(&format!("http://{addr}/mcp")).await;
    let stream = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let reading = tokio::spawn(read_events(stream, |_| false));
    stop.send(()).unwrap();
    let served = tokio::time::timeout(Duration::from_secs(5), serving)
        .await
        .expect("serve returns");
    assert!(served.unwrap().is_ok());
    tokio::time::timeout(Duration::from_secs(2), reading)
        .await
        .expect("the stream ended")
        .unwrap();
}

/// A burst of calls as the first requests a fresh server gets, on a multi-thread runtime:
/// every one must find its tool (the registry's first rebuild races its readers).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_first_calls_finds_every_tool() {
    for run in 0..15 {
        let url = start(HttpOptions::new().stateless(true).json_response(true)).await;
        let http = reqwest::Client::new();
        let calls = (0..8).map(|id| {
            let body = json!({"jsonrpc":"2.0","id":id,"method":"tools/call",
                "params":{"name":"echo","arguments":{"text":"hi"}}});
            http.post(&url).headers(mcp_headers()).json(&body).send()
        });
        for answer in futures_util::future::join_all(calls).await {
            let answer: Value = answer.unwrap().json().await.unwrap();
            assert_eq!(
                answer["result"]["content"][0]["text"], "hi",
                "run {run}: {answer}"
            );
        }
    }
}
