//! Custom stores over real sockets: a session store that keeps each session as JSON bytes and
//! answers later (as a networked store would), shared by two servers as by two processes of a
//! cluster; and an event store whose every call yields before it answers, behind a resumed
//! stream.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::{spawn, Client};
use futures_util::StreamExt;
use parking_lot::Mutex;
use quickmcp_core::session::{
    EventId, EventStore, MaybeReady, MemoryEventStore, Replay, ReplayError, SessionResult,
    SessionState, SessionStore, SessionStoreError,
};
use quickmcp_core::{McpServer, SessionConfig};
use quickmcp_http::{router, HttpOptions};
use reqwest::header::ACCEPT;
use serde_json::{json, Value};

/// Sessions as JSON bytes: nothing but what serde wrote survives between calls. Every call
/// yields once before it answers.
#[derive(Clone, Default)]
struct JsonSessionStore(Arc<Mutex<HashMap<String, Vec<u8>>>>);

impl JsonSessionStore {
    /// Runs `f` on the records after a yield, as a store across the network would answer.
    fn later<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut HashMap<String, Vec<u8>>) -> T + Send + 'static,
    ) -> SessionResult<T> {
        let records = self.0.clone();
        MaybeReady::new(async move {
            tokio::task::yield_now().await;
            Ok(f(&mut records.lock()))
        })
    }

    fn record(&self, id: &str) -> Option<SessionState> {
        let bytes = self.0.lock().get(id).cloned()?;
        Some(serde_json::from_slice(&bytes).expect("a stored record reads back"))
    }
}

fn bytes(state: &SessionState) -> Vec<u8> {
    serde_json::to_vec(state).expect("a session state serializes")
}

fn parse(bytes: &[u8]) -> SessionState {
    serde_json::from_slice(bytes).expect("a stored record reads back")
}

impl SessionStore for JsonSessionStore {
    fn create(&self, id: &str, state: SessionState) -> SessionResult<()> {
        let (id, state) = (id.to_owned(), bytes(&state));
        self.later(move |records| {
            records.insert(id, state);
        })
    }

    fn load(&self, id: &str) -> SessionResult<Option<SessionState>> {
        let id = id.to_owned();
        self.later(move |records| records.get(&id).map(|b| parse(b)))
    }

    fn save(&self, id: &str, state: SessionState) -> SessionResult<bool> {
        let (id, state) = (id.to_owned(), bytes(&state));
        self.later(move |records| match records.get_mut(&id) {
            Some(record) => {
                *record = state;
                true
            }
            None => false,
        })
    }

    fn touch(&self, id: &str, ttl: Duration) -> SessionResult<bool> {
        let id = id.to_owned();
        let now = quickmcp_core::session::now_millis();
        self.later(move |records| match records.get_mut(&id) {
            Some(record) => {
                let mut state = parse(record);
                state.refresh(now, ttl);
                *record = bytes(&state);
                true
            }
            None => false,
        })
    }

    fn delete(&self, id: &str) -> SessionResult<bool> {
        let id = id.to_owned();
        self.later(move |records| records.remove(&id).is_some())
    }

    fn len(&self) -> SessionResult<usize> {
        self.later(|records| records.len())
    }
}

/// A server over `store`, idle sessions refreshed every 100 ms.
fn over(store: &JsonSessionStore) -> McpServer {
    let server = common::server();
    server.set_session_store(Arc::new(store.clone()));
    server.configure_sessions(SessionConfig {
        idle_timeout: Duration::from_millis(1_600),
        ..SessionConfig::default()
    });
    server
}

/// Serves `server` with JSON bodies, or with SSE bodies when `sse`.
async fn serve(server: McpServer, sse: bool) -> String {
    let options = HttpOptions::new().json_response(!sse);
    let addr = spawn(router(server, Vec::new(), options)).await;
    format!("http://{addr}/mcp")
}

async fn url_of(server: McpServer) -> String {
    serve(server, false).await
}

fn tool_call(id: i64, name: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": name, "arguments": arguments}})
}

#[tokio::test]
async fn a_session_lives_in_a_serializing_store_shared_by_two_servers() {
    let store = JsonSessionStore::default();
    // A answers in SSE bodies, B in JSON ones: both wait for the store the same way.
    let (a, b) = (serve(over(&store), true).await, url_of(over(&store)).await);
    let mut on_a = Client::new(a);
    on_a.initialize().await;
    let id = on_a.session.clone().expect("a session id");
    let record = store.record(&id).expect("initialize stored the session");
    assert_eq!(record.client_info.unwrap().name, "test");

    on_a.request(1, "logging/setLevel", json!({"level": "error"}))
        .await;
    assert_eq!(
        store.record(&id).unwrap().log_level,
        Some(quickmcp_core::protocol::LoggingLevel::Error),
        "saved before the answer"
    );

    // Server B never saw this session: it rebuilds it from the bytes.
    let on_b = Client {
        session: Some(id.clone()),
        ..Client::new(b)
    };
    let params = json!({"uri": "file:///notes.txt"});
    on_b.request(2, "resources/subscribe", params).await;
    let record = store.record(&id).unwrap();
    assert_eq!(record.subscriptions, ["file:///notes.txt"]);
    assert_eq!(
        record.log_level,
        Some(quickmcp_core::protocol::LoggingLevel::Error),
        "B kept what A set"
    );

    // The slow tool logs at info: below the level A stored, so B sends no log messages.
    let (status, messages) = on_b.send(&tool_call(3, "slow", json!({"steps": 2}))).await;
    assert_eq!(status, 200, "{messages:?}");
    assert_eq!(
        messages[0]["result"]["content"][0]["text"],
        "done after 2 steps"
    );
    let echoed = on_b.request(
        4,
        "tools/call",
        json!({"name": "echo", "arguments": {"text": "hi"}}),
    );
    assert_eq!(echoed.await["result"]["content"][0]["text"], "hi");

    let deleted = on_b
        .http
        .delete(&on_b.url)
        .header("mcp-session-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(store.record(&id).is_none(), "DELETE removed the record");
    let (status, _) = on_b.send(&tool_call(5, "echo", json!({"text": "x"}))).await;
    assert_eq!(status, 404, "a deleted session is gone on B");
    // A still holds the handle; the first request after its refresh is due (every 100 ms
    // here) waits for the refresh, which finds the record gone.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let (status, _) = on_a.send(&tool_call(6, "echo", json!({"text": "x"}))).await;
    assert_eq!(status, 404, "and on A");
}

#[tokio::test]
async fn an_unknown_session_is_404_through_a_pending_store() {
    let store = JsonSessionStore::default();
    let url = url_of(over(&store)).await;
    let client = Client {
        session: Some("0123456789abcdef0123456789abcdef".into()),
        ..Client::new(url)
    };
    let (status, messages) = client
        .send(&tool_call(1, "echo", json!({"text": "x"})))
        .await;
    assert_eq!(status, 404, "{messages:?}");
    assert_eq!(messages[0]["error"]["code"], -32001);
}

/// The in-memory event store behind calls that each yield before answering.
struct YieldingEventStore(Arc<MemoryEventStore>);

fn after_yield<T: Send + 'static>(answer: MaybeReady<T>) -> MaybeReady<T> {
    let answer = answer.now().expect("memory answers at once");
    MaybeReady::new(async move {
        tokio::task::yield_now().await;
        answer
    })
}

impl EventStore for YieldingEventStore {
    fn open_stream(&self, session: &str) -> MaybeReady<u64> {
        after_yield(self.0.open_stream(session))
    }

    fn open_standalone(&self, session: &str) -> MaybeReady<EventId> {
        after_yield(self.0.open_standalone(session))
    }

    fn append(&self, session: &str, stream: u64, message: Bytes) -> MaybeReady<Option<EventId>> {
        // Applied when first polled, as a lazy networked store would.
        let (store, session) = (self.0.clone(), session.to_owned());
        MaybeReady::new(async move {
            tokio::task::yield_now().await;
            store.append(&session, stream, message).await
        })
    }

    fn finish(&self, session: &str, stream: u64) -> MaybeReady<()> {
        let (store, session) = (self.0.clone(), session.to_owned());
        MaybeReady::new(async move {
            tokio::task::yield_now().await;
            store.finish(&session, stream).await
        })
    }

    fn read_after(&self, session: &str, after: EventId) -> MaybeReady<Result<Replay, ReplayError>> {
        let (store, session) = (self.0.clone(), session.to_owned());
        MaybeReady::new(async move {
            tokio::task::yield_now().await;
            store.read_after(&session, after).await
        })
    }

    fn forget_session(&self, session: &str) -> MaybeReady<()> {
        after_yield(self.0.forget_session(session))
    }
}

/// Every SSE event (id, data) of a response, until `enough` or its end; 5 s at most.
async fn events(
    resp: reqwest::Response,
    enough: impl Fn(&[(String, String)]) -> bool,
) -> Vec<(String, String)> {
    let mut body = resp.bytes_stream();
    let (mut buf, mut out) = (String::new(), Vec::new());
    let deadline = tokio::time::sleep(Duration::from_secs(5));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            chunk = body.next() => match chunk {
                Some(Ok(bytes)) => buf.push_str(std::str::from_utf8(&bytes).unwrap()),
                _ => return out,
            },
            () = &mut deadline => panic!("stream still open after 5 s: {out:?}"),
        }
        while let Some(end) = buf.find("\n\n") {
            let raw: String = buf.drain(..end + 2).collect();
            let field = |name: &str| {
                raw.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(str::to_owned)
            };
            if let (Some(id), data) = (field("id: "), field("data: ").unwrap_or_default()) {
                out.push((id, data));
                if enough(&out) {
                    return out;
                }
            }
        }
    }
}

fn progress(events: &[(String, String)]) -> Vec<f64> {
    events
        .iter()
        .filter_map(|(_, data)| serde_json::from_str::<Value>(data).ok())
        .filter(|m| m["method"] == "notifications/progress")
        .map(|m| m["params"]["progress"].as_f64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_stream_resumes_from_an_event_store_that_answers_later() {
    let memory = Arc::new(MemoryEventStore::default());
    let server = common::server();
    server.set_event_store(Arc::new(YieldingEventStore(memory.clone())));
    let addr = spawn(router(server, Vec::new(), HttpOptions::new())).await;
    let mut client = Client::new(format!("http://{addr}/mcp"));
    client.initialize().await;
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "slow", "arguments": {"steps": 5}, "_meta": {"progressToken": 7}}});
    let resp = client.post(&call).send().await.unwrap();
    let seen = events(resp, |events| progress(events).len() == 2).await;
    assert_eq!(progress(&seen), [1.0, 2.0], "{seen:?}");
    let last = seen.last().unwrap().0.clone();

    let resumed = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .header("mcp-protocol-version", "2025-11-25")
        .header("last-event-id", &last)
        .send()
        .await
        .unwrap();
    assert_eq!(resumed.status(), 200);
    let rest = events(resumed, |_| false).await;
    assert_eq!(progress(&rest), [3.0, 4.0, 5.0], "the rest, once: {rest:?}");
    let answer = rest
        .iter()
        .filter_map(|(_, data)| serde_json::from_str::<Value>(data).ok())
        .find(|m| m["id"] == 7)
        .expect("the answer, replayed from the store");
    assert_eq!(answer["result"]["content"][0]["text"], "done after 5 steps");
    let mut ids: Vec<_> = seen.iter().chain(&rest).map(|(id, _)| id.clone()).collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "no event twice");
    assert!(
        memory.stored_bytes() > 0,
        "the events went through the store"
    );

    let unknown = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .header("last-event-id", "99-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        unknown.status().as_u16() / 100,
        4,
        "an id the store never gave"
    );
}

#[tokio::test]
async fn a_store_failure_at_initialize_is_a_clear_error() {
    struct Down;
    impl SessionStore for Down {
        fn create(&self, _: &str, _: SessionState) -> SessionResult<()> {
            MaybeReady::new(async { Err(SessionStoreError::Backend("connection refused".into())) })
        }
        fn load(&self, _: &str) -> SessionResult<Option<SessionState>> {
            MaybeReady::ready(Ok(None))
        }
        fn save(&self, _: &str, _: SessionState) -> SessionResult<bool> {
            MaybeReady::ready(Ok(false))
        }
        fn touch(&self, _: &str, _: Duration) -> SessionResult<bool> {
            MaybeReady::ready(Ok(false))
        }
        fn delete(&self, _: &str) -> SessionResult<bool> {
            MaybeReady::ready(Ok(false))
        }
        fn len(&self) -> SessionResult<usize> {
            MaybeReady::ready(Ok(0))
        }
    }
    let server = common::server();
    server.sessions().set_store(Arc::new(Down));
    let url = url_of(server).await;
    let client = Client::new(url);
    let (status, messages) = client.send(&common::initialize_body("2025-11-25")).await;
    assert_eq!(status, 500, "{messages:?}");
    let message = messages[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("session store failed: connection refused"),
        "{message}"
    );
}

#[tokio::test]
async fn the_standalone_stream_sends_each_event_once_stored_in_order() {
    let server = common::server();
    let memory = Arc::new(MemoryEventStore::default());
    server.set_event_store(Arc::new(YieldingEventStore(memory)));
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    let mut client = Client::new(format!("http://{addr}/mcp"));
    client.initialize().await;
    let id = client.session.clone().unwrap();
    let open = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", &id)
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);
    let reader = tokio::spawn(events(open, |events| events.len() == 4));
    let stream = server.sessions().get(&id).unwrap().stream().unwrap();
    for n in 1..=3 {
        let message = format!(r#"{{"jsonrpc":"2.0","method":"n","params":{{"n":{n}}}}}"#);
        assert!(stream.send(message.into()));
    }
    let got = reader.await.unwrap();
    let ids: Vec<_> = got.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["0-0", "0-1", "0-2", "0-3"], "priming, then in order");
    let n: Vec<_> = got[1..]
        .iter()
        .map(|(_, data)| serde_json::from_str::<Value>(data).unwrap()["params"]["n"].clone())
        .collect();
    assert_eq!(n, [1, 2, 3]);
}
