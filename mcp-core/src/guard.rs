//! User code runs guarded: a panic in a handler fails its one request, never the connection
//! or the process. Caught both around the call (sync handlers run inside it) and around every
//! poll of the future it returns. A `panic = "abort"` profile defeats this: nothing unwinds.
//! A handler that outlives its timeout fails its request the same way ([`Handler::timed_out`]).

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use futures_util::FutureExt;

use crate::error::{code, McpError};
use crate::protocol::content::CallToolResult;

/// Which handler ran, for the log and the error: `("tool", "add")`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Handler<'a> {
    pub(crate) kind: &'static str,
    pub(crate) name: &'a str,
}

impl Handler<'_> {
    /// Logs the panic at ERROR with its payload; the client is told only that it panicked.
    pub(crate) fn panicked(self, payload: &(dyn Any + Send)) -> Failed {
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
        Failed {
            code: code::INTERNAL_ERROR,
            message: format!(
                "the {} `{}` panicked (see the server's log)",
                self.kind, self.name
            ),
        }
    }

    /// Logs at WARN that the handler ran out of `timeout`; the client is told so.
    pub(crate) fn timed_out(self, timeout: Duration) -> Failed {
        tracing::warn!(
            handler.kind = self.kind,
            handler.name = self.name,
            ?timeout,
            "a handler timed out"
        );
        Failed {
            code: code::REQUEST_TIMEOUT,
            message: format!(
                "the {} `{}` did not finish within {timeout:?}",
                self.kind, self.name
            ),
        }
    }
}

/// A handler that ended without an answer (it panicked, or ran out of time), as its client
/// is told.
#[derive(Debug)]
pub(crate) struct Failed {
    code: i32,
    message: String,
}

impl Failed {
    /// For a tool, its error result (`isError: true`): the tool ran and failed, and the model
    /// sees why, as for any error of the tool's own.
    pub(crate) fn into_tool_result(self) -> CallToolResult {
        CallToolResult::error(self.message)
    }
}

impl From<Failed> for McpError {
    /// For a resource or a prompt, a JSON-RPC error: `-32603` for a panic, `-32001` for a
    /// timeout.
    fn from(failed: Failed) -> Self {
        McpError::new(failed.code, failed.message)
    }
}

/// Runs `call`, catching a panic.
pub(crate) fn call<T>(handler: Handler<'_>, call: impl FnOnce() -> T) -> Result<T, Failed> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|payload| handler.panicked(&*payload))
}

/// Polls `future` to its end, catching a panic in any poll.
pub(crate) async fn poll<F: Future>(handler: Handler<'_>, future: F) -> Result<F::Output, Failed> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|payload| handler.panicked(&*payload))
}
