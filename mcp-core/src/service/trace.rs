//! The `mcp.request` span, written once for every request on every transport, with the
//! OpenTelemetry semantic conventions for MCP as fields: `otel.name` holds the dynamic span
//! name `{mcp.method.name} {target}` (a `tracing` span's own name is static), and the fields
//! the engine learns later (`gen_ai.tool.name`, `gen_ai.prompt.name`, `mcp.resource.uri`) are
//! recorded when it reads them. Trace context (`traceparent`, `tracestate`) is taken from
//! `params._meta`, as the conventions recommend: recorded as `trace.parent`, and with the
//! `otel` feature made the span's parent (see `telemetry.rs`, which also times the request).

use serde::Deserialize;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::{Engine, McpRequest, Outgoing, Reply};
use crate::jsonrpc::RequestId;

#[derive(Deserialize)]
struct TraceMeta<'a> {
    #[serde(rename = "_meta", borrow)]
    meta: Option<TraceContext<'a>>,
}

/// The W3C Trace Context a request carries in `params._meta`.
#[derive(Deserialize)]
pub(super) struct TraceContext<'a> {
    #[serde(borrow)]
    pub(super) traceparent: Option<&'a str>,
    #[cfg(feature = "otel")]
    #[serde(borrow, default)]
    pub(super) tracestate: Option<&'a str>,
}

/// How a request failed, as `error.type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// A JSON-RPC error with this code.
    Code(i32),
    /// A `tools/call` result with `isError: true` (`tool_error`, as the conventions say).
    ToolError,
    /// Cancelled by the client: nothing was answered.
    Cancelled,
}

/// What follows one request to its end: its span and, with the `otel` feature, its timer.
pub(crate) struct Watch {
    span: Span,
    /// A `tools/call`, whose result may say `isError`.
    tool_call: bool,
    #[cfg(feature = "otel")]
    operation: super::telemetry::Operation,
}

impl Watch {
    /// The request's span.
    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    fn finish(self, reply: &Reply) {
        if !observed(&self.span) {
            return;
        }
        let failure = failure(reply, self.tool_call);
        if let Some(failure) = failure {
            record(&self.span, failure);
        }
        #[cfg(feature = "otel")]
        self.operation.finish(failure);
    }
}

/// Starts watching a request: its span (disabled, and costing a callsite check, unless a
/// subscriber wants `mcp.request` at DEBUG) and, with the `otel` feature, its timer.
#[cfg_attr(
    not(feature = "otel"),
    expect(unused_variables, reason = "metrics need the engine")
)]
pub(crate) fn watch(engine: &Engine, request: &McpRequest) -> Watch {
    let span = request_span(request);
    let target = if span.is_disabled() {
        None
    } else {
        request.target()
    };
    if let Some(target) = &target {
        span.record("otel.name", format!("{} {target}", request.method()));
    }
    if !span.is_disabled() {
        if let Some(context) = trace_context(request) {
            if let Some(parent) = context.traceparent {
                span.record("trace.parent", parent);
            }
            #[cfg(feature = "otel")]
            super::telemetry::join_trace(&span, &context);
        }
    }
    Watch {
        #[cfg(feature = "otel")]
        operation: super::telemetry::Operation::start(engine, request, target.as_deref()),
        tool_call: observed(&span) && request.method() == "tools/call",
        span,
    }
}

/// A request id as the conventions write it: `10`, `request-7` (a string without its quotes).
struct IdField<'a>(&'a RequestId);

impl std::fmt::Display for IdField<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            RequestId::Number(n) => write!(f, "{n}"),
            RequestId::String(s) => f.write_str(s),
        }
    }
}

/// Whether anyone looks at how a request ends: without, its answer is not read at all.
fn observed(span: &Span) -> bool {
    cfg!(feature = "otel") || !span.is_disabled()
}

fn request_span(request: &McpRequest) -> Span {
    let method = request.method();
    tracing::debug_span!(
        target: "quickmcp::request",
        "mcp.request",
        otel.name = method,
        otel.kind = "server",
        otel.status_code = Empty,
        mcp.method.name = method,
        jsonrpc.request.id = %IdField(request.id()),
        mcp.session.id = request.cx.session_id(),
        mcp.protocol.version = request.cx.protocol_version(),
        gen_ai.operation.name = (method == "tools/call").then_some("execute_tool"),
        gen_ai.tool.name = Empty,
        gen_ai.prompt.name = Empty,
        mcp.resource.uri = Empty,
        error.type = Empty,
        rpc.response.status_code = Empty,
        trace.parent = Empty,
    )
}

fn trace_context(request: &McpRequest) -> Option<TraceContext<'_>> {
    let params = request.params()?;
    let meta: TraceMeta<'_> = serde_json::from_str(params.get()).ok()?;
    meta.meta
}

/// Records how a request failed on its span, and marks the span's status an error.
fn record(span: &Span, failure: Failure) {
    if span.is_disabled() {
        return;
    }
    match failure {
        Failure::Code(code) => {
            let code = code.to_string();
            span.record("error.type", &*code);
            span.record("rpc.response.status_code", &*code);
        }
        Failure::ToolError => {
            span.record("error.type", "tool_error");
        }
        Failure::Cancelled => {
            span.record("error.type", "cancelled");
        }
    }
    span.record("otel.status_code", "error");
}

/// How a request's answer says it failed, if it did.
fn failure(reply: &Reply, tool_call: bool) -> Option<Failure> {
    match reply {
        Err(rejection) => Some(Failure::Code(rejection.error().code)),
        Ok(response) => match response.body() {
            None => Some(Failure::Cancelled),
            Some(body) => body_failure(body, tool_call),
        },
    }
}

/// The failure a serialized JSON-RPC response carries: an error's code, or (for a tool call)
/// `isError: true`. Reads no more than that: the body is the engine's own,
/// `{"jsonrpc":"2.0","id":…,` then `"result":` or `"error":` (a key cannot be matched inside
/// the id: quotes in a JSON string are escaped), and only a tool result's top level is read.
fn body_failure(body: &[u8], tool_call: bool) -> Option<Failure> {
    const RESULT: &[u8] = br#""result":"#;
    const ERROR: &[u8] = br#""error":"#;
    #[derive(Deserialize)]
    struct Error {
        code: i32,
    }
    #[derive(Deserialize)]
    struct ToolResult {
        #[serde(rename = "isError", default)]
        is_error: bool,
    }
    let (is_result, at) = (0..body.len()).find_map(|i| {
        let rest = &body[i..];
        if rest.starts_with(RESULT) {
            Some((true, i + RESULT.len()))
        } else if rest.starts_with(ERROR) {
            Some((false, i + ERROR.len()))
        } else {
            None
        }
    })?;
    let mut value = serde_json::Deserializer::from_slice(&body[at..]);
    if !is_result {
        let error = Error::deserialize(&mut value).ok()?;
        return Some(Failure::Code(error.code));
    }
    if !tool_call {
        return None;
    }
    let result = ToolResult::deserialize(&mut value).ok()?;
    result.is_error.then_some(Failure::ToolError)
}

/// Keeps watching the request for the rest of its life: finished now if it is done, its span
/// entered on every poll of the future if it runs on.
pub(crate) fn follow(watch: Watch, outgoing: Outgoing) -> Outgoing {
    match outgoing {
        Outgoing::Ready(reply) => {
            watch.finish(&reply);
            Outgoing::Ready(reply)
        }
        Outgoing::Running(running) => {
            let span = watch.span.clone();
            Outgoing::Running(Box::pin(
                async move {
                    let reply = running.await;
                    watch.finish(&reply);
                    reply
                }
                .instrument(span),
            ))
        }
        Outgoing::Accepted => {
            // Nothing to answer: done, and not failed.
            #[cfg(feature = "otel")]
            watch.operation.finish(None);
            Outgoing::Accepted
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::McpError;
    use crate::jsonrpc;

    #[test]
    fn reads_failures_from_the_engines_bodies() {
        let tricky = RequestId::String(r#"a","error":{"code":1},"result":"#.into());
        let error = jsonrpc::error_response(Some(&tricky), &McpError::invalid_params("no"));
        assert_eq!(body_failure(&error, true), Some(Failure::Code(-32602)));
        let empty = serde_json::value::RawValue::from_string("{}".into()).unwrap();
        assert_eq!(
            body_failure(&jsonrpc::response_raw(&tricky, &empty), true),
            None
        );
        let tool = br#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":true}}"#;
        assert_eq!(body_failure(tool, true), Some(Failure::ToolError));
        assert_eq!(
            body_failure(tool, false),
            None,
            "only a tool result says isError"
        );
        let nested = br#"{"jsonrpc":"2.0","id":1,"result":{"structuredContent":{"isError":true}}}"#;
        assert_eq!(body_failure(nested, true), None);
    }
}
