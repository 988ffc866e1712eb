//! Sessions of the stateful era: what `initialize` negotiated, kept small so that a server can
//! hold many idle ones.
//!
//! A session splits into plain data, [`SessionState`], which a [`SessionStore`] keeps and any
//! process can load, and the live [`Session`] handle of the process serving it, which caches
//! that state for the hot path and holds what cannot leave the process (the open GET stream,
//! cancellation of running calls).
//!
//! # What crosses processes
//! The state goes through the store (written on `initialize`, after each change, refreshed
//! while used); the live parts stay in [`LocalSessions`]. A process that gets a request for a
//! session it does not hold loads the state and rebuilds the handle, with no stream and no
//! running calls: delivering to another process's stream, or cancelling a call running
//! there, needs a bus implementing [`LiveRegistry`].

mod connection;
mod events;
mod live;
mod manager;
mod ready;
mod state;
mod store;

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwapOption;
use parking_lot::Mutex;

pub(crate) use connection::InFlight;
pub use connection::{Connection, SessionRef};
pub use events::{EventId, EventStore, EventStoreLimits, MemoryEventStore, Replay, ReplayError};
pub use live::{LiveRegistry, LocalSessions};
pub use manager::{new_session_id, SessionConfig, SessionManager};
pub use ready::MaybeReady;
pub use state::{now_millis, SessionState};
pub use store::{MemorySessionStore, SessionResult, SessionStore, SessionStoreError};

use crate::principal::PrincipalId;
use crate::protocol::initialize::{ClientCapabilities, Implementation};
use crate::protocol::{LoggingLevel, ProtocolVersion};
use crate::sink::MessageSink;
use crate::visibility::{Selector, Visibility};

const LOG_UNSET: u8 = u8::MAX;

/// One client's session, as the process serving it holds it: its [`SessionState`] cached
/// for the hot path (atomics, no lock on reads), and its live parts.
pub struct Session {
    id: Box<str>,
    version: ProtocolVersion,
    capabilities: ClientCapabilities,
    client: Option<Box<Implementation>>,
    log_level: AtomicU8,
    created_at: u64,
    /// When a request last used it here (ms since the Unix epoch).
    last_seen: AtomicU64,
    /// When this process last refreshed the stored record.
    refreshed: AtomicU64,
    /// Whether a [`SessionStore`] keeps it (a Streamable HTTP session), or only its
    /// connection does (stdio, legacy SSE).
    stored: bool,
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
        let now = now_millis();
        Self {
            id,
            version,
            capabilities,
            client: client.map(Box::new),
            log_level: AtomicU8::new(LOG_UNSET),
            created_at: now,
            last_seen: AtomicU64::new(now),
            refreshed: AtomicU64::new(now),
            stored: false,
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

    /// The handle of a stored session `id`, rebuilt from its state, with no live parts yet.
    pub(crate) fn from_state(id: Box<str>, state: SessionState) -> Self {
        let mut session = Self::new(
            id,
            state.protocol_version,
            state.client_capabilities,
            state.client_info,
        );
        session.created_at = state.created_at;
        session.stored = true;
        // Refreshed by its first use here: the record may be near its end.
        session.refreshed = AtomicU64::new(0);
        if let Some(level) = state.log_level {
            session.log_level = AtomicU8::new(level as u8);
        }
        *session.subscriptions.get_mut() =
            state.subscriptions.into_iter().map(Into::into).collect();
        if !state.visibility.is_empty() {
            let rules = Visibility::from_rules(state.visibility);
            session.visibility = ArcSwapOption::from_pointee(rules);
        }
        if let Some(owner) = state.owner {
            session.bind_principal(owner);
        }
        session
    }

    /// The session's plain state now, as a store keeps it (`expires_at` is the store's
    /// business: it is set to `last_seen_at` here).
    pub fn state(&self) -> SessionState {
        let last_seen = self.last_seen();
        SessionState {
            protocol_version: self.version,
            client_capabilities: self.capabilities,
            client_info: self.client.as_deref().cloned(),
            log_level: self.log_level(),
            subscriptions: self
                .subscriptions
                .lock()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            visibility: self
                .visibility()
                .map_or_else(Vec::new, |v| v.rules().to_vec()),
            owner: self.principal_id().cloned(),
            created_at: self.created_at,
            last_seen_at: last_seen,
            expires_at: last_seen,
        }
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
    /// # let created = server.sessions().create(ProtocolVersion::LATEST, Default::default(), None, None);
    /// # let session = created.now().unwrap().unwrap();
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

    /// The minimum level the client set, if it set one.
    pub fn log_level(&self) -> Option<LoggingLevel> {
        let min = self.log_level.load(Ordering::Relaxed);
        use LoggingLevel::*;
        [
            Debug, Info, Notice, Warning, Error, Critical, Alert, Emergency,
        ]
        .into_iter()
        .find(|level| *level as u8 == min)
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

    /// Whether a [`SessionStore`] keeps it.
    pub(crate) fn is_stored(&self) -> bool {
        self.stored
    }

    pub(crate) fn touch(&self, now: u64) {
        self.last_seen.store(now, Ordering::Relaxed);
    }

    pub(crate) fn last_seen(&self) -> u64 {
        self.last_seen.load(Ordering::Relaxed)
    }

    /// Whether the stored record is due a refresh at `now` (last done `every` ago or more):
    /// if so, it counts as done now.
    pub(crate) fn refresh_due(&self, now: u64, every: u64) -> bool {
        let last = self.refreshed.load(Ordering::Relaxed);
        now.saturating_sub(last) >= every
            && self
                .refreshed
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
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
