//! What a connection-bound transport (stdio, legacy SSE) holds: its stream, the session
//! `initialize` opens on it, and the calls running on it that belong to no session (the
//! 2026-07-28 wire's), so that `notifications/cancelled` can reach them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use tokio_util::sync::CancellationToken;

use super::Session;
use crate::jsonrpc::RequestId;
use crate::sink::MessageSink;

/// How a transport names the session a message belongs to.
#[derive(Clone, Default)]
pub enum SessionRef {
    /// No sessions: a stateless server.
    #[default]
    None,
    /// Each message names its session (Streamable HTTP's `Mcp-Session-Id`): the name, if this
    /// one carries it.
    Named(Option<http::HeaderValue>),
    /// The connection is the session (stdio, legacy SSE).
    Connection(Arc<Connection>),
}

impl std::fmt::Debug for SessionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Named(id) => f.debug_tuple("Named").field(id).finish(),
            Self::Connection(connection) => f.debug_tuple("Connection").field(connection).finish(),
        }
    }
}

/// One client connection that is also its session: a stdio pipe, or a legacy SSE stream.
///
/// ```
/// use std::sync::Arc;
/// use quickmcp_core::session::Connection;
/// use quickmcp_core::MessageSink;
///
/// struct Discard;
/// impl MessageSink for Discard {
///     fn send(&self, _: bytes::Bytes) -> bool { true }
/// }
///
/// let connection = Connection::new(Arc::new(Discard));
/// assert!(connection.session().is_none(), "until `initialize`");
/// ```
pub struct Connection {
    sink: Arc<dyn MessageSink>,
    session: OnceLock<Arc<Session>>,
    calls: InFlight,
}

impl Connection {
    /// A connection whose messages go to `sink`.
    pub fn new(sink: Arc<dyn MessageSink>) -> Arc<Self> {
        Arc::new(Self {
            sink,
            session: OnceLock::new(),
            calls: InFlight::default(),
        })
    }

    /// Where everything for this connection is written.
    pub fn sink(&self) -> &Arc<dyn MessageSink> {
        &self.sink
    }

    /// The session `initialize` opened on this connection.
    pub fn session(&self) -> Option<&Arc<Session>> {
        self.session.get()
    }

    /// Binds the session `initialize` opened; `false` if one is bound already.
    pub(crate) fn open(&self, session: Arc<Session>) -> bool {
        self.session.set(session).is_ok()
    }

    /// The running calls of this connection that have no session.
    pub(crate) fn calls(&self) -> &InFlight {
        &self.calls
    }

    /// Ends what runs on this connection: its sessionless calls and its session's.
    pub fn close(&self) {
        self.calls.cancel_all();
        if let Some(session) = self.session.get() {
            session.close();
        }
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("session", &self.session.get().map(|s| s.id()))
            .finish_non_exhaustive()
    }
}

/// Running calls by request id, so that `notifications/cancelled` can stop them.
#[derive(Default)]
pub(crate) struct InFlight(Mutex<HashMap<RequestId, CancellationToken>>);

impl InFlight {
    pub(crate) fn track(&self, id: RequestId, cancel: CancellationToken) {
        self.0.lock().insert(id, cancel);
    }

    pub(crate) fn untrack(&self, id: &RequestId) {
        self.0.lock().remove(id);
    }

    /// Cancels the call `id`; `false` if none runs.
    pub(crate) fn cancel(&self, id: &RequestId) -> bool {
        match self.0.lock().remove(id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    pub(crate) fn cancel_all(&self) {
        for (_, token) in self.0.lock().drain() {
            token.cancel();
        }
    }
}
