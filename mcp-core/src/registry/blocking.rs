//! Sync tool bodies that block: run on tokio's blocking pool instead of the thread serving the
//! request (what `#[tool(blocking)]` generates).

use std::borrow::Cow;

use super::tool::ToolFuture;
use crate::guard::Handler;
use crate::protocol::content::CallToolResult;
use crate::response::IntoToolResult;

impl ToolFuture {
    /// A call whose synchronous `body` runs on tokio's blocking pool
    /// ([`spawn_blocking`](tokio::task::spawn_blocking)), so that a body that blocks (file or
    /// database I/O, a long computation, a blocking client library) holds neither the runtime's
    /// worker threads nor the connection it came from. `tool` names it in errors.
    ///
    /// The body starts when the call is first polled, with the call's log scope
    /// ([`log_bridge`](crate::log_bridge)), span and subscriber. A panic in it becomes a tool
    /// error result (`isError: true`) saying the tool panicked, logged with its message at
    /// ERROR, as for any handler; the message itself is not sent to the client. A running body cannot be stopped:
    /// when the client cancels, the call answers nothing and the body's result is dropped
    /// when it ends.
    ///
    /// ```
    /// use quickmcp_core::{Arguments, CallContext, ToolDefinition, ToolFuture, ToolHandler};
    ///
    /// struct Checksum;
    ///
    /// impl ToolHandler for Checksum {
    ///     fn definition(&self) -> ToolDefinition {
    ///         ToolDefinition::new("checksum", "Sums the bytes of a file.")
    ///     }
    ///     fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
    ///         ToolFuture::blocking("checksum", || {
    ///             std::fs::read("Cargo.toml")
    ///                 .map(|bytes| bytes.iter().map(|&b| u64::from(b)).sum::<u64>())
    ///                 .map_err(|e| e.to_string())
    ///         })
    ///     }
    /// }
    /// ```
    pub fn blocking<F, R>(tool: impl Into<Cow<'static, str>>, body: F) -> Self
    where
        F: FnOnce() -> R + Send + 'static,
        R: IntoToolResult,
    {
        let tool = tool.into();
        let body = crate::log_bridge::follow(move || body().into_tool_result());
        Self::Pending(Box::pin(async move {
            let outcome = match tokio::task::spawn_blocking(body).await {
                Ok(result) => result,
                Err(error) if error.is_panic() => {
                    let handler = Handler {
                        kind: "tool",
                        name: &tool,
                    };
                    handler.panicked(&*error.into_panic()).into_tool_result()
                }
                Err(_) => CallToolResult::error(format!(
                    "the tool `{tool}` was stopped: the server is shutting down"
                )),
            };
            Ok(outcome)
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use bytes::Bytes;
    use parking_lot::Mutex;
    use serde_json::Value;
    use tracing_subscriber::layer::SubscriberExt;

    use super::*;
    use crate::handler::{CallContext, RequestCx};
    use crate::jsonrpc::RequestId;
    use crate::log_bridge::{self, McpLogLayer};
    use crate::protocol::{LoggingLevel, ProtocolVersion};
    use crate::session::Session;
    use crate::sink::MessageSink;

    fn text(result: &CallToolResult) -> Value {
        serde_json::to_value(result).unwrap()["content"][0]["text"].clone()
    }

    #[tokio::test]
    async fn runs_off_the_runtime_thread() {
        let caller = std::thread::current().id();
        let call = ToolFuture::blocking("where", move || {
            (std::thread::current().id() != caller).to_string()
        });
        let result = call.resolve().await.unwrap();
        assert_eq!(text(&result), "true");
    }

    /// On a one-thread runtime, a body blocking inline would stop everything else on it.
    #[tokio::test]
    async fn does_not_hold_the_runtime() {
        let started = Instant::now();
        let slow = tokio::spawn(
            ToolFuture::blocking("slow", || std::thread::sleep(Duration::from_millis(300)))
                .resolve(),
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(started.elapsed() < Duration::from_millis(250));
        assert!(!slow.is_finished());
        assert!(!slow.await.unwrap().unwrap().is_error);
    }

    #[tokio::test]
    async fn a_panic_is_a_tool_error() {
        let call = ToolFuture::blocking("boom".to_owned(), || -> String {
            panic!("the disk is on fire")
        });
        let result = call.resolve().await.unwrap();
        assert!(result.is_error);
        assert_eq!(
            text(&result),
            "the tool `boom` panicked (see the server's log)"
        );
    }

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
    async fn keeps_the_log_bridge_of_the_call() {
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
        let request = RequestCx {
            session: Some(session),
            sink: Some(sink.clone()),
            ..RequestCx::default()
        };
        let id = RequestId::Number(1);
        let cx = CallContext::detached(&id, &request);
        let call = log_bridge::start(&cx, || {
            ToolFuture::blocking("logs", || {
                tracing::info!(target: "my_tool", "from the blocking pool");
            })
        });
        assert!(call.resolve().await.is_ok());
        let sent = sink.0.lock().clone();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0]["params"]["data"], "from the blocking pool");
    }
}
