//! The `otel` feature over Streamable HTTP on a real socket: each request is timed with
//! `network.transport = tcp`, a session is timed until its DELETE, and a `traceparent` in a
//! POSTed request's `_meta` makes the server span a child of the client's.

mod support;

use opentelemetry::metrics::MeterProvider as _;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry::Value as OtelValue;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, HistogramDataPoint, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, SdkMeterProvider};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
use quickmcp::prelude::*;
use serde_json::json;
use support::{Mcp, PROTOCOL};
use tracing_subscriber::layer::SubscriberExt;

/// Adds `a` and `b`.
#[tool]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// The data points of the histogram `name`, flushed from `provider` to `exporter`.
fn points(
    provider: &SdkMeterProvider,
    exporter: &InMemoryMetricExporter,
    name: &str,
) -> Vec<HistogramDataPoint<f64>> {
    provider.force_flush().unwrap();
    let exported = exporter.get_finished_metrics().unwrap();
    let metric = exported
        .last()
        .expect("one export at least")
        .scope_metrics()
        .flat_map(|scope| scope.metrics())
        .find(|metric| metric.name() == name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    let AggregatedMetrics::F64(MetricData::Histogram(histogram)) = metric.data() else {
        panic!("{name} is not an f64 histogram: {:?}", metric.data());
    };
    histogram.data_points().cloned().collect()
}

fn text(point: &HistogramDataPoint<f64>, key: &str) -> Option<String> {
    point
        .attributes()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.as_str().into_owned())
}

/// Serves `server` on a free port of 127.0.0.1; its MCP endpoint.
async fn serve(server: &Server) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let app = server.http_app();
    tokio::spawn(quickmcp::http::serve(listener, app, std::future::pending()));
    url
}

#[tokio::test]
async fn a_traceparent_in_a_posted_requests_meta_joins_the_clients_trace() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("test"));
    // The only test here that traces; global, as the server's tasks may run on any thread.
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).unwrap();
    let url = serve(&Server::new("otel-trace").tool(add)).await;

    let client = Mcp::connect(&url).await;
    let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let params = json!({"name": "add", "arguments": {"a": 1, "b": 2},
        "_meta": {"traceparent": traceparent}});
    assert_eq!(
        client.result("tools/call", params).await["content"][0]["text"],
        "3"
    );

    // The other test's spans may be here too: this one is found by its trace.
    let spans = exporter.get_finished_spans().unwrap();
    let trace = "0af7651916cd43dd8448eb211c80319c";
    let call = spans
        .iter()
        .find(|span| span.span_context.trace_id().to_string() == trace)
        .unwrap_or_else(|| panic!("no span of trace {trace} in {spans:#?}"));
    assert_eq!(call.name, "tools/call add");
    assert_eq!(call.parent_span_id.to_string(), "b7ad6b7169203331");
    assert!(call.parent_span_is_remote);
}

#[tokio::test]
async fn http_requests_and_sessions_are_timed_over_tcp() {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_periodic_exporter(exporter.clone())
        .build();
    let server = Server::new("otel-http")
        .tool(add)
        .meter(&provider.meter("test"));
    let url = serve(&server).await;

    let client = Mcp::connect(&url).await;
    let params = json!({"name": "add", "arguments": {"a": 2, "b": 3}});
    let sum = client.result("tools/call", params).await;
    assert_eq!(sum["content"][0]["text"], "5");
    let session = client.session.clone().expect("a session");
    let deleted = client
        .http
        .delete(&url)
        .header("mcp-session-id", &session)
        .header("mcp-protocol-version", PROTOCOL)
        .send()
        .await
        .unwrap();
    assert!(
        deleted.status().is_success(),
        "DELETE: {}",
        deleted.status()
    );

    let operations = points(&provider, &exporter, "mcp.server.operation.duration");
    let call = operations
        .iter()
        .find(|p| text(p, "gen_ai.tool.name").as_deref() == Some("add"))
        .unwrap_or_else(|| panic!("no tools/call add in {operations:#?}"));
    assert_eq!(call.count(), 1);
    assert_eq!(text(call, "network.transport").as_deref(), Some("tcp"));
    assert_eq!(text(call, "network.protocol.name").as_deref(), Some("http"));
    assert_eq!(
        text(call, "network.protocol.version").as_deref(),
        Some("1.1")
    );
    assert_eq!(
        text(call, "mcp.protocol.version").as_deref(),
        Some(PROTOCOL)
    );
    assert_eq!(text(call, "error.type"), None);

    let sessions = points(&provider, &exporter, "mcp.server.session.duration");
    assert_eq!(sessions.len(), 1, "{sessions:#?}");
    assert_eq!(sessions[0].count(), 1);
    assert_eq!(
        text(&sessions[0], "network.transport").as_deref(),
        Some("tcp")
    );
    assert_eq!(
        sessions[0]
            .attributes()
            .find(|kv| kv.key.as_str() == "mcp.protocol.version")
            .map(|kv| &kv.value),
        Some(&OtelValue::from(PROTOCOL))
    );
}
