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
