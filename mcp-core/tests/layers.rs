//! `McpServer::layer` with tower's own layers over stdio (`serve_lines` on an in-process
//! pipe): a timeout, a concurrency limit while a call waits on its client, load shedding, a
//! rate limit shared by two connections, and a custom layer that reads the request.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use quickmcp_core::layer::in_flight::InFlightLimitLayer;
use quickmcp_core::{
    Arguments, CallContext, Context, Era, FromCallContext, McpServer, ToolDefinition, ToolFuture,
    ToolHandler,
};
use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tokio::sync::Semaphore;
use tower::limit::{ConcurrencyLimitLayer, RateLimitLayer};
use tower::load_shed::LoadShedLayer;
use tower::timeout::TimeoutLayer;

/// `hold`: waits until the test releases it.
struct Hold(Arc<Semaphore>);

impl ToolHandler for Hold {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("hold", "Waits to be released.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let release = self.0.clone();
        ToolFuture::pending(async move {
            release.acquire().await.unwrap().forget();
            "released"
        })
    }
}

/// `upper(text)`: answers at once.
struct Upper;

impl ToolHandler for Upper {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("upper", "Uppercases `text`.")
    }
    fn call(&self, mut args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let text: String = args
            .take("text")
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or_default();
        ToolFuture::ready(text.to_uppercase())
    }
}

/// `ask`: samples the client's model.
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

fn server() -> (McpServer, Arc<Semaphore>) {
    let release = Arc::new(Semaphore::new(0));
    let server = McpServer::new("stdio-layers");
    server.add_tool(Arc::new(Hold(release.clone()))).unwrap();
    server.add_tool(Arc::new(Upper)).unwrap();
    server.add_tool(Arc::new(Ask)).unwrap();
    (server, release)
}

/// A client on one stdio connection of `server`.
struct Pipe {
    write: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
}

impl Pipe {
    async fn open(server: &McpServer) -> Self {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let service = server.service();
        tokio::spawn(async move {
            quickmcp_core::serve_lines(&service, server_read, server_write).await
        });
        let (read, write) = tokio::io::split(client_end);
        let mut pipe = Self {
            write,
            lines: BufReader::new(read).lines(),
        };
        pipe.send(json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"t","version":"1"}}})).await;
        assert_eq!(pipe.read().await["id"], 0);
        pipe.send(json!({"jsonrpc":"2.0","method":"notifications/initialized"}))
            .await;
        pipe
    }

    async fn send(&mut self, message: Value) {
        let line = format!("{message}\n");
        self.write.write_all(line.as_bytes()).await.unwrap();
    }

    async fn call(&mut self, id: i64, tool: &str, arguments: Value) {
        self.send(json!({"jsonrpc":"2.0","id":id,"method":"tools/call",
                         "params":{"name":tool,"arguments":arguments}}))
            .await;
    }

    /// The next message, within a bounded wait.
    async fn read(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(5), self.lines.next_line())
            .await
            .expect("a message in time")
            .unwrap()
            .expect("the server is still there");
        serde_json::from_str(&line).unwrap()
    }
}

fn text(answer: &Value) -> &str {
    answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_timeout_layer_answers_32001_and_the_connection_serves_on() {
    let (server, _release) = server();
    server.layer(TimeoutLayer::new(Duration::from_millis(200)));
    let mut pipe = Pipe::open(&server).await;
    pipe.call(1, "hold", json!({})).await;
    // The reader is not held up by the waiting call.
    pipe.call(2, "upper", json!({"text": "first"})).await;
    assert_eq!(text(&pipe.read().await), "FIRST");
    let timed_out = pipe.read().await;
    assert_eq!(timed_out["id"], 1, "{timed_out}");
    assert_eq!(timed_out["error"]["code"], -32001, "{timed_out}");
    assert!(timed_out["error"]["message"]
        .as_str()
        .unwrap()
        .contains("timed out"));
    pipe.call(3, "upper", json!({"text": "after"})).await;
    assert_eq!(text(&pipe.read().await), "AFTER");
}

#[tokio::test]
async fn a_full_concurrency_limit_still_takes_the_clients_answers() {
    let (server, _release) = server();
    server.layer(ConcurrencyLimitLayer::new(1));
    let mut pipe = Pipe::open(&server).await;
    pipe.call(1, "ask", json!({})).await;
    let request = pipe.read().await;
    assert_eq!(request["method"], "sampling/createMessage", "{request}");
    pipe.call(2, "upper", json!({"text": "queued"})).await;
    pipe.send(json!({"jsonrpc":"2.0","id":request["id"],"result":{
        "role":"assistant","content":{"type":"text","text":"4"},"model":"m"}}))
        .await;
    let (first, second) = (pipe.read().await, pipe.read().await);
    assert_eq!(
        (first["id"].clone(), text(&first)),
        (json!(1), "model said 4")
    );
    assert_eq!((second["id"].clone(), text(&second)), (json!(2), "QUEUED"));
    assert!(server.pending_requests().is_empty());
}

#[tokio::test]
async fn load_shedding_answers_an_error_and_the_connection_serves_on() {
    let (server, release) = server();
    server.layer(ConcurrencyLimitLayer::new(1));
    server.layer(LoadShedLayer::new());
    let mut pipe = Pipe::open(&server).await;
    pipe.call(1, "hold", json!({})).await;
    pipe.call(2, "upper", json!({"text": "shed"})).await;
    let shed = pipe.read().await;
    assert_eq!(shed["id"], 2, "{shed}");
    assert_eq!(shed["error"]["code"], -32603, "{shed}");
    assert!(shed["error"]["message"]
        .as_str()
        .unwrap()
        .contains("overloaded"));
    release.add_permits(1);
    assert_eq!(text(&pipe.read().await), "released");
    pipe.call(3, "upper", json!({"text": "again"})).await;
    assert_eq!(text(&pipe.read().await), "AGAIN");
}

#[tokio::test]
async fn a_rate_limit_is_shared_by_two_connections() {
    let (server, _release) = server();
    server.layer(RateLimitLayer::new(4, Duration::from_secs(3600)));
    server.layer(LoadShedLayer::new());
    let mut first = Pipe::open(&server).await; // 1: initialize
    let mut second = Pipe::open(&server).await; // 2: initialize
    for id in [1, 2] {
        first.call(id, "upper", json!({"text": "a"})).await;
        assert_eq!(text(&first.read().await), "A");
    }
    second.call(3, "upper", json!({"text": "b"})).await;
    let refused = second.read().await;
    assert_eq!(refused["id"], 3, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("overloaded"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_custom_layer_sees_the_request_on_both_eras() {
    let (server, _release) = server();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = {
        let seen = seen.clone();
        move |request: quickmcp_core::McpRequest| {
            seen.lock().push((
                request.method().to_owned(),
                request.id().to_string(),
                request.era(),
                request.cx().session_id().is_some(),
                request.target(),
            ));
            request
        }
    };
    server.layer(tower::layer::layer_fn(move |inner| {
        tower::ServiceExt::map_request(inner, record.clone())
    }));
    let mut pipe = Pipe::open(&server).await;
    pipe.call(1, "upper", json!({"text": "x"})).await;
    pipe.read().await;
    let meta = json!({"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                      "io.modelcontextprotocol/clientCapabilities": {}});
    pipe.send(json!({"jsonrpc":"2.0","id":"m","method":"tools/call",
                     "params":{"name":"upper","arguments":{"text":"y"},"_meta":meta}}))
        .await;
    assert_eq!(text(&pipe.read().await), "Y");
    let seen = seen.lock().clone();
    let call = |id: &str, era, session| {
        (
            "tools/call".to_owned(),
            id.to_owned(),
            era,
            session,
            Some("upper".to_owned()),
        )
    };
    assert_eq!(seen[0].0, "initialize");
    assert_eq!(
        seen[1..],
        [
            call("1", Era::V2025, true),
            call("\"m\"", Era::V2026, false)
        ]
    );
}

#[tokio::test]
async fn the_in_flight_limit_refuses_at_once_per_connection_and_in_all() {
    let (server, release) = server();
    let limit = InFlightLimitLayer::new(1, 2);
    server.layer(limit.clone());
    let mut first = Pipe::open(&server).await;
    first.call(1, "hold", json!({})).await;
    first.call(2, "upper", json!({"text": "refused"})).await;
    let refused = first.read().await;
    assert_eq!(
        (refused["id"].clone(), refused["error"]["code"].clone()),
        (json!(2), json!(-32010)),
        "{refused}"
    );
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("this session has 1 requests in flight"));
    let mut second = Pipe::open(&server).await;
    second.call(1, "hold", json!({})).await;
    let mut third = Pipe::open(&server).await;
    // Both holds are admitted once `third` is refused for the server's cap.
    let mut refused = Value::Null;
    for id in 1..=20 {
        third.call(id, "upper", json!({"text": "x"})).await;
        refused = third.read().await;
        if refused["error"].is_object() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the server has 2 requests in flight"),
        "{refused}"
    );
    release.add_permits(2);
    assert_eq!(text(&first.read().await), "released");
    assert_eq!(text(&second.read().await), "released");
    third.call(99, "upper", json!({"text": "after"})).await;
    assert_eq!(text(&third.read().await), "AFTER");
    assert_eq!(limit.in_flight(), (0, 0));
}
