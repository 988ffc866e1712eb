//! `McpServer::layer` with tower's own layers, over Streamable HTTP: a timeout, a concurrency
//! limit (also while a call waits on its client), a rate limit shared by two sessions, load
//! shedding, and a custom layer that reads the request.

mod common;

use quickmcp_core::layer::in_flight::InFlightLimitLayer;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{event_channel, spawn, Client};
use parking_lot::Mutex;
use quickmcp_core::{
    Arguments, CallContext, Context, Era, FromCallContext, McpRequest, McpServer, ToolDefinition,
    ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};
use tokio::sync::{Notify, Semaphore};
use tower::limit::{ConcurrencyLimitLayer, RateLimitLayer};
use tower::load_shed::LoadShedLayer;
use tower::timeout::TimeoutLayer;

/// How long a test waits for something that should happen at once before it fails.
const PATIENCE: Duration = Duration::from_secs(5);

/// `hold`: waits for the test to release one permit, counting the calls inside at once.
#[derive(Clone)]
struct Hold {
    release: Arc<Semaphore>,
    inside: Arc<AtomicUsize>,
    most_inside: Arc<AtomicUsize>,
    entered: Arc<AtomicUsize>,
    changed: Arc<Notify>,
}

impl Default for Hold {
    fn default() -> Self {
        Self {
            release: Arc::new(Semaphore::new(0)),
            inside: Arc::default(),
            most_inside: Arc::default(),
            entered: Arc::default(),
            changed: Arc::default(),
        }
    }
}

impl Hold {
    /// Waits (boundedly) until `n` calls have entered the tool in all.
    async fn entered(&self, n: usize) {
        let wait = async {
            loop {
                let notified = self.changed.notified();
                if self.entered.load(Ordering::SeqCst) >= n {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(PATIENCE, wait)
            .await
            .unwrap_or_else(|_| panic!("{n} calls should have entered `hold`"));
    }
}

impl ToolHandler for Hold {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("hold", "Waits to be released.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let hold = self.clone();
        ToolFuture::pending(async move {
            let now = hold.inside.fetch_add(1, Ordering::SeqCst) + 1;
            hold.most_inside.fetch_max(now, Ordering::SeqCst);
            hold.entered.fetch_add(1, Ordering::SeqCst);
            hold.changed.notify_waiters();
            hold.release.acquire().await.unwrap().forget();
            hold.inside.fetch_sub(1, Ordering::SeqCst);
            "released"
        })
    }
}

/// `ask`: samples the client's model and answers with what it said.
struct Ask;

impl ToolHandler for Ask {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask", "Asks the client's model.")
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let said = ctx.sample_text("2+2?", 10).await.map_err(|e| e.to_string());
            said.map(|text| format!("model said {text}"))
        })
    }
}

fn server(hold: &Hold) -> McpServer {
    let server = common::server();
    server.add_tool(Arc::new(hold.clone())).unwrap();
    server.add_tool(Arc::new(Ask)).unwrap();
    server
}

async fn start(server: McpServer, options: HttpOptions) -> String {
    format!(
        "http://{}/mcp",
        spawn(router(server, Vec::new(), options)).await
    )
}

async fn session(url: &str) -> Client {
    let mut client = Client::new(url.to_owned());
    client.initialize_with(json!({"sampling": {}})).await;
    client
}

fn call(id: i64, tool: &str, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": tool, "arguments": arguments}})
}

/// POSTs `body` and returns the status, headers and the response to request `id`.
async fn exchange(
    client: &Client,
    id: i64,
    body: &Value,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let resp = client.post(body).send().await.unwrap();
    let headers = resp.headers().clone();
    let (status, messages) = common::reply(resp).await;
    let answer = messages
        .into_iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no response to {id} (HTTP {status})"));
    (status, headers, answer)
}

async fn echo(client: &Client, id: i64, text: &str) {
    let answer = client
        .request(
            id,
            "tools/call",
            json!({"name": "echo", "arguments": {"text": text}}),
        )
        .await;
    assert_eq!(answer["result"]["content"][0]["text"], text, "{answer}");
}

fn assert_timed_out(answer: &Value) {
    assert_eq!(answer["error"]["code"], -32001, "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("timed out"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_layer_answers_32001_and_the_session_serves_on() {
    // On an SSE response the status went out with the stream: 200, the error as its last
    // event. A JSON response is written after the call: 504.
    for (json_response, status) in [(false, 200), (true, 504)] {
        let hold = Hold::default();
        let server = server(&hold);
        server.layer(TimeoutLayer::new(Duration::from_millis(200)));
        let url = start(server, HttpOptions::new().json_response(json_response)).await;
        let client = session(&url).await;
        let slow = call(1, "slow", json!({"steps": 0}));
        let (got, _, answer) = exchange(&client, 1, &slow).await;
        assert_eq!(got, status, "json_response {json_response}: {answer}");
        assert_timed_out(&answer);
        echo(&client, 2, "still serving").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrency_limit_queues_the_excess_calls_and_runs_them_all() {
    let hold = Hold::default();
    let server = server(&hold);
    server.layer(ConcurrencyLimitLayer::new(2));
    let url = start(server, HttpOptions::new()).await;
    let (one, two) = (session(&url).await, session(&url).await);
    let clients = [one, two].map(Arc::new);
    let calls: Vec<_> = (0..5)
        .map(|id| {
            let client = clients[id as usize % 2].clone();
            tokio::spawn(async move { exchange(&client, id, &call(id, "hold", json!({}))).await })
        })
        .collect();
    hold.entered(2).await;
    hold.release.add_permits(5);
    for running in calls {
        let (status, _, answer) = tokio::time::timeout(PATIENCE, running)
            .await
            .expect("every queued call completes")
            .unwrap();
        assert_eq!(status, 200);
        assert_eq!(
            answer["result"]["content"][0]["text"], "released",
            "{answer}"
        );
    }
    assert_eq!(hold.entered.load(Ordering::SeqCst), 5);
    assert_eq!(hold.most_inside.load(Ordering::SeqCst), 2, "the limit held");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_concurrency_limit_still_takes_the_clients_answers() {
    let hold = Hold::default();
    let server = server(&hold);
    server.layer(ConcurrencyLimitLayer::new(1));
    let url = start(server.clone(), HttpOptions::new()).await;
    let client = Arc::new(session(&url).await);
    // `ask` takes the only slot and waits on the client; `echo` queues behind it.
    let resp = client
        .post(&call(1, "ask", json!({})))
        .send()
        .await
        .unwrap();
    let mut events = event_channel(resp);
    let (_, data) = tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("the sampling request in time")
        .unwrap();
    let request: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(request["method"], "sampling/createMessage");
    let queued = {
        let client = client.clone();
        tokio::spawn(async move {
            exchange(&client, 2, &call(2, "echo", json!({"text": "after"}))).await
        })
    };
    // The answer is a response, which no layer holds back: it reaches `ask` past the limit.
    let answer = json!({"jsonrpc": "2.0", "id": request["id"], "result": {
        "role": "assistant", "content": {"type": "text", "text": "4"}, "model": "m"}});
    assert_eq!(client.send(&answer).await, (202, Vec::new()));
    let (_, data) = tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("the tool's result in time")
        .unwrap();
    let result: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(
        result["result"]["content"][0]["text"], "model said 4",
        "{result}"
    );
    let (_, _, echoed) = tokio::time::timeout(PATIENCE, queued)
        .await
        .expect("the queued call runs once the slot is free")
        .unwrap();
    assert_eq!(echoed["result"]["content"][0]["text"], "after", "{echoed}");
    assert!(server.pending_requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_is_shared_by_every_session_of_the_server() {
    let hold = Hold::default();
    let server = server(&hold);
    // Four requests an hour, shed beyond: a second session's call is refused, not delayed.
    server.layer(RateLimitLayer::new(4, Duration::from_secs(3600)));
    server.layer(LoadShedLayer::new());
    let url = start(server, HttpOptions::new()).await;
    let first = session(&url).await; // 1: initialize
    let second = session(&url).await; // 2: initialize
    echo(&first, 1, "three").await;
    echo(&first, 2, "four").await;
    // `second` made one request of its own: only the first session's use spent the budget.
    let (status, headers, answer) =
        exchange(&second, 3, &call(3, "echo", json!({"text": "no"}))).await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(headers["retry-after"], "1");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("overloaded"),
        "{answer}"
    );
    let (status, _, _) = exchange(&first, 4, &call(4, "echo", json!({"text": "no"}))).await;
    assert_eq!(status, 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_over_a_rate_limit_wait_for_the_next_period_on_every_session() {
    let hold = Hold::default();
    let server = server(&hold);
    server.layer(RateLimitLayer::new(1, Duration::from_millis(50)));
    let url = start(server, HttpOptions::new()).await;
    let clients = [session(&url).await, session(&url).await].map(Arc::new);
    let calls: Vec<_> = (0..6)
        .map(|id| {
            let client = clients[id as usize % 2].clone();
            tokio::spawn(async move { echo(&client, id, &format!("call {id}")).await })
        })
        .collect();
    for running in calls {
        tokio::time::timeout(PATIENCE, running)
            .await
            .expect("a call over the rate waits for its turn, and gets it")
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_shedding_answers_503_with_retry_after_and_the_session_serves_on() {
    let hold = Hold::default();
    let server = server(&hold);
    server.layer(ConcurrencyLimitLayer::new(1));
    server.layer(LoadShedLayer::new());
    let url = start(server, HttpOptions::new()).await;
    let client = Arc::new(session(&url).await);
    let held = {
        let client = client.clone();
        tokio::spawn(async move { exchange(&client, 1, &call(1, "hold", json!({}))).await })
    };
    hold.entered(1).await;
    let (status, headers, answer) =
        exchange(&client, 2, &call(2, "echo", json!({"text": "x"}))).await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(answer["id"], 2);
    assert_eq!(answer["error"]["code"], -32603, "{answer}");
    // The same on the 2026 wire, which has no session: the limit is the server's.
    let modern = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
        "name": "echo", "arguments": {"text": "x"}, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {}}}});
    let resp = client
        .http
        .post(&client.url)
        .headers(common::mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "echo")
        .json(&modern)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["retry-after"], "1");
    let (status, messages) = common::reply(resp).await;
    assert_eq!(status, 503, "{messages:?}");
    assert_eq!(messages[0]["id"], 3, "{messages:?}");
    hold.release.add_permits(1);
    let (status, _, done) = tokio::time::timeout(PATIENCE, held).await.unwrap().unwrap();
    assert_eq!(
        (status, &done["result"]["content"][0]["text"]),
        (200, &json!("released"))
    );
    echo(&client, 4, "served again").await;
}

/// What a layer saw of one request.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    id: String,
    era: Era,
    session: Option<String>,
    params: Option<Value>,
    target: Option<String>,
}

fn recorder(seen: Arc<Mutex<Vec<Seen>>>) -> impl Fn(McpRequest) -> McpRequest + Clone {
    move |request: McpRequest| {
        seen.lock().push(Seen {
            method: request.method().to_owned(),
            id: request.id().to_string(),
            era: request.era(),
            session: request.cx().session_id().map(str::to_owned),
            params: request
                .params()
                .map(|p| serde_json::from_str(p.get()).unwrap()),
            target: request.target(),
        });
        request
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_layer_sees_method_id_era_session_and_params() {
    let hold = Hold::default();
    let server = server(&hold);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = recorder(seen.clone());
    server.layer(tower::layer::layer_fn(move |inner| {
        tower::ServiceExt::map_request(inner, record.clone())
    }));
    let url = start(server, HttpOptions::new()).await;
    let client = session(&url).await;
    echo(&client, 7, "seen").await;
    let seen = seen.lock().clone();
    let methods: Vec<_> = seen.iter().map(|s| s.method.as_str()).collect();
    assert_eq!(
        methods,
        ["initialize", "tools/call"],
        "notifications pass no layer"
    );
    assert_eq!(
        seen[1],
        Seen {
            method: "tools/call".into(),
            id: "7".into(),
            era: Era::V2025,
            session: client.session.clone(),
            params: Some(json!({"name": "echo", "arguments": {"text": "seen"}})),
            target: Some("echo".into()),
        }
    );
    assert_eq!(seen[0].session, None, "initialize opens the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_flight_limit_answers_429_per_session_and_503_for_the_server() {
    let hold = Hold::default();
    let server = server(&hold);
    let limit = InFlightLimitLayer::new(1, 2);
    server.layer(limit.clone());
    let url = start(server, HttpOptions::new()).await;
    let (first, second, third) = (
        Arc::new(session(&url).await),
        Arc::new(session(&url).await),
        session(&url).await,
    );
    let held = |client: &Arc<Client>, id: i64| {
        let client = client.clone();
        tokio::spawn(async move { exchange(&client, id, &call(id, "hold", json!({}))).await })
    };
    let first_held = held(&first, 1);
    hold.entered(1).await;
    // The session's own cap: 429, naming it; other sessions are not held up.
    let (status, headers, answer) =
        exchange(&first, 2, &call(2, "echo", json!({"text": "x"}))).await;
    assert_eq!(
        (status, &headers["retry-after"]),
        (429, &"1".parse().unwrap()),
        "{answer}"
    );
    assert_eq!(answer["error"]["code"], -32010, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("this session has 1 requests in flight"));
    let second_held = held(&second, 3);
    hold.entered(2).await;
    assert_eq!(limit.in_flight(), (2, 2));
    // The server's cap: 503.
    let (status, headers, answer) =
        exchange(&third, 4, &call(4, "echo", json!({"text": "x"}))).await;
    assert_eq!(
        (status, &headers["retry-after"]),
        (503, &"1".parse().unwrap()),
        "{answer}"
    );
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("the server has 2 requests in flight"));
    hold.release.add_permits(2);
    for held in [first_held, second_held] {
        let (status, _, done) = tokio::time::timeout(PATIENCE, held).await.unwrap().unwrap();
        assert_eq!(
            (status, &done["result"]["content"][0]["text"]),
            (200, &json!("released"))
        );
    }
    echo(&third, 5, "served again").await;
    assert_eq!(limit.in_flight(), (0, 0), "every place is given back");
}
