//! User code runs guarded: a panic in a handler fails its one request, never the connection
//! or the process. Caught both around the call (sync handlers run inside it) and around every
//! poll of the future it returns. A `panic = "abort"` profile defeats this: nothing unwinds.

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};

use futures_util::FutureExt;

use crate::error::McpError;
use crate::protocol::content::CallToolResult;

/// Which handler ran, for the log and the error: `("tool", "add")`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Handler<'a> {
    pub(crate) kind: &'static str,
    pub(crate) name: &'a str,
}

impl Handler<'_> {
    /// Logs the panic at ERROR with its payload; the client is told only that it panicked.
    pub(crate) fn panicked(self, payload: &(dyn Any + Send)) -> Panicked {
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a non-string payload");
        tracing::error!(
            handler.kind = self.kind,
            handler.name = self.name,
            panic = message,
            "a handler panicked"
        );
        Panicked(format!(
            "the {} `{}` panicked (see the server's log)",
            self.kind, self.name
        ))
    }
}

/// A handler's panic, as the text its client gets.
#[derive(Debug)]
pub(crate) struct Panicked(String);

impl Panicked {
    /// A tool's panic is its error result (`isError: true`).
    pub(crate) fn into_tool_result(self) -> CallToolResult {
        CallToolResult::error(self.0)
    }
}

impl From<Panicked> for McpError {
    /// A resource's or prompt's panic is `-32603`.
    fn from(panicked: Panicked) -> Self {
        McpError::internal(panicked.0)
    }
}

/// Runs `call`, catching a panic.
pub(crate) fn call<T>(handler: Handler<'_>, call: impl FnOnce() -> T) -> Result<T, Panicked> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|payload| handler.panicked(&*payload))
}

/// Polls `future` to its end, catching a panic in any poll.
pub(crate) async fn poll<F: Future>(
    handler: Handler<'_>,
    future: F,
) -> Result<F::Output, Panicked> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|payload| handler.panicked(&*payload))
}
