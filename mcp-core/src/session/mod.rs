//! Sessions of the stateful era: what `initialize` negotiated, kept small so that a server can
//! hold many idle ones.
//!
//! A [`Session`] splits into plain data (what a shared store could hold) and live handles that
//! only the process serving it has (the open GET stream, cancellation of running calls).

mod connection;
mod events;
mod manager;
mod store;

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwapOption;
use parking_lot::Mutex;

pub(crate) use connection::InFlight;
pub use connection::{Connection, SessionRef};
pub use events::{EventId, EventStore, EventStoreLimits, MemoryEventStore, ReplayError};
pub use manager::{new_session_id, SessionConfig, SessionManager};
pub use store::{MemorySessionStore, SessionStore};

use crate::principal::PrincipalId;
use crate::protocol::initialize::{ClientCapabilities, Implementation};
use crate::protocol::{LoggingLevel, ProtocolVersion};
use crate::sink::MessageSink;
use crate::visibility::{Selector, Visibility};

const LOG_UNSET: u8 = u8::MAX;

/// One client's session.
pub struct Session {
    id: Box<str>,
    version: ProtocolVersion,
    capabilities: ClientCapabilities,
    client: Option<Box<Implementation>>,
    log_level: AtomicU8,
    last_seen: AtomicU64,
    /// URIs of `resources/subscribe` (plain data: a store could hold it).
    subscriptions: Mutex<Vec<Box<str>>>,
    /// What this session is shown or hidden beyond the server-wide view (plain data). One
    /// null pointer until a rule is set, so sessions without rules cost nothing.
    visibility: ArcSwapOption<Visibility>,
    /// The principal that created the session, when authorization is on (plain data). Boxed:
    /// one pointer for the sessions of servers without authorization.
    owner: OnceLock<Box<PrincipalId>>,
    live: Live,
    /// Times the session for `mcp.server.session.duration`.
    #[cfg(feature = "otel")]
    timer: crate::otel::SessionTimer,
}

#[derive(Default)]
struct Live {
    in_flight: InFlight,
    stream: Mutex<Option<Arc<dyn MessageSink>>>,
}

impl Session {
    pub(crate) fn new(
        id: Box<str>,
        version: ProtocolVersion,
        capabilities: ClientCapabilities,
        client: Option<Implementation>,
    ) -> Self {
        Self {
            id,
            version,
            capabilities,
            client: client.map(Box::new),
            log_level: AtomicU8::new(LOG_UNSET),
            last_seen: AtomicU64::new(0),
            subscriptions: Mutex::default(),
            visibility: ArcSwapOption::empty(),
            owner: OnceLock::new(),
            live: Live::default(),
            #[cfg(feature = "otel")]
            timer: crate::otel::SessionTimer::new(),
        }
    }

    /// Times the session for `mcp.server.session.duration`.
    #[cfg(feature = "otel")]
    pub(crate) fn timer(&self) -> &crate::otel::SessionTimer {
        &self.timer
    }

    /// The `Mcp-Session-Id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The negotiated protocol revision.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.version
    }

    /// What the client declared it supports.
    pub fn client_capabilities(&self) -> ClientCapabilities {
        self.capabilities
    }

    /// The client's `clientInfo`.
    pub fn client_info(&self) -> Option<&Implementation> {
        self.client.as_deref()
    }

    /// The principal the session is bound to: the one whose token created it. Only that
    /// principal may use the session (another gets 404); `None` without authorization.
    pub fn principal_id(&self) -> Option<&PrincipalId> {
        self.owner.get().map(|owner| &**owner)
    }

    /// Binds the session to `owner`, once: `false` if it was bound already (to anyone).
    ///
    /// ```
    /// use quickmcp_core::{McpServer, Principal};
    /// # use quickmcp_core::ProtocolVersion;
    /// # let server = McpServer::new("demo");
    /// # let session = server.sessions().create(ProtocolVersion::LATEST, Default::default(), None).unwrap();
    /// let alice = Principal::new("https://as.example.com", "alice");
    /// assert!(session.bind_principal(alice.id()));
    /// assert!(!session.bind_principal(Principal::new("https://as.example.com", "bob").id()));
    /// assert!(alice.is(session.principal_id().unwrap()));
    /// ```
    pub fn bind_principal(&self, owner: PrincipalId) -> bool {
        self.owner.set(Box::new(owner)).is_ok()
    }

    /// Sets the minimum level of `notifications/message` (from `logging/setLevel`).
    pub fn set_log_level(&self, level: LoggingLevel) {
        self.log_level.store(level as u8, Ordering::Relaxed);
    }

    /// Whether a message at `level` goes out; everything does until the client sets a level.
    pub fn log_enabled(&self, level: LoggingLevel) -> bool {
        let min = self.log_level.load(Ordering::Relaxed);
        min == LOG_UNSET || level as u8 >= min
    }

    /// Subscribes to `notifications/resources/updated` for `uri` (`resources/subscribe`).
    pub fn subscribe(&self, uri: &str) {
        let mut subscriptions = self.subscriptions.lock();
        if !subscriptions.iter().any(|s| &**s == uri) {
            subscriptions.push(uri.into());
        }
    }

    /// Ends a subscription (`resources/unsubscribe`); `false` if there was none.
    pub fn unsubscribe(&self, uri: &str) -> bool {
        let mut subscriptions = self.subscriptions.lock();
        let before = subscriptions.len();
        subscriptions.retain(|s| &**s != uri);
        if subscriptions.is_empty() {
            subscriptions.shrink_to_fit();
        }
        subscriptions.len() != before
    }

    /// Whether the session subscribed to `uri`.
    pub fn is_subscribed(&self, uri: &str) -> bool {
        self.subscriptions.lock().iter().any(|s| &**s == uri)
    }

    /// The session's visibility rules, if it has any.
    pub(crate) fn visibility(&self) -> Option<Arc<Visibility>> {
        self.visibility.load().as_ref().map(Arc::clone)
    }

    /// Adds the rule `selector → shown`; `false` if it changes nothing.
    pub(crate) fn set_visible(&self, selector: Selector, shown: bool) -> bool {
        let mut changed = false;
        self.visibility.rcu(|current| {
            let base = current.as_deref().cloned().unwrap_or_default();
            let next = base.with(selector.clone(), shown);
            changed = next.is_some();
            next.map_or_else(|| current.clone(), |v| Some(Arc::new(v)))
        });
        changed
    }

    /// Drops every visibility rule; `false` if there were none.
    pub(crate) fn reset_visibility(&self) -> bool {
        self.visibility.swap(None).is_some()
    }

    pub(crate) fn touch(&self, now: u64) {
        self.last_seen.store(now, Ordering::Relaxed);
    }

    pub(crate) fn last_seen(&self) -> u64 {
        self.last_seen.load(Ordering::Relaxed)
    }

    /// Attaches the session's standalone stream (the GET stream, or the legacy SSE stream).
    /// `false` if one is already open: a session has at most one.
    pub fn try_attach_stream(&self, sink: Arc<dyn MessageSink>) -> bool {
        let mut slot = self.live.stream.lock();
        if slot.is_some() {
            return false;
        }
        *slot = Some(sink);
        true
    }

    /// Detaches the standalone stream if it is still `sink` (a newer one stays).
    pub fn detach_stream_if(&self, sink: &Arc<dyn MessageSink>) {
        let mut slot = self.live.stream.lock();
        if slot
            .as_ref()
            .is_some_and(|current| std::ptr::addr_eq(Arc::as_ptr(current), Arc::as_ptr(sink)))
        {
            *slot = None;
        }
    }

    /// The standalone stream, if one is open.
    pub fn stream(&self) -> Option<Arc<dyn MessageSink>> {
        self.live.stream.lock().clone()
    }

    /// The session's running calls, for `notifications/cancelled`.
    pub(crate) fn calls(&self) -> &InFlight {
        &self.live.in_flight
    }

    /// Ends the session's live parts: cancels running calls and closes its stream.
    pub(crate) fn close(&self) {
        self.live.in_flight.cancel_all();
        self.live.stream.lock().take();
        #[cfg(feature = "otel")]
        self.timer.stop();
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}
