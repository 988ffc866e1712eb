//! The open legacy SSE connections of one app, and the calls each one's stream drives.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use futures_util::stream::{FuturesUnordered, StreamExt};
use parking_lot::Mutex;
use quickmcp_core::{Connection, PrincipalId};

type Call = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One open SSE connection: the core's connection (its stream and session), and the calls
/// whose answers it will carry.
pub(crate) struct Legacy {
    pub(super) connection: Arc<Connection>,
    pub(super) calls: Arc<Calls>,
    /// The principal that opened the stream (authorization on): only it may POST to it.
    pub(super) owner: Option<PrincipalId>,
}

/// The open connections of one app, by the id in their endpoint URL.
#[derive(Default)]
pub(crate) struct Connections(pub(super) Mutex<HashMap<Box<str>, Arc<Legacy>>>);

/// The running calls of one connection, polled by its stream.
#[derive(Default)]
pub(super) struct Calls(Mutex<Running>);

#[derive(Default)]
struct Running {
    calls: FuturesUnordered<Call>,
    waker: Option<Waker>,
}

impl Calls {
    pub(super) fn push(&self, call: Call) {
        let mut running = self.0.lock();
        running.calls.push(call);
        if let Some(waker) = running.waker.take() {
            waker.wake();
        }
    }

    /// Runs the calls as the stream is polled; never ends (the stream does).
    pub(super) fn drive(self: Arc<Self>) -> Call {
        Box::pin(std::future::poll_fn(move |cx: &mut Context<'_>| {
            let mut running = self.0.lock();
            while let Poll::Ready(Some(())) = running.calls.poll_next_unpin(cx) {}
            running.waker = Some(cx.waker().clone());
            Poll::Pending
        }))
    }
}
