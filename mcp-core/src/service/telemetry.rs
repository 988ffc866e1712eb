//! OpenTelemetry for each request (feature `otel`): `mcp.server.operation.duration` with the
//! conventions' attributes, the request's span joined to the client's trace from
//! `params._meta`, and `mcp.server.session.duration` armed when `initialize` opens a session.
//!
//! Attributes a client chooses are kept bounded: `gen_ai.tool.name` and `gen_ai.prompt.name`
//! are recorded only for names the server has, and an unknown method is `_OTHER`.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TraceContextExt;
use opentelemetry::{KeyValue, Value};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use serde::Deserialize;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use super::trace::{Failure, TraceContext};
use super::{Engine, McpRequest};
use crate::handler::RequestCx;
use crate::otel::Instruments;
use crate::protocol::{v2026, ProtocolVersion};
use crate::session::{Session, SessionRef};

/// The JSON-RPC code of "method not found": its method name is the client's, unbounded.
const METHOD_NOT_FOUND: i32 = -32601;

/// One request being timed, with the attributes known when it arrived. Recorded once: when
/// it finishes, or as `cancelled` if the transport drops it unfinished (its client went away).
pub(super) struct Operation {
    instruments: Arc<Instruments>,
    started: Instant,
    /// `mcp.method.name` first, then the rest.
    attributes: Vec<KeyValue>,
    recorded: bool,
}

impl Operation {
    /// Starts timing `request`; `target` is its tool or prompt name if the span read it.
    pub(super) fn start(engine: &Engine, request: &McpRequest, target: Option<&str>) -> Self {
        let started = Instant::now();
        let method = request.method();
        let mut attributes = Vec::with_capacity(8);
        attributes.push(KeyValue::new("mcp.method.name", known(METHODS, method)));
        let named = match method {
            "tools/call" => Some("gen_ai.tool.name"),
            "prompts/get" => Some("gen_ai.prompt.name"),
            _ => None,
        };
        if let Some(key) = named {
            let read = target.is_none().then(|| name_of(request)).flatten();
            let name = target.or(read.as_deref());
            if let Some(name) = name.and_then(|name| served(engine, method, name)) {
                attributes.push(KeyValue::new(key, name));
            }
        }
        if method == "tools/call" {
            attributes.push(KeyValue::new("gen_ai.operation.name", "execute_tool"));
        }
        let version = request.cx().protocol_version();
        push_connection(&mut attributes, request.cx(), version);
        Self {
            instruments: engine.telemetry.instruments(),
            started,
            attributes,
            recorded: false,
        }
    }

    /// Records the request's duration, with `error.type` (and `rpc.response.status_code`
    /// for a JSON-RPC error) if it failed.
    pub(super) fn finish(mut self, failure: Option<Failure>) {
        self.record(failure);
    }

    fn record(&mut self, failure: Option<Failure>) {
        self.recorded = true;
        let seconds = self.started.elapsed().as_secs_f64();
        let error: Option<Value> = match failure {
            None => None,
            Some(Failure::Code(code)) => {
                if code == METHOD_NOT_FOUND {
                    self.attributes[0].value = "_OTHER".into();
                }
                let code = code.to_string();
                let status = KeyValue::new("rpc.response.status_code", code.clone());
                self.attributes.push(status);
                Some(code.into())
            }
            Some(Failure::ToolError) => Some("tool_error".into()),
            Some(Failure::Cancelled) => Some("cancelled".into()),
        };
        if let Some(error) = error {
            self.attributes.push(KeyValue::new("error.type", error));
        }
        self.instruments
            .operation()
            .record(seconds, &self.attributes);
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        if !self.recorded {
            self.record(Some(Failure::Cancelled));
        }
    }
}

/// The methods this server serves, and the revisions it speaks: recorded without a copy.
const METHODS: &[&str] = &[
    "initialize",
    "ping",
    "tools/call",
    "tools/list",
    "resources/list",
    "resources/read",
    "resources/templates/list",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/get",
    "prompts/list",
    "completion/complete",
    "logging/setLevel",
    "server/discover",
    "tasks/get",
    "tasks/result",
    "tasks/list",
    "tasks/cancel",
    "subscriptions/listen",
];
const VERSIONS: &[&str] = &[
    ProtocolVersion::ALL[0].as_str(),
    ProtocolVersion::ALL[1].as_str(),
    ProtocolVersion::ALL[2].as_str(),
    ProtocolVersion::ALL[3].as_str(),
    v2026::VERSION,
];

/// `value` as an attribute value: one of `known` without a copy, else a copy.
fn known(known: &[&'static str], value: &str) -> Value {
    match known.iter().find(|k| **k == value) {
        Some(k) => Value::from(*k),
        None => Value::from(value.to_owned()),
    }
}

/// The tool or prompt `name` a request names, read from its params (borrowed).
fn name_of(request: &McpRequest) -> Option<Cow<'_, str>> {
    #[derive(Deserialize)]
    struct Named<'a> {
        #[serde(borrow, default)]
        name: Option<Cow<'a, str>>,
    }
    let params = request.params()?.get();
    serde_json::from_str::<Named<'_>>(params).ok()?.name
}

/// The name of the tool or prompt `name`, if the server has it (whoever may see it): only
/// those are recorded, so that clients cannot grow the number of series.
fn served(engine: &Engine, method: &str, name: &str) -> Option<Value> {
    let value = |name: &Cow<'static, str>| match name {
        Cow::Borrowed(name) => Value::from(*name),
        Cow::Owned(name) => Value::from(name.clone()),
    };
    match method {
        "tools/call" => {
            let tools = engine.tools.snapshot();
            tools
                .get(name, None)
                .map(|tool| value(&tool.definition.name))
        }
        _ => {
            let prompts = engine.prompts.snapshot();
            let prompt = prompts.get(name, None)?;
            Some(Value::from(prompt.definition.name.clone()))
        }
    }
}

/// Adds `mcp.protocol.version`, and what is known of the transport: over HTTP
/// `network.transport = tcp` with `network.protocol.name = http` and its version, on a
/// connection without HTTP (stdio) `network.transport = pipe`.
fn push_connection(attributes: &mut Vec<KeyValue>, cx: &RequestCx, version: Option<&str>) {
    if let Some(version) = version {
        attributes.push(KeyValue::new(
            "mcp.protocol.version",
            known(VERSIONS, version),
        ));
    }
    match (&cx.http, &cx.binding) {
        (Some(http), _) => {
            attributes.push(KeyValue::new("network.transport", "tcp"));
            attributes.push(KeyValue::new("network.protocol.name", "http"));
            let version = match http.version {
                http::Version::HTTP_10 => Some("1.0"),
                http::Version::HTTP_11 => Some("1.1"),
                http::Version::HTTP_2 => Some("2"),
                http::Version::HTTP_3 => Some("3"),
                _ => None,
            };
            if let Some(version) = version {
                attributes.push(KeyValue::new("network.protocol.version", version));
            }
        }
        (None, SessionRef::Connection(_)) => {
            attributes.push(KeyValue::new("network.transport", "pipe"));
        }
        (None, _) => {}
    }
}

/// Arms `session`'s `mcp.server.session.duration`, recorded when it ends (DELETE, expiry,
/// the end of its connection).
pub(crate) fn session_arming(
    engine: &Engine,
    cx: &RequestCx,
    version: ProtocolVersion,
) -> SessionArming {
    let mut attributes = Vec::with_capacity(4);
    push_connection(&mut attributes, cx, Some(version.as_str()));
    SessionArming(engine.telemetry.instruments(), attributes)
}

/// What arms a session's timer, taken from its `initialize` request; armed once the session
/// exists (a stored one may come later).
pub(crate) struct SessionArming(Arc<Instruments>, Vec<KeyValue>);

impl SessionArming {
    pub(crate) fn arm(self, session: &Session) {
        session.timer().arm(self.0, self.1);
    }
}

/// Makes the client's span, named by `traceparent` (and `tracestate`) in `params._meta`, the
/// parent of `span`: the server span joins the client's trace when a `tracing-opentelemetry`
/// layer is installed, and nothing happens without one.
pub(super) fn join_trace(span: &Span, context: &TraceContext<'_>) {
    if context.traceparent.is_none() {
        return;
    }
    let parent = TraceContextPropagator::new().extract(&Meta(context));
    if parent.span().span_context().is_valid() {
        // Fails only without the layer, or for a span started already: neither is an error.
        let _ = span.set_parent(parent);
    }
}

/// `params._meta` as the propagator reads it.
struct Meta<'a, 'b>(&'a TraceContext<'b>);

impl Extractor for Meta<'_, '_> {
    fn get(&self, key: &str) -> Option<&str> {
        match key {
            "traceparent" => self.0.traceparent,
            "tracestate" => self.0.tracestate,
            _ => None,
        }
    }

    fn keys(&self) -> Vec<&str> {
        let present = [
            ("traceparent", self.0.traceparent),
            ("tracestate", self.0.tracestate),
        ];
        present
            .into_iter()
            .filter_map(|(key, value)| value.map(|_| key))
            .collect()
    }
}
