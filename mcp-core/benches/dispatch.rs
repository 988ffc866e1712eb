//! The hot path without a transport: `tools/call add` from request bytes to response bytes,
//! the arguments' deserialisation alone, `tools/list` from the registry's cached page, and
//! `initialize` from its cached result (once per session: session churn), and a
//! `Structured<i64>` made into a `tools/call` result (its text and `structuredContent`).
//!
//! Run with `cargo bench -p quickmcp-core --bench dispatch`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use quickmcp_core::jsonrpc::RequestId;
use quickmcp_core::{
    Arguments, CallContext, Inbound, IntoToolResult, McpService, Outgoing, RequestCx, Structured,
};
use serde_json::value::RawValue;

#[path = "support/add.rs"]
mod add;

const CALL: &[u8] = br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add","arguments":{"a":40,"b":2}}}"#;
const LIST: &[u8] = br#"{"jsonrpc":"2.0","id":8,"method":"tools/list"}"#;
const INITIALIZE: &[u8] = br#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#;

/// Serves `bytes` with no session, as stateless HTTP does.
async fn serve(service: &McpService, bytes: &[u8]) -> bytes::Bytes {
    match service.handle(bytes, Inbound::default()) {
        Outgoing::Ready(Ok(response)) => response.into_body(),
        other => panic!("not answered at once: {other:?}"),
    }
}

fn dispatch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = add::server().service();
    let answer = runtime.block_on(serve(&server, CALL));
    assert!(
        answer.ends_with(br#""structuredContent":{"result":42}}}"#),
        "{answer:?}"
    );

    c.bench_function("tools/call add: bytes to bytes", |b| {
        b.iter(|| runtime.block_on(serve(&server, black_box(CALL))));
    });
    c.bench_function("tools/list: cached page", |b| {
        b.iter(|| runtime.block_on(serve(&server, black_box(LIST))));
    });

    // No stored session, so that the store does not grow with the iterations.
    c.bench_function("initialize: bytes to bytes, no session", |b| {
        b.iter(|| runtime.block_on(serve(&server, black_box(INITIALIZE))));
    });

    let raw: Box<RawValue> = serde_json::from_str(r#"{"a":40,"b":2}"#).expect("JSON");
    let (id, request) = (RequestId::Number(7), RequestCx::detached());
    let cx = CallContext::detached(&id, &request);
    c.bench_function("add arguments: parse and extract", |b| {
        b.iter(|| {
            let args = Arguments::parse(Some(black_box(&*raw))).expect("an object");
            add::extract(args, &cx).expect("two integers")
        });
    });

    c.bench_function("Structured<i64> into a tool result", |b| {
        b.iter(|| Structured(black_box(42_i64)).into_tool_result());
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
        targets = dispatch
    }
}
criterion_main!(group::benches);
