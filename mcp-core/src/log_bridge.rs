//! Opt-in: `tracing` events a tool emits while it runs also go to its client as
//! `notifications/message`, filtered by the session's `logging/setLevel`.
//!
//! Add [`McpLogLayer`] to your subscriber to opt in; without it nothing is bridged and tool
//! calls pay nothing. Events of quickmcp's own crates are never bridged, and work a tool
//! spawns onto other tasks is not followed (log through `Context` there).
//!
//! ```
//! use tracing_subscriber::layer::SubscriberExt;
//!
//! let subscriber = tracing_subscriber::registry().with(quickmcp_core::McpLogLayer::new());
//! # drop(subscriber);
//! ```

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context as LayerContext, Layer};

use crate::handler::CallContext;
use crate::jsonrpc;
use crate::protocol::LoggingLevel;
use crate::registry::tool::ToolFuture;
use crate::session::Session;
use crate::sink::MessageSink;

static ENABLED: AtomicBool = AtomicBool::new(false);

tokio::task_local! {
    static CURRENT: Target;
}

/// Where the running tool's log messages go.
#[derive(Clone)]
struct Target {
    sink: Arc<dyn MessageSink>,
    session: Option<Arc<Session>>,
}

/// The [`Layer`] that forwards a running tool's `tracing` events to its client. Creating one
/// turns the bridge on for the whole process.
#[derive(Debug)]
pub struct McpLogLayer {
    _private: (),
}

impl McpLogLayer {
    /// The layer; from now on tool calls carry where their events go.
    pub fn new() -> Self {
        ENABLED.store(true, Ordering::Relaxed);
        Self { _private: () }
    }
}

impl Default for McpLogLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Subscriber> Layer<S> for McpLogLayer {
    fn on_event(&self, event: &Event<'_>, _: LayerContext<'_, S>) {
        let meta = event.metadata();
        if meta.target().starts_with("quickmcp") {
            return;
        }
        let _ = CURRENT.try_with(|target| {
            let level = level(*meta.level());
            if target
                .session
                .as_ref()
                .is_some_and(|s| !s.log_enabled(level))
            {
                return;
            }
            let mut fields = Fields::default();
            event.record(&mut fields);
            #[derive(Serialize)]
            struct Params<'a> {
                level: LoggingLevel,
                logger: &'a str,
                data: Value,
            }
            let params = Params {
                level,
                logger: meta.target(),
                data: fields.into_data(),
            };
            target
                .sink
                .send(jsonrpc::notification("notifications/message", &params));
        });
    }
}

fn level(level: Level) -> LoggingLevel {
    match level {
        Level::ERROR => LoggingLevel::Error,
        Level::WARN => LoggingLevel::Warning,
        Level::INFO => LoggingLevel::Info,
        _ => LoggingLevel::Debug,
    }
}

#[derive(Default)]
struct Fields(Map<String, Value>);

impl Fields {
    /// The message alone as a string, or every field as an object.
    fn into_data(mut self) -> Value {
        if self.0.len() == 1 {
            if let Some(message) = self.0.remove("message") {
                return message;
            }
        }
        Value::Object(self.0)
    }
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
}

/// Starts a tool call so that, when the bridge is on, its events reach its client: the
/// synchronous part runs inside the scope, and a running call keeps it on every poll.
pub(crate) fn start(cx: &CallContext<'_>, call: impl FnOnce() -> ToolFuture) -> ToolFuture {
    let modern = cx.request.v2026.as_ref();
    let sink = match &cx.request.sink {
        // The 2026 wire sends logs only when the request asks for them (`_meta` log level).
        _ if modern.is_some_and(|m| m.log_level.is_none()) => return call(),
        Some(sink) if ENABLED.load(Ordering::Relaxed) => sink.clone(),
        _ => return call(),
    };
    let target = Target {
        sink,
        session: cx.request.session.clone(),
    };
    match CURRENT.sync_scope(target.clone(), call) {
        ToolFuture::Pending(future) => ToolFuture::Pending(Box::pin(CURRENT.scope(target, future))),
        ready => ready,
    }
}

/// `body`, made to run on another thread (tokio's blocking pool) as if inline: inside the
/// running tool's log scope, the current span and the current subscriber.
pub(crate) fn follow<R>(body: impl FnOnce() -> R) -> impl FnOnce() -> R {
    let target = CURRENT.try_with(Target::clone).ok();
    let span = tracing::Span::current();
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    move || {
        tracing::dispatcher::with_default(&dispatch, || {
            span.in_scope(|| match target {
                Some(target) => CURRENT.sync_scope(target, body),
                None => body(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonrpc::RequestId;
    use crate::protocol::ProtocolVersion;
    use bytes::Bytes;
    use parking_lot::Mutex;
    use tracing_subscriber::layer::SubscriberExt;

    #[derive(Default)]
    struct Collect(Mutex<Vec<Value>>);

    impl MessageSink for Collect {
        fn send(&self, message: Bytes) -> bool {
            self.0
                .lock()
                .push(serde_json::from_slice(&message).unwrap());
            true
        }
    }

    #[tokio::test]
    async fn bridges_events_inside_a_tool_only() {
        let subscriber = tracing_subscriber::registry().with(McpLogLayer::new());
        let _guard = tracing::subscriber::set_default(subscriber);
        let sink = Arc::new(Collect::default());
        let session = Arc::new(Session::new(
            "s".into(),
            ProtocolVersion::LATEST,
            Default::default(),
            None,
        ));
        session.set_log_level(LoggingLevel::Info);
        let request = crate::handler::RequestCx {
            session: Some(session),
            sink: Some(sink.clone()),
            ..Default::default()
        };
        let id = RequestId::Number(1);
        let cx = CallContext::detached(&id, &request);
        tracing::info!("outside any tool");
        let call = start(&cx, || {
            tracing::warn!(target: "my_tool", "starting");
            ToolFuture::pending(async {
                tokio::task::yield_now().await;
                tracing::debug!(target: "my_tool", "below the session's level");
                tracing::info!(target: "my_tool", rows = 3, "loaded");
                tracing::info!(target: "quickmcp_core::x", "framework noise");
                "done"
            })
        });
        assert!(call.resolve().await.is_ok());
        let sent = sink.0.lock().clone();
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(
            sent[0]["params"],
            serde_json::json!({"level": "warning", "logger": "my_tool", "data": "starting"})
        );
        assert_eq!(
            sent[1]["params"]["data"],
            serde_json::json!({"message": "loaded", "rows": 3})
        );
    }
}
