//! What the 2026 wire's `Mcp-Param-*` check adds to a `tools/call`: for a tool that declares
//! no `x-mcp-header` (one registry lookup), and for one that mirrors a string argument (the
//! lookup, the arguments parsed, the header decoded and compared).
//!
//! Run with `cargo bench -p quickmcp-core --bench headers`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use http::{HeaderMap, HeaderValue};
use quickmcp_core::{Arguments, CallContext, McpServer, ToolDefinition, ToolFuture, ToolHandler};
use serde_json::json;
use serde_json::value::RawValue;

/// A tool whose input schema is `schema`.
struct Query(&'static str, serde_json::Value);

impl ToolHandler for Query {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new(self.0, "Runs a query.").input_schema(self.1.clone())
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready("done")
    }
}

fn headers(c: &mut Criterion) {
    let server = McpServer::new("bench");
    let plain = json!({"type": "object", "properties": {
        "region": {"type": "string"}, "query": {"type": "string"}}});
    let mirrored = json!({"type": "object", "properties": {
        "region": {"type": "string", "x-mcp-header": "Region"}, "query": {"type": "string"}}});
    server.add_tool(Arc::new(Query("plain", plain))).unwrap();
    server
        .add_tool(Arc::new(Query("mirrored", mirrored)))
        .unwrap();
    let args = RawValue::from_string(
        r#"{"name":"mirrored","arguments":{"region":"us-west1","query":"SELECT 1"}}"#.into(),
    )
    .unwrap();
    let mut sent = HeaderMap::new();
    sent.insert("mcp-param-region", HeaderValue::from_static("us-west1"));
    let mut encoded = HeaderMap::new();
    encoded.insert(
        "mcp-param-region",
        HeaderValue::from_static("=?base64?dXMtd2VzdDE=?="),
    );
    server
        .check_param_headers("mirrored", Some(&args), &sent)
        .unwrap();
    server
        .check_param_headers("mirrored", Some(&args), &encoded)
        .unwrap();
    c.bench_function("Mcp-Param check: tool without x-mcp-header", |b| {
        b.iter(|| server.check_param_headers(black_box("plain"), Some(&args), &sent))
    });
    c.bench_function("Mcp-Param check: one plain header", |b| {
        b.iter(|| server.check_param_headers(black_box("mirrored"), Some(&args), &sent))
    });
    c.bench_function("Mcp-Param check: one base64 header", |b| {
        b.iter(|| server.check_param_headers(black_box("mirrored"), Some(&args), &encoded))
    });
}

// `criterion_group!` generates an undocumented `pub fn`.
#[allow(missing_docs)]
mod group {
    use super::*;

    criterion_group! {
        name = benches;
        config = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        targets = headers
    }
}
criterion_main!(group::benches);
