//! The `mcp.request` span, written once for every request on every transport, with the
//! OpenTelemetry semantic conventions for MCP as fields: `otel.name` holds the dynamic span
//! name `{mcp.method.name} {target}` (a `tracing` span's own name is static), and the fields
//! the engine learns later (`gen_ai.tool.name`, `gen_ai.prompt.name`, `mcp.resource.uri`) are
//! recorded when it reads them. Trace context (`traceparent`, `tracestate`) is taken from
//! `params._meta`, as the conventions recommend.

use serde::Deserialize;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::{McpRequest, Outgoing, Reply};

#[derive(Deserialize)]
struct TraceMeta<'a> {
    #[serde(rename = "_meta", borrow)]
    meta: Option<TraceContext<'a>>,
}

#[derive(Deserialize)]
struct TraceContext<'a> {
    #[serde(borrow)]
    traceparent: Option<&'a str>,
}

/// The span of one request. Disabled (and costing a callsite check) unless a subscriber
/// wants `mcp.request` at DEBUG.
pub(crate) fn request_span(request: &McpRequest) -> Span {
    let method = request.method();
    let span = tracing::debug_span!(
        target: "quickmcp::request",
        "mcp.request",
        otel.name = method,
        otel.kind = "server",
        mcp.method.name = method,
        jsonrpc.request.id = %request.id(),
        mcp.session.id = request.cx.session_id(),
        mcp.protocol.version = request.cx.protocol_version(),
        gen_ai.operation.name = (method == "tools/call").then_some("execute_tool"),
        gen_ai.tool.name = Empty,
        gen_ai.prompt.name = Empty,
        mcp.resource.uri = Empty,
        error.type = Empty,
        rpc.response.status_code = Empty,
        trace.parent = Empty,
    );
    if !span.is_disabled() {
        if let Some(target) = request.target() {
            span.record("otel.name", format!("{method} {target}"));
        }
        if let Some(parent) = traceparent(request) {
            span.record("trace.parent", parent);
        }
    }
    span
}

fn traceparent(request: &McpRequest) -> Option<String> {
    let params = request.params()?;
    let meta: TraceMeta<'_> = serde_json::from_str(params.get()).ok()?;
    meta.meta?.traceparent.map(str::to_owned)
}

/// Records how a request ended on its span.
fn record(span: &Span, reply: &Reply) {
    if span.is_disabled() {
        return;
    }
    let error = match reply {
        Err(rejection) => Some(rejection.error().code),
        Ok(response) => response.body().and_then(|body| error_code(body)),
    };
    if let Some(code) = error {
        span.record("error.type", code);
        span.record("rpc.response.status_code", code);
    }
}

/// The code of a serialized JSON-RPC error response.
fn error_code(body: &[u8]) -> Option<i32> {
    #[derive(Deserialize)]
    struct Response {
        error: Option<Error>,
    }
    #[derive(Deserialize)]
    struct Error {
        code: i32,
    }
    serde_json::from_slice::<Response>(body)
        .ok()?
        .error
        .map(|e| e.code)
}

/// Keeps `span` for the rest of the request: recorded now if it is done, entered on every
/// poll of the future if it runs on.
pub(crate) fn follow(span: Span, outgoing: Outgoing) -> Outgoing {
    match outgoing {
        Outgoing::Ready(reply) => {
            record(&span, &reply);
            Outgoing::Ready(reply)
        }
        Outgoing::Running(running) => {
            let recorded = span.clone();
            Outgoing::Running(Box::pin(
                async move {
                    let reply = running.await;
                    record(&recorded, &reply);
                    reply
                }
                .instrument(span),
            ))
        }
        Outgoing::Accepted => Outgoing::Accepted,
    }
}
