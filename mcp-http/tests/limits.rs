//! The app-wide cap on long-lived SSE streams (`HttpOptions::max_streams`): standalone GET
//! streams, legacy SSE connections and `subscriptions/listen` share it, one more is refused
//! with 503, and a closed stream gives its place back.

mod common;

use std::time::Duration;

use common::{spawn, Client};
use quickmcp_http::{router, HttpOptions};

async fn get_stream(client: &Client) -> reqwest::Response {
    let mut request = client
        .http
        .get(&client.url)
        .header("accept", "text/event-stream");
    if let Some(session) = &client.session {
        request = request
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", "2025-11-25");
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_past_the_cap_get_503_and_a_closed_one_frees_its_place() {
    let options = HttpOptions::new().max_streams(2).legacy_sse(true);
    let addr = spawn(router(common::server(), Vec::new(), options)).await;
    let url = format!("http://{addr}/mcp");
    let mut clients = Vec::new();
    for _ in 0..3 {
        let mut client = Client::new(url.clone());
        client.initialize().await;
        clients.push(client);
    }
    let first = get_stream(&clients[0]).await;
    assert_eq!(first.status(), 200);
    // A legacy SSE connection takes the second place.
    let legacy = clients[0]
        .http
        .get(format!("http://{addr}/sse"))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), 200);
    let refused = get_stream(&clients[1]).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], -32010, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("2 streams open"), "{message}");
    // The session's own POSTs are not streams: they go on.
    let ping = clients[1].request(1, "ping", serde_json::json!({})).await;
    assert_eq!(ping["result"], serde_json::json!({}), "{ping}");
    // Closing the GET stream gives its place back, once the server sees it gone.
    drop(first);
    let reopened = async {
        loop {
            let response = get_stream(&clients[2]).await;
            if response.status() == 200 {
                return response;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let reopened = tokio::time::timeout(Duration::from_secs(5), reopened)
        .await
        .expect("a closed stream frees its place");
    assert_eq!(reopened.status(), 200);
    drop(legacy);
}

/// `test://watched`, for subscriptions.
struct Watched;

impl quickmcp_core::ResourceHandler for Watched {
    fn definition(&self) -> quickmcp_core::ResourceDefinition {
        quickmcp_core::ResourceDefinition::new("test://watched", "watched")
    }
    fn read(
        &self,
        uri: &str,
        _: &quickmcp_core::CallContext<'_>,
    ) -> quickmcp_core::Reply<quickmcp_core::ReadResourceResult> {
        quickmcp_core::Reply::ready(Ok(quickmcp_core::ReadResourceResult {
            contents: vec![quickmcp_core::ResourceContents::Text {
                uri: uri.into(),
                mime_type: None,
                text: "x".into(),
            }],
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_costs_a_bounded_backlog_and_other_sessions_go_on() {
    let server = common::server();
    server.add_resource(std::sync::Arc::new(Watched)).unwrap();
    let options = HttpOptions::new().stream_backlog(16 << 10);
    let addr = spawn(router(server.clone(), Vec::new(), options)).await;
    let url = format!("http://{addr}/mcp");
    let mut stalled = Client::new(url.clone());
    stalled.initialize().await;
    let subscribe = serde_json::json!({"uri": "test://watched"});
    stalled.request(1, "resources/subscribe", subscribe).await;
    // The stream is opened and never read.
    let stream = get_stream(&stalled).await;
    assert_eq!(stream.status(), 200);
    // Updates pile up: the socket's buffers fill, then the stream's backlog, then the
    // server refuses the rest instead of holding them.
    let mut refused_after = None;
    for sent in 0..400_000 {
        if server.notify_resource_updated("test://watched") == 0 {
            refused_after = Some(sent);
            break;
        }
        if sent % 1_000 == 0 {
            tokio::task::yield_now().await;
        }
    }
    let refused_after = refused_after.expect("a client that never reads is refused at some point");
    assert!(refused_after > 0, "the first updates go out");
    // Another session is served meanwhile.
    let mut other = Client::new(url.clone());
    other.initialize().await;
    let ping = other.request(2, "ping", serde_json::json!({})).await;
    assert_eq!(ping["result"], serde_json::json!({}), "{ping}");
    // Once the client reads again, updates flow again.
    let mut stream = stream;
    let flowing = async {
        loop {
            let _ = stream.chunk().await;
            if server.notify_resource_updated("test://watched") == 1 {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), flowing)
        .await
        .expect("a reading client gets updates again");
}
