//! The one invoker every handler kind runs through (tools, resource reads, prompts): the
//! handler's panics caught into its request's error, its call tracked for
//! `notifications/cancelled`, its visibility control attached, its timeout enforced (its
//! definition's, else the server's [`call_timeout`](crate::McpServer::call_timeout)), and on
//! the 2026 wire its MRTR race (a question the retried call has no answer for stops it with
//! `input_required`).
//!
//! A handler that finishes inside its call (every sync tool: it runs right here, on the thread
//! serving the request) is answered without a future; one that is still running comes back as
//! a future the transport polls.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::Engine;
use crate::error::{McpError, Rejection};
use crate::guard::{self, Failed, Handler};
use crate::handler::{CallContext, CallState, RequestCx};
use crate::jsonrpc::RequestId;
use crate::registry::Reply;
use crate::session::{Connection, Session, SessionRef};

/// What a method produced: an answer, or `None` when the client cancelled the request.
pub(crate) type Outcome = Option<Result<Bytes, McpError>>;

/// A method's answer, before its era decides how it goes out.
pub(crate) enum Answer {
    Ready(Outcome),
    Running(Pin<Box<dyn Future<Output = Outcome> + Send>>),
    /// Refused before any handler ran, with what the transport should say (an HTTP 403 for
    /// a missing scope).
    Refused(Rejection),
}

impl Answer {
    pub(crate) fn ready(result: Result<Bytes, McpError>) -> Self {
        Self::Ready(Some(result))
    }
}

/// One handler call about to run.
pub(crate) struct Invocation {
    pub(crate) id: RequestId,
    pub(crate) cx: RequestCx,
    pub(crate) kind: &'static str,
    pub(crate) name: Cow<'static, str>,
    pub(crate) call: CallState,
    /// The handler's own timeout (its definition's); `None` leaves it to the server's.
    pub(crate) timeout: Option<Duration>,
}

/// Serializes a handler's result (or its error) as the response.
pub(crate) type Respond<T> =
    fn(&RequestId, &RequestCx, Result<T, McpError>) -> Result<Bytes, McpError>;

/// What to do with a handler's result, and with its failure.
pub(crate) struct Finish<T> {
    /// Serializes the result (or the handler's error) as the response.
    pub(crate) respond: Respond<T>,
    /// What a panic or a timeout is: an error result for a tool, a JSON-RPC error for the
    /// others.
    pub(crate) failed: fn(Failed) -> Result<T, McpError>,
}

impl Engine {
    /// Runs one handler: `start` calls it with the call's context.
    pub(crate) fn invoke<T: Send + 'static>(
        self: &Arc<Self>,
        mut invocation: Invocation,
        start: impl FnOnce(&CallContext<'_>) -> Reply<T>,
        finish: Finish<T>,
    ) -> Answer {
        invocation.call.control = Some(self.clone());
        let Invocation { id, cx, kind, .. } = &invocation;
        let state = self.state.load_full();
        let started = {
            let call_cx = CallContext::new(id, cx, &state, &invocation.call);
            let handler = Handler {
                kind,
                name: &invocation.name,
            };
            guard::call(handler, || start(&call_cx))
        };
        let future = match started {
            Err(failed) => return Answer::ready((finish.respond)(id, cx, (finish.failed)(failed))),
            Ok(Reply::Ready(result)) => return Answer::ready((finish.respond)(id, cx, result)),
            Ok(Reply::Pending(future)) => future,
        };
        // Tracked now, not on the first poll: a cancellation may come before it.
        let tracked = Tracked::new(cx, id, &invocation.call);
        invocation.timeout = invocation.timeout.or_else(|| self.call_timeout());
        let running = self.clone().run(invocation, tracked, future, finish);
        Answer::Running(Box::pin(running))
    }

    /// Runs a handler's future to its answer, unless the client cancels it, its MRTR round
    /// stops it, or its timeout expires: then the future is dropped, and with it the requests
    /// it sent the client.
    async fn run<T>(
        self: Arc<Self>,
        invocation: Invocation,
        _tracked: Tracked,
        future: impl Future<Output = Result<T, McpError>>,
        finish: Finish<T>,
    ) -> Outcome {
        let Invocation {
            id,
            cx,
            kind,
            name,
            call,
            timeout,
        } = invocation;
        let _running = RunningCall::enter(&self.running_calls);
        let handler = Handler { kind, name: &name };
        let stopped = async {
            match &call.round {
                Some(round) => round.stopped().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            result = guard::poll(handler, future) => {
                let result = result.unwrap_or_else(finish.failed);
                Some((finish.respond)(&id, &cx, result))
            }
            () = stopped => {
                let round = call.round.as_ref()?;
                Some(Ok(round.input_required(&id, &self.state_key())))
            }
            () = call.cancel.cancelled() => {
                tracing::debug!("cancelled by the client");
                None
            }
            timeout = expiry(timeout) => {
                // What the handler spawned and tied to its cancellation stops too.
                call.cancel.cancel();
                let failed = (finish.failed)(handler.timed_out(timeout));
                Some((finish.respond)(&id, &cx, failed))
            }
        }
    }
}

/// Resolves once `timeout` has passed (never without one), with the timeout.
pub(crate) async fn expiry(timeout: Option<Duration>) -> Duration {
    match timeout {
        Some(timeout) => {
            tokio::time::sleep(timeout).await;
            timeout
        }
        None => std::future::pending().await,
    }
}

/// One call counted in [`McpServer::stats`](crate::McpServer::stats) while it runs.
struct RunningCall<'a>(&'a AtomicUsize);

impl<'a> RunningCall<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count)
    }
}

impl Drop for RunningCall<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A running call registered where `notifications/cancelled` finds it (its session, else its
/// connection), until dropped.
pub(crate) struct Tracked {
    place: Place,
    id: RequestId,
}

enum Place {
    Session(Arc<Session>),
    Connection(Arc<Connection>),
    Nowhere,
}

impl Tracked {
    pub(crate) fn new(cx: &RequestCx, id: &RequestId, call: &CallState) -> Self {
        let place = match (&cx.session, &cx.binding) {
            (Some(session), _) => Place::Session(session.clone()),
            (None, SessionRef::Connection(connection)) => Place::Connection(connection.clone()),
            (None, _) => Place::Nowhere,
        };
        let calls = match &place {
            Place::Session(session) => Some(session.calls()),
            Place::Connection(connection) => Some(connection.calls()),
            Place::Nowhere => None,
        };
        if let Some(calls) = calls {
            calls.track(id.clone(), call.cancel.clone());
        }
        Self {
            place,
            id: id.clone(),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        match &self.place {
            Place::Session(session) => session.calls().untrack(&self.id),
            Place::Connection(connection) => connection.calls().untrack(&self.id),
            Place::Nowhere => {}
        }
    }
}
