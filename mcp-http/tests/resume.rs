//! Resumable streams over real sockets: priming and retry, a tool closing its stream mid-call
//! (SSE polling), replay after a dropped connection, eviction, and memory freed with the session.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{initialize_body, mcp_headers, server, spawn, Client};
use futures_util::StreamExt;
use quickmcp_core::session::{EventStoreLimits, MemoryEventStore};
use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, McpServer, ToolDefinition, ToolFuture,
    ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use reqwest::header::ACCEPT;
use serde_json::{json, Value};

/// `test_reconnection`: reports progress, closes its SSE stream, then reports more and answers.
/// With `{"early": true}` it closes the stream on its first poll, before any `.await`.
struct Reconnection;

impl ToolHandler for Reconnection {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new(
            "test_reconnection",
            "Close the stream mid-call, then finish.",
        )
    }
    fn call(&self, mut args: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let early = args.take("early").is_some_and(|raw| raw.get() == "true");
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            if !early {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            ctx.report_progress(1.0, Some(3.0), Some("before")).await;
            let closed = ctx.close_sse_stream();
            tokio::time::sleep(Duration::from_millis(150)).await;
            ctx.report_progress(2.0, Some(3.0), Some("after")).await;
            ctx.report_progress(3.0, Some(3.0), Some("after")).await;
            format!("reconnected (closed: {closed})")
        })
    }
}

/// One SSE event as a client sees it.
#[derive(Debug, Default, Clone)]
struct Event {
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

impl Event {
    fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap()
    }
}

/// Reads every event of a response until it ends, or until `stop` says so, or 5 s pass.
async fn events_until(resp: reqwest::Response, stop: impl Fn(&[Event]) -> bool) -> Vec<Event> {
    let mut body = resp.bytes_stream();
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::sleep(Duration::from_secs(5));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            chunk = body.next() => match chunk {
                Some(Ok(bytes)) => buf.push_str(std::str::from_utf8(&bytes).unwrap()),
                _ => return events,
            },
            () = &mut deadline => panic!("stream still open after 5 s: {events:?}"),
        }
        while let Some(end) = buf.find("\n\n") {
            let raw: String = buf.drain(..end + 2).collect();
            if raw.starts_with(':') {
                continue;
            }
            let mut event = Event::default();
            for line in raw.lines() {
                if let Some(id) = line.strip_prefix("id: ") {
                    event.id = Some(id.to_owned());
                } else if let Some(retry) = line.strip_prefix("retry: ") {
                    event.retry = retry.parse().ok();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    event.data.push_str(data);
                }
            }
            events.push(event);
            if stop(&events) {
                return events;
            }
        }
    }
}

async fn all_events(resp: reqwest::Response) -> Vec<Event> {
    events_until(resp, |_| false).await
}

fn test_server() -> McpServer {
    let server = server();
    server.add_tool(Arc::new(Reconnection)).unwrap();
    server
}

async fn start(options: HttpOptions) -> String {
    start_with(test_server(), options).await
}

async fn start_with(server: McpServer, options: HttpOptions) -> String {
    let addr = spawn(router(server, Vec::new(), options)).await;
    format!("http://{addr}/mcp")
}

/// The test server, keeping the events of resumable streams in `store`.
fn storing_in(store: Arc<MemoryEventStore>) -> McpServer {
    let server = test_server();
    server.set_event_store(store);
    server
}

async fn session(url: &str) -> Client {
    let mut client = Client::new(url.to_owned());
    client.initialize().await;
    client
}

fn call(id: i64, tool: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": arguments, "_meta": {"progressToken": id}}})
}

fn resume(client: &Client, last_event_id: &str) -> reqwest::RequestBuilder {
    client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .header("mcp-protocol-version", "2025-11-25")
        .header("last-event-id", last_event_id)
}

fn progress_of(events: &[Event]) -> Vec<f64> {
    events
        .iter()
        .filter(|e| !e.data.is_empty())
        .map(Event::json)
        .filter(|m| m["method"] == "notifications/progress")
        .map(|m| m["params"]["progress"].as_f64().unwrap())
        .collect()
}

fn responses(events: &[Event], id: i64) -> Vec<Value> {
    events
        .iter()
        .filter(|e| !e.data.is_empty())
        .map(Event::json)
        .filter(|m| m["id"] == id)
        .collect()
}

#[tokio::test]
async fn slow_calls_start_with_a_priming_event_and_retry() {
    let url = start(HttpOptions::new().retry(Duration::from_millis(250))).await;
    let client = session(&url).await;
    let resp = client
        .post(&call(3, "slow", json!({"steps": 2})))
        .send()
        .await
        .unwrap();
    let events = all_events(resp).await;
    let priming = &events[0];
    assert_eq!(priming.data, "", "priming events carry no data");
    assert_eq!(priming.retry, Some(250));
    let stream = priming
        .id
        .as_deref()
        .unwrap()
        .split_once('-')
        .unwrap()
        .0
        .to_owned();
    let ids: Vec<&str> = events.iter().map(|e| e.id.as_deref().unwrap()).collect();
    assert!(
        ids.iter().all(|id| id.starts_with(&format!("{stream}-"))),
        "{ids:?}"
    );
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    assert_eq!(responses(&events, 3).len(), 1);

    let second = client
        .post(&call(4, "slow", json!({"steps": 1})))
        .send()
        .await
        .unwrap();
    let second = all_events(second).await;
    assert_ne!(
        second[0].id, events[0].id,
        "each POST stream has its own id space"
    );
}

#[tokio::test]
async fn immediate_answers_stay_one_body_without_ids() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let resp = client
        .post(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    assert!(body.starts_with("event: message\ndata: {"), "{body}");
    assert_eq!(body.matches("\n\n").count(), 1, "one event: {body}");
}

#[tokio::test]
async fn older_clients_get_ids_but_no_priming() {
    let url = start(HttpOptions::new()).await;
    let http = reqwest::Client::new();
    let init = http
        .post(&url)
        .headers(mcp_headers())
        .json(&initialize_body("2025-06-18"))
        .send()
        .await
        .unwrap();
    let id = init.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let resp = http
        .post(&url)
        .headers(mcp_headers())
        .header("mcp-session-id", &id)
        .header("mcp-protocol-version", "2025-06-18")
        .json(&call(5, "slow", json!({"steps": 2})))
        .send()
        .await
        .unwrap();
    let events = all_events(resp).await;
    assert!(
        events.iter().all(|e| !e.data.is_empty()),
        "no priming: {events:?}"
    );
    assert!(events.iter().all(|e| e.id.is_some() && e.retry.is_none()));
    assert_eq!(responses(&events, 5).len(), 1);
}

#[tokio::test]
async fn a_tool_closes_its_stream_and_the_call_finishes_on_the_resumed_get() {
    for early in [false, true] {
        closes_and_resumes(early).await;
    }
}

async fn closes_and_resumes(early: bool) {
    let url = start(HttpOptions::new().retry(Duration::from_millis(50))).await;
    let client = session(&url).await;
    let resp = client
        .post(&call(9, "test_reconnection", json!({"early": early})))
        .send()
        .await
        .unwrap();
    let before = all_events(resp).await;
    assert!(
        before[0].data.is_empty() && before[0].retry == Some(50),
        "{before:?}"
    );
    assert_eq!(progress_of(&before), [1.0]);
    assert!(
        responses(&before, 9).is_empty(),
        "the POST stream closed mid-call"
    );

    let last = before.last().unwrap().id.clone().unwrap();
    let resumed = resume(&client, &last).send().await.unwrap();
    assert_eq!(resumed.status(), 200);
    let after = all_events(resumed).await;
    assert_eq!(progress_of(&after), [2.0, 3.0], "the rest, once: {after:?}");
    let result = responses(&after, 9);
    assert_eq!(result.len(), 1);
    assert_eq!(
        result[0]["result"]["content"][0]["text"],
        "reconnected (closed: true)"
    );
    let mut ids: Vec<_> = before.iter().chain(&after).map(|e| e.id.clone()).collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "no event twice");
}

#[tokio::test]
async fn a_dropped_connection_is_replayed_from_the_last_id() {
    let url = start(HttpOptions::new()).await;
    let client = session(&url).await;
    let resp = client
        .post(&call(11, "slow", json!({"steps": 6})))
        .send()
        .await
        .unwrap();
    // Priming, then progress 1 and log 1, then progress 2: drop the connection there.
    let seen = events_until(resp, |events| progress_of(events).len() == 2).await;
    assert_eq!(progress_of(&seen), [1.0, 2.0]);
    let last = seen.last().unwrap().id.clone().unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;

    let rest = all_events(resume(&client, &last).send().await.unwrap()).await;
    assert_eq!(progress_of(&rest), [3.0, 4.0, 5.0, 6.0], "{rest:?}");
    let result = responses(&rest, 11);
    assert_eq!(result.len(), 1);
    assert_eq!(
        result[0]["result"]["content"][0]["text"],
        "done after 6 steps"
    );

    // Resuming again from the same id replays the same events: the store kept them.
    let again = all_events(resume(&client, &last).send().await.unwrap()).await;
    assert_eq!(progress_of(&again), [3.0, 4.0, 5.0, 6.0]);
}

#[tokio::test]
async fn unknown_and_evicted_ids_are_refused() {
    let store = Arc::new(MemoryEventStore::new(EventStoreLimits {
        per_session: 600,
        total: 1 << 20,
    }));
    let url = start_with(storing_in(store.clone()), HttpOptions::new()).await;
    let client = session(&url).await;
    for bad in ["nonsense", "99-1", "1-42"] {
        let resp = resume(&client, bad).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
        let body: Value = resp.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Last-Event-ID"),
            "{body}"
        );
    }
    let resp = client
        .post(&call(12, "slow", json!({"steps": 8})))
        .send()
        .await
        .unwrap();
    let events = all_events(resp).await;
    assert!(
        store.stored_bytes() <= 600,
        "bounded: {}",
        store.stored_bytes()
    );
    let priming = events[0].id.clone().unwrap();
    let evicted = resume(&client, &priming).send().await.unwrap();
    assert_eq!(evicted.status(), 400, "the first events were evicted");
    let body: Value = evicted.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("evicted"));
}

#[tokio::test]
async fn deleting_the_session_frees_its_events() {
    let store = Arc::new(MemoryEventStore::default());
    let url = start_with(storing_in(store.clone()), HttpOptions::new()).await;
    let client = session(&url).await;
    assert_eq!(store.sessions(), 0, "an idle session stores nothing");
    let resp = client
        .post(&call(13, "slow", json!({"steps": 2})))
        .send()
        .await
        .unwrap();
    all_events(resp).await;
    assert!(store.stored_bytes() > 0);
    let deleted = client
        .http
        .delete(&url)
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert_eq!((store.sessions(), store.stored_bytes()), (0, 0));
}

/// Resumes the standalone stream once the server has noticed the previous one closed (until
/// then the slot is taken: 409).
async fn resume_standalone(client: &Client, last_event_id: &str) -> reqwest::Response {
    for _ in 0..100 {
        let resp = resume(client, last_event_id).send().await.unwrap();
        if resp.status() != 409 {
            assert_eq!(resp.status(), 200);
            return resp;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the standalone stream slot was never freed");
}

#[tokio::test]
async fn the_standalone_stream_resumes_too() {
    let server = test_server();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    let client = session(&format!("http://{addr}/mcp")).await;
    let push = |n: i64| {
        let session = server
            .sessions()
            .get(client.session.as_deref().unwrap())
            .unwrap();
        let stream = session.stream().expect("a standalone stream is attached");
        stream.send(format!(r#"{{"jsonrpc":"2.0","method":"n","params":{{"n":{n}}}}}"#).into())
    };
    let open = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    // The stream is attached before the response head is sent.
    let reader = tokio::spawn(events_until(open, |events| events.len() == 3));
    assert!(push(1) && push(2));
    let first = reader.await.unwrap();
    let ids: Vec<_> = first.iter().map(|e| e.id.clone().unwrap()).collect();
    assert_eq!(ids, ["0-0", "0-1", "0-2"], "priming, then numbered events");

    let resumed = resume_standalone(&client, "0-1").await;
    let reader = tokio::spawn(events_until(resumed, |events| events.len() == 2));
    assert!(push(3));
    let rest = reader.await.unwrap();
    let got: Vec<_> = rest
        .iter()
        .map(|e| {
            (
                e.id.clone().unwrap(),
                e.json()["params"]["n"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("0-2".to_owned(), 2), ("0-3".to_owned(), 3)]);

    let from_start = resume_standalone(&client, "0-0").await;
    let all = events_until(from_start, |events| events.len() == 3).await;
    let ids: Vec<_> = all.iter().map(|e| e.id.clone().unwrap()).collect();
    assert_eq!(ids, ["0-1", "0-2", "0-3"], "0-0 replays everything stored");
}

#[tokio::test]
async fn json_and_stateless_modes_are_unchanged() {
    for options in [
        HttpOptions::new().json_response(true),
        HttpOptions::new().stateless(true),
    ] {
        let json_mode = format!("{options:?}").contains("json_response: true");
        let url = start(options).await;
        let client = session(&url).await;
        let resp = client
            .post(&call(14, "slow", json!({"steps": 2})))
            .send()
            .await
            .unwrap();
        let body = resp.text().await.unwrap();
        assert!(
            !body.contains("\nid: ") && !body.starts_with("id: "),
            "{body}"
        );
        if json_mode {
            assert!(body.starts_with('{'), "{body}");
        }
    }
}

#[tokio::test]
async fn resumability_can_be_turned_off() {
    let url = start(HttpOptions::new().resumable(false)).await;
    let client = session(&url).await;
    let resp = client
        .post(&call(15, "test_reconnection", json!({})))
        .send()
        .await
        .unwrap();
    let events = all_events(resp).await;
    assert!(events.iter().all(|e| e.id.is_none()));
    let result = responses(&events, 15);
    assert_eq!(
        result[0]["result"]["content"][0]["text"], "reconnected (closed: false)",
        "the stream stayed open"
    );
}
