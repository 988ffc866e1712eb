//! The `otel` feature end to end, with the OpenTelemetry SDK's in-memory exporters: real
//! requests over stdio (in process, through `serve_lines`) and through the service, then the
//! exported `mcp.server.*` histograms and the `mcp.request` spans.
#![cfg(feature = "otel")]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use opentelemetry::trace::{SpanKind, Status, TracerProvider as _};
use opentelemetry::{KeyValue, Value as OtelValue};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, HistogramDataPoint, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, SdkMeterProvider};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use quickmcp_core::{
    Arguments, CallContext, Inbound, McpError, McpServer, Outgoing, SessionConfig, SessionRef,
    ToolDefinition, ToolFuture, ToolHandler,
};
use serde_json::{json, Value};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};
use tracing_subscriber::layer::SubscriberExt;

const BUCKETS: [f64; 14] = [
    0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
];

/// `add`: `a + b`.
struct Add;

impl ToolHandler for Add {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("add", "Adds `a` and `b`.")
    }
    fn call(&self, mut args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let mut take = |name| -> i64 {
            args.take(name)
                .and_then(|raw| serde_json::from_str(raw.get()).ok())
                .unwrap_or_default()
        };
        let sum = take("a") + take("b");
        ToolFuture::ready(sum.to_string())
    }
}

/// `fails`: answers `isError: true`.
struct Fails;

impl ToolHandler for Fails {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("fails", "Always fails.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready(Err::<String, _>(McpError::internal("the disk is full")))
    }
}

/// `slow`: answers after a few milliseconds, so its call runs on as a future.
struct Slow;

impl ToolHandler for Slow {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("slow", "Answers after 20 ms.")
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::pending(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            "done"
        })
    }
}

fn server() -> McpServer {
    let server = McpServer::new("otel-test");
    server.add_tool(Arc::new(Add)).unwrap();
    server.add_tool(Arc::new(Fails)).unwrap();
    server.add_tool(Arc::new(Slow)).unwrap();
    server
}

/// A meter provider exporting to memory, and the server recording with it.
fn metered(server: &McpServer) -> (SdkMeterProvider, InMemoryMetricExporter) {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_periodic_exporter(exporter.clone())
        .build();
    server.set_meter(&opentelemetry::metrics::MeterProvider::meter(
        &provider, "test",
    ));
    (provider, exporter)
}

/// A stdio client of a server served by `serve_lines` on an in-process pipe.
struct Client {
    write: WriteHalf<DuplexStream>,
    lines: Lines<BufReader<ReadHalf<DuplexStream>>>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Client {
    fn serve(server: &McpServer) -> Self {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let service = server.service();
        let serving = tokio::spawn(async move {
            quickmcp_core::serve_lines(&service, server_read, server_write).await
        });
        let (read, write) = tokio::io::split(client_end);
        let lines = BufReader::new(read).lines();
        Self {
            write,
            lines,
            serving,
        }
    }

    async fn send(&mut self, message: Value) {
        let line = format!("{message}\n");
        self.write.write_all(line.as_bytes()).await.unwrap();
    }

    /// Sends a request and reads its answer (the next line: nothing else is sent here).
    async fn request(&mut self, message: Value) -> Value {
        self.send(message).await;
        let line = tokio::time::timeout(Duration::from_secs(10), self.lines.next_line())
            .await
            .expect("an answer within 10 s")
            .unwrap()
            .expect("the server is still serving");
        serde_json::from_str(&line).unwrap()
    }

    async fn initialize(&mut self) {
        let init = json!({"jsonrpc":"2.0","id":0,"method":"initialize","params":{
            "protocolVersion":"2025-06-18","capabilities":{},
            "clientInfo":{"name":"t","version":"1"}}});
        let answer = self.request(init).await;
        assert_eq!(answer["result"]["protocolVersion"], "2025-06-18");
        let initialized = json!({"jsonrpc":"2.0","method":"notifications/initialized"});
        self.send(initialized).await;
    }

    async fn call(&mut self, id: impl Into<Value>, name: &str, params: Value) -> Value {
        let id = id.into();
        let mut params = params;
        params["name"] = name.into();
        let call = json!({"jsonrpc":"2.0","id":id,"method":"tools/call","params":params});
        self.request(call).await
    }

    /// Closes stdin and waits until the server is done with the connection.
    async fn close(mut self) {
        self.write.shutdown().await.unwrap();
        let ended = tokio::time::timeout(Duration::from_secs(10), self.serving).await;
        ended.expect("serving ends at EOF").unwrap().unwrap();
    }
}

/// The data points of the histogram `name` in what `exporter` holds after a flush.
fn points(
    provider: &SdkMeterProvider,
    exporter: &InMemoryMetricExporter,
    name: &str,
) -> Vec<HistogramDataPoint<f64>> {
    provider.force_flush().unwrap();
    let exported = exporter.get_finished_metrics().unwrap();
    let last = exported.last().expect("one export at least");
    let metric = last
        .scope_metrics()
        .flat_map(|scope| scope.metrics())
        .find(|metric| metric.name() == name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    assert_eq!(metric.unit(), "s");
    let AggregatedMetrics::F64(MetricData::Histogram(histogram)) = metric.data() else {
        panic!("{name} is not an f64 histogram: {:?}", metric.data());
    };
    histogram.data_points().cloned().collect()
}

fn attribute<'a>(point: &'a HistogramDataPoint<f64>, key: &str) -> Option<&'a OtelValue> {
    point
        .attributes()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| &kv.value)
}

/// The one data point whose attributes include every `key = value` of `with`.
fn point<'a>(
    points: &'a [HistogramDataPoint<f64>],
    with: &[(&str, &str)],
) -> &'a HistogramDataPoint<f64> {
    let matches = |p: &&HistogramDataPoint<f64>| {
        with.iter()
            .all(|(k, v)| attribute(p, k) == Some(&OtelValue::from(v.to_string())))
    };
    let found: Vec<_> = points.iter().filter(matches).collect();
    assert_eq!(found.len(), 1, "one point with {with:?} in {points:#?}");
    found[0]
}

fn text(point: &HistogramDataPoint<f64>, key: &str) -> Option<String> {
    attribute(point, key).map(|value| value.as_str().into_owned())
}

#[tokio::test]
async fn every_stdio_request_is_timed_with_the_conventions_attributes() {
    let server = server();
    let (provider, exporter) = metered(&server);
    let mut client = Client::serve(&server);
    client.initialize().await;
    let sum = client
        .call(1, "add", json!({"arguments":{"a":2,"b":3}}))
        .await;
    assert_eq!(sum["result"]["content"][0]["text"], "5");
    let failed = client.call(2, "fails", json!({})).await;
    assert_eq!(failed["result"]["isError"], true);
    let unknown = client.call(3, "nope", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32602);
    let slow = client.call(4, "slow", json!({})).await;
    assert_eq!(slow["result"]["content"][0]["text"], "done");
    let bogus = json!({"jsonrpc":"2.0","id":5,"method":"bogus/method"});
    assert_eq!(client.request(bogus).await["error"]["code"], -32601);
    client.close().await;

    let points = points(&provider, &exporter, "mcp.server.operation.duration");
    assert_eq!(points.len(), 6, "{points:#?}");
    let add = point(&points, &[("gen_ai.tool.name", "add")]);
    assert_eq!(add.count(), 1);
    assert_eq!(add.bounds().collect::<Vec<_>>(), BUCKETS);
    for (key, value) in [
        ("mcp.method.name", "tools/call"),
        ("gen_ai.operation.name", "execute_tool"),
        ("mcp.protocol.version", "2025-06-18"),
        ("network.transport", "pipe"),
    ] {
        assert_eq!(text(add, key).as_deref(), Some(value), "{key}");
    }
    assert_eq!(text(add, "error.type"), None);
    assert_eq!(text(add, "network.protocol.name"), None, "no HTTP on stdio");

    let fails = point(&points, &[("gen_ai.tool.name", "fails")]);
    assert_eq!(text(fails, "error.type").as_deref(), Some("tool_error"));

    let unknown = point(&points, &[("error.type", "-32602")]);
    assert_eq!(
        text(unknown, "gen_ai.tool.name"),
        None,
        "not a tool the server has"
    );
    assert_eq!(
        text(unknown, "rpc.response.status_code").as_deref(),
        Some("-32602")
    );

    let slow = point(&points, &[("gen_ai.tool.name", "slow")]);
    assert!(slow.sum() >= 0.02, "timed to its answer: {}", slow.sum());

    let bogus = point(&points, &[("error.type", "-32601")]);
    assert_eq!(text(bogus, "mcp.method.name").as_deref(), Some("_OTHER"));

    let init = point(&points, &[("mcp.method.name", "initialize")]);
    assert_eq!(text(init, "error.type"), None);
}

#[tokio::test]
async fn a_stdio_session_is_timed_until_eof() {
    let server = server();
    let (provider, exporter) = metered(&server);
    let mut client = Client::serve(&server);
    client.initialize().await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    client.close().await;

    let points = points(&provider, &exporter, "mcp.server.session.duration");
    assert_eq!(points.len(), 1, "{points:#?}");
    let session = &points[0];
    assert_eq!(session.count(), 1);
    assert!(session.sum() >= 0.02, "{}", session.sum());
    assert_eq!(session.bounds().collect::<Vec<_>>(), BUCKETS);
    assert_eq!(text(session, "network.transport").as_deref(), Some("pipe"));
    assert_eq!(
        text(session, "mcp.protocol.version").as_deref(),
        Some("2025-06-18")
    );
}

/// Opens a stored session (as Streamable HTTP does) through the service; its id.
fn open_stored(server: &McpServer) -> String {
    let init = json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
        "protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}});
    let inbound = Inbound {
        session: SessionRef::Named(None),
        ..Inbound::default()
    };
    let bytes = init.to_string();
    let Outgoing::Ready(Ok(response)) = server.service().handle(bytes.as_bytes(), inbound) else {
        panic!("initialize is answered at once");
    };
    response
        .opened_session()
        .expect("a stored session")
        .id()
        .to_owned()
}

#[tokio::test]
async fn stored_sessions_are_timed_when_deleted_or_expired() {
    let server = server();
    let (provider, exporter) = metered(&server);
    let deleted = open_stored(&server);
    assert!(server.service().end_session(&deleted).await);
    assert!(!server.service().end_session(&deleted).await, "ended once");
    let points_after_delete = points(&provider, &exporter, "mcp.server.session.duration");
    assert_eq!(points_after_delete[0].count(), 1);
    assert_eq!(
        text(&points_after_delete[0], "mcp.protocol.version").as_deref(),
        Some("2025-11-25")
    );

    server.configure_sessions(SessionConfig {
        idle_timeout: Duration::from_millis(10),
        ..SessionConfig::default()
    });
    let expiring = open_stored(&server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.sessions().sweep();
    assert!(
        server.service().session(&expiring).await.is_none(),
        "expired"
    );
    let points = points(&provider, &exporter, "mcp.server.session.duration");
    assert_eq!(points[0].count(), 2, "{points:#?}");
}

#[tokio::test]
async fn a_call_its_transport_drops_is_timed_as_cancelled() {
    let server = server();
    let (provider, exporter) = metered(&server);
    let call = json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow"}});
    let outgoing = server
        .service()
        .handle(call.to_string().as_bytes(), Inbound::default());
    assert!(matches!(outgoing, Outgoing::Running(_)), "{outgoing:?}");
    drop(outgoing);

    let points = points(&provider, &exporter, "mcp.server.operation.duration");
    let slow = point(&points, &[("gen_ai.tool.name", "slow")]);
    assert_eq!(slow.count(), 1);
    assert_eq!(text(slow, "error.type").as_deref(), Some("cancelled"));
    assert_eq!(text(slow, "network.transport"), None, "in process");
}

/// The spans of every test, exported to memory by a `tracing-opentelemetry` layer installed
/// once as the global subscriber: a subscriber per test would race with the others' over
/// `tracing`'s process-wide callsite cache. Tests find their spans by request id.
fn exported() -> &'static InMemorySpanExporter {
    static EXPORTER: OnceLock<InMemorySpanExporter> = OnceLock::new();
    EXPORTER.get_or_init(|| {
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("test"));
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
            .expect("no other global subscriber");
        exporter
    })
}

/// The exported span of the request `id` (spans end, and are exported, with their request).
fn span_of(id: &str) -> SpanData {
    let spans = exported().get_finished_spans().unwrap();
    let id = KeyValue::new("jsonrpc.request.id", id.to_owned());
    let span = spans.into_iter().find(|s| s.attributes.contains(&id));
    span.unwrap_or_else(|| panic!("no span with {id:?}"))
}

#[tokio::test]
async fn a_traceparent_in_meta_makes_the_server_span_a_child_of_the_clients() {
    exported();
    let server = server();
    let mut client = Client::serve(&server);
    client.initialize().await;
    let meta = json!({
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "tracestate": "rojo=00f067aa0ba902b7",
    });
    let params = json!({"arguments":{"a":1,"b":1},"_meta":meta});
    let sum = client.call("trace-9001", "add", params).await;
    assert_eq!(sum["result"]["content"][0]["text"], "2");
    client.call(9002, "fails", json!({})).await;
    client.close().await;

    let add = span_of("trace-9001");
    assert_eq!(add.name, "tools/call add");
    assert_eq!(
        add.span_context.trace_id().to_string(),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(add.parent_span_id.to_string(), "00f067aa0ba902b7");
    assert!(add.parent_span_is_remote);
    assert_eq!(
        add.span_context.trace_state().header(),
        "rojo=00f067aa0ba902b7"
    );
    assert_eq!(add.span_kind, SpanKind::Server);
    assert!(add
        .attributes
        .contains(&KeyValue::new("gen_ai.tool.name", "add")));

    let fails = span_of("9002");
    assert_eq!(fails.name, "tools/call fails");
    assert_ne!(fails.span_context.trace_id(), add.span_context.trace_id());
    assert!(
        matches!(fails.status, Status::Error { .. }),
        "{:?}",
        fails.status
    );
    assert!(fails
        .attributes
        .contains(&KeyValue::new("error.type", "tool_error")));
}

#[tokio::test]
async fn a_malformed_traceparent_leaves_the_span_a_root() {
    exported();
    let server = server();
    let mut client = Client::serve(&server);
    client.initialize().await;
    let params = json!({"_meta":{"traceparent":"00-not-a-trace-01"}});
    assert!(client.call(9003, "add", params).await["result"].is_object());
    client.close().await;
    let add = span_of("9003");
    assert!(add.span_context.is_valid());
    assert!(!add.parent_span_is_remote);
    assert!(add
        .attributes
        .contains(&KeyValue::new("trace.parent", "00-not-a-trace-01")));
}
