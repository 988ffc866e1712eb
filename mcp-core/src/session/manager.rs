//! [`SessionManager`]: mints ids, enforces the cap, expires idle sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use rand::RngCore;

use super::{
    now_millis, EventStore, LocalSessions, MaybeReady, MemoryEventStore, MemorySessionStore,
    Session, SessionResult, SessionState, SessionStore, SessionStoreError,
};
use crate::principal::PrincipalId;
use crate::protocol::initialize::{ClientCapabilities, Implementation};
use crate::protocol::ProtocolVersion;

/// Limits on sessions.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// A session unused for this long is dropped (default 30 minutes).
    pub idle_timeout: Duration,
    /// At most this many sessions held by this process at once; `initialize` beyond it is
    /// refused with 503 (default 100,000).
    pub max_sessions: usize,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(30 * 60),
            max_sessions: 100_000,
        }
    }
}

/// Owns the sessions of one server: the records in its [`SessionStore`], the handles this
/// process holds in [`LocalSessions`]. Nothing needs starting: the expiry sweep begins with
/// the first session and ends when the manager is dropped.
///
/// A request is served from the handle held here (no store call on the hot path); the record
/// is refreshed at most every sixteenth of the idle timeout, and kept by the store that much
/// longer than the timeout, so that it outlives the handle. A request for a session held
/// elsewhere loads the record and rebuilds the handle ([`open`](Self::open)).
pub struct SessionManager {
    store: RwLock<Arc<dyn SessionStore>>,
    live: Arc<LocalSessions>,
    config: RwLock<SessionConfig>,
    events: RwLock<Option<Arc<dyn EventStore>>>,
    sweeping: AtomicBool,
    /// Sessions a transport holds itself (stdio), for server-initiated notifications.
    local: Mutex<Vec<Weak<Session>>>,
}

impl Default for SessionManager {
    fn default() -> Self {
        Self::new(Arc::new(MemorySessionStore::default()))
    }
}

impl SessionManager {
    /// A manager over `store`.
    pub fn new(store: Arc<dyn SessionStore>) -> Self {
        Self {
            store: RwLock::new(store),
            live: Arc::default(),
            config: RwLock::default(),
            events: RwLock::new(Some(Arc::new(MemoryEventStore::default()))),
            sweeping: AtomicBool::new(false),
            local: Mutex::default(),
        }
    }

    /// Sets where session records are kept (a [`MemorySessionStore`] by default). Set it
    /// before serving: sessions created before stay in the old store.
    pub fn set_store(&self, store: Arc<dyn SessionStore>) {
        *self.store.write() = store;
    }

    /// Where session records are kept.
    pub fn store(&self) -> Arc<dyn SessionStore> {
        self.store.read().clone()
    }

    /// The session handles this process holds.
    pub fn live(&self) -> &LocalSessions {
        &self.live
    }

    /// Replaces the limits.
    pub fn configure(&self, config: SessionConfig) {
        *self.config.write() = config;
    }

    /// The current limits.
    pub fn config(&self) -> SessionConfig {
        self.config.read().clone()
    }

    /// Sets where the events of resumable streams are kept (a [`MemoryEventStore`] by
    /// default; `None` turns resumable streams off); the manager tells it when a session ends
    /// or expires, so its events are freed.
    pub fn set_event_store(&self, store: Option<Arc<dyn EventStore>>) {
        *self.events.write() = store;
    }

    /// The event store, if resumable streams are on.
    pub fn event_store(&self) -> Option<Arc<dyn EventStore>> {
        self.events.read().clone()
    }

    /// Ends what the handle holds here and frees the session's events.
    fn closed(&self, session: &Session) {
        session.close();
        if let Some(store) = &*self.events.read() {
            finish_detached(store.forget_session(session.id()));
        }
    }

    fn idle_ms(&self) -> u64 {
        self.config.read().idle_timeout.as_millis() as u64
    }

    /// How long the store keeps a record from its last refresh: the idle timeout and one
    /// refresh period, so that the record outlives the handle.
    fn ttl(&self) -> Duration {
        let idle = self.idle_ms();
        Duration::from_millis(idle + refresh_every(idle))
    }

    /// Creates a session, stores it and holds it here; [`SessionStoreError::Full`] when this
    /// process holds as many as it may. `owner` binds it to a principal from the start.
    pub fn create(
        self: &Arc<Self>,
        version: ProtocolVersion,
        capabilities: ClientCapabilities,
        client: Option<Implementation>,
        owner: Option<PrincipalId>,
    ) -> SessionResult<Arc<Session>> {
        let max = self.config.read().max_sessions;
        if self.live.len() >= max {
            return MaybeReady::ready(Err(SessionStoreError::Full(max)));
        }
        let mut session = Session::new(new_session_id(), version, capabilities, client);
        session.stored = true;
        if let Some(owner) = owner {
            session.bind_principal(owner);
        }
        let mut state = session.state();
        state.refresh(session.last_seen(), self.ttl());
        let stored = self.store().create(session.id(), state);
        let this = self.clone();
        let session = Arc::new(session);
        let hold = move |stored: Result<(), SessionStoreError>| {
            stored?;
            this.live.insert(session.clone());
            this.start_sweeping();
            Ok(session)
        };
        match stored.now() {
            Ok(stored) => MaybeReady::ready(hold(stored)),
            Err(pending) => MaybeReady::new(async move { hold(pending.await) }),
        }
    }

    /// Finds a session held here and marks it used: no store call but the periodic refresh.
    /// `None` when it is not held here (see [`open`](Self::open)), idle too long, or its
    /// record is gone (deleted by another process). A refresh the store answers later is
    /// waited for off the caller, dropping the handle then if the record is gone.
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        match self.held(id)? {
            Held::Now(session) => Some(session),
            Held::Refreshing(session, touched) => {
                let (live, id): (_, Box<str>) = (self.live.clone(), id.into());
                finish_detached(MaybeReady::new(async move {
                    if let Ok(false) = touched.await {
                        if let Some(session) = live.remove(&id) {
                            session.close();
                        }
                    }
                }));
                Some(session)
            }
        }
    }

    /// Finds a session held here, or loads its record and rebuilds its handle here (with no
    /// stream and no running calls), and marks it used; a refresh of its record that is due
    /// is awaited. `None` when no store knows it, or it is idle past the timeout. The path of
    /// every request: with the session held here and no refresh due, it is ready at once.
    pub fn open(self: &Arc<Self>, id: &str) -> MaybeReady<Option<Arc<Session>>> {
        if let Some(held) = self.held(id) {
            return self.settle(held);
        }
        let loaded = self.store().load(id);
        let (this, id): (_, Box<str>) = (self.clone(), id.into());
        match loaded.now() {
            Ok(loaded) => match this.rebuild(id, loaded) {
                Some(held) => this.settle(held),
                None => MaybeReady::ready(None),
            },
            Err(pending) => MaybeReady::new(async move {
                let held = this.rebuild(id, pending.await)?;
                this.settle(held).await
            }),
        }
    }

    /// The handle held here, marked used at `now`; its record's refresh started if due.
    fn held(&self, id: &str) -> Option<Held> {
        let session = self.live.get(id)?;
        let now = now_millis();
        let idle = self.idle_ms();
        if now.saturating_sub(session.last_seen()) > idle {
            self.drop_local(id);
            return None;
        }
        session.touch(now);
        if !session.refresh_due(now, refresh_every(idle)) {
            return Some(Held::Now(session));
        }
        match self.store().touch(id, self.ttl()).now() {
            Ok(touched) => self.refreshed(session, touched).map(Held::Now),
            Err(pending) => Some(Held::Refreshing(session, pending)),
        }
    }

    /// The session once its refresh is done.
    fn settle(self: &Arc<Self>, held: Held) -> MaybeReady<Option<Arc<Session>>> {
        match held {
            Held::Now(session) => MaybeReady::ready(Some(session)),
            Held::Refreshing(session, touched) => {
                let this = self.clone();
                MaybeReady::new(async move { this.refreshed(session, touched.await) })
            }
        }
    }

    /// What a refresh says of the handle: kept, or dropped when the record is gone (a store
    /// failure keeps it, as the record may well be there).
    fn refreshed(
        &self,
        session: Arc<Session>,
        touched: Result<bool, SessionStoreError>,
    ) -> Option<Arc<Session>> {
        match touched {
            Ok(true) => Some(session),
            Ok(false) => {
                tracing::debug!(session = session.id(), "session record gone");
                self.drop_local(session.id());
                None
            }
            Err(error) => {
                tracing::warn!(session = session.id(), %error, "session refresh failed");
                Some(session)
            }
        }
    }

    /// Holds a loaded session here, if it is live: its record is refreshed by this use.
    fn rebuild(
        self: &Arc<Self>,
        id: Box<str>,
        loaded: Result<Option<SessionState>, SessionStoreError>,
    ) -> Option<Held> {
        let state = match loaded {
            Ok(state) => state?,
            Err(error) => {
                tracing::warn!(session = %id, %error, "session load failed");
                return None;
            }
        };
        let now = now_millis();
        if state.is_expired(now) || now.saturating_sub(state.last_seen_at) > self.idle_ms() {
            return None;
        }
        let session = Arc::new(Session::from_state(id, state));
        // Another request may have rebuilt it meanwhile: its handle wins.
        if self.live.insert(session.clone()) {
            tracing::debug!(session = session.id(), "session loaded from the store");
            self.start_sweeping();
        }
        self.held(session.id())
    }

    /// Writes the session's state to its store (after a change); `Ok(false)` when the record
    /// is gone. A session only its connection holds (stdio) has no record: nothing is written.
    pub fn save(&self, session: &Session) -> SessionResult<bool> {
        if !session.is_stored() {
            return MaybeReady::ready(Ok(true));
        }
        let mut state = session.state();
        state.refresh(session.last_seen(), self.ttl());
        self.store().save(session.id(), state)
    }

    /// [`save`](Self::save) for a change made outside a request (a visibility rule set by
    /// the server): written at once in memory, else in a task of its own.
    pub(crate) fn persist(&self, session: &Session) {
        let id: Box<str> = session.id().into();
        finish_detached(self.save(session).map(move |saved| {
            if let Err(error) = saved {
                tracing::warn!(session = %id, %error, "session save failed");
            }
        }));
    }

    /// Lets go of the handle held here, ending its live parts; `false` if none was held.
    fn drop_local(&self, id: &str) -> bool {
        let session = self.live.remove(id);
        if let Some(session) = &session {
            self.closed(session);
        }
        session.is_some()
    }

    /// Ends a session (DELETE): its record is deleted, and its handle here, if any, closed
    /// (running calls cancelled, stream closed). `false` if neither knew it.
    pub fn end(&self, id: &str) -> MaybeReady<bool> {
        let held = self.drop_local(id);
        let deleted = self.store().delete(id);
        let id: Box<str> = id.into();
        deleted.map(move |deleted| match deleted {
            Ok(deleted) => held || deleted,
            Err(error) => {
                tracing::warn!(session = %id, %error, "session delete failed");
                held
            }
        })
    }

    /// Finds a session, held here or local to a transport, without marking it used (for
    /// server-side changes such as per-session visibility).
    pub(crate) fn find(&self, id: &str) -> Option<Arc<Session>> {
        self.live.get(id).or_else(|| {
            let local = self.local.lock();
            local
                .iter()
                .filter_map(Weak::upgrade)
                .find(|s| s.id() == id)
        })
    }

    /// Visits every session this process holds: the stored ones held here and those local
    /// to a transport still alive.
    pub fn for_each(&self, mut visit: impl FnMut(&Arc<Session>)) {
        self.live.for_each(&mut visit);
        let local: Vec<Arc<Session>> = self.local.lock().iter().filter_map(Weak::upgrade).collect();
        local.iter().for_each(visit);
    }

    /// Makes a session the transport holds itself (stdio's) visible to server-initiated
    /// notifications (`list_changed`, `resources/updated`) until it is dropped.
    pub fn track_local(&self, session: &Arc<Session>) {
        let mut local = self.local.lock();
        local.retain(|s| s.strong_count() > 0);
        local.push(Arc::downgrade(session));
    }

    /// How many stored sessions this process holds.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether this process holds no stored session.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// Lets go of the sessions idle for longer than the timeout, and has the store drop its
    /// expired records; returns how many handles were let go.
    pub fn sweep(&self) -> usize {
        let (now, idle) = (now_millis(), self.idle_ms());
        let expired = self
            .live
            .remove_where(|s| now.saturating_sub(s.last_seen()) > idle);
        for session in &expired {
            self.closed(session);
        }
        if !expired.is_empty() {
            tracing::debug!(expired = expired.len(), "idle sessions expired");
        }
        finish_detached(self.store().sweep());
        expired.len()
    }

    fn start_sweeping(self: &Arc<Self>) {
        if self.sweeping.swap(true, Ordering::Relaxed)
            || tokio::runtime::Handle::try_current().is_err()
        {
            return;
        }
        let manager: Weak<Self> = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let period = match manager.upgrade() {
                    Some(m) => (m.config.read().idle_timeout / 4)
                        .clamp(Duration::from_millis(50), Duration::from_secs(60)),
                    None => return,
                };
                tokio::time::sleep(period).await;
                match manager.upgrade() {
                    Some(m) => m.sweep(),
                    None => return,
                };
            }
        });
    }
}

/// A handle held here, its record's refresh done or under way.
enum Held {
    Now(Arc<Session>),
    Refreshing(Arc<Session>, SessionResult<bool>),
}

/// How often a used session's record is refreshed: a sixteenth of the idle timeout.
fn refresh_every(idle_ms: u64) -> u64 {
    (idle_ms / 16).max(1)
}

/// Lets a store call whose answer nobody needs finish: at once if it is ready, else in a
/// task of its own (dropped outside a runtime, as nothing could run it).
fn finish_detached<T: Send + 'static>(call: MaybeReady<T>) {
    if let Err(pending) = call.now() {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(pending);
        }
    }
}

/// A fresh session id: 128 random bits from the thread's CSPRNG, as 32 hex digits (visible
/// ASCII, as the spec requires).
pub fn new_session_id() -> Box<str> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let mut id = String::with_capacity(32);
    for b in bytes {
        id.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
        id.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
    }
    id.into_boxed_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager() -> Arc<SessionManager> {
        Arc::new(SessionManager::default())
    }

    fn open(m: &Arc<SessionManager>) -> Option<Arc<Session>> {
        let created = m.create(
            ProtocolVersion::LATEST,
            ClientCapabilities::default(),
            None,
            None,
        );
        created.now().expect("in memory, ready at once").ok()
    }

    #[test]
    fn ids_are_random_visible_ascii() {
        let (a, b) = (new_session_id(), new_session_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| (0x21..=0x7e).contains(&c)));
    }

    #[test]
    fn enforces_the_cap() {
        let m = manager();
        m.configure(SessionConfig {
            max_sessions: 2,
            ..SessionConfig::default()
        });
        assert!(open(&m).is_some() && open(&m).is_some());
        assert!(open(&m).is_none());
    }

    #[tokio::test]
    async fn ended_sessions_are_gone_from_the_store_too() {
        let m = manager();
        let s = open(&m).unwrap();
        assert!(m.get(s.id()).is_some());
        assert!(m.end(s.id()).await);
        assert!(m.get(s.id()).is_none());
        assert!(m.open(s.id()).await.is_none(), "not in the store either");
        assert!(!m.end(s.id()).await);
        assert_eq!((m.len(), m.store().len().await), (0, Ok(0)));
    }

    #[tokio::test]
    async fn ended_sessions_free_their_events() {
        use crate::session::{EventStore, MemoryEventStore};
        let m = manager();
        let store = Arc::new(MemoryEventStore::default());
        m.set_event_store(Some(store.clone()));
        let s = open(&m).unwrap();
        let stream = store.open_stream(s.id()).await;
        let message = bytes::Bytes::from_static(b"{}");
        assert!(store.append(s.id(), stream, message).await.is_some());
        assert_eq!(store.sessions(), 1);
        m.end(s.id()).await;
        assert_eq!((store.sessions(), store.stored_bytes()), (0, 0));
    }

    #[tokio::test]
    async fn idle_sessions_expire() {
        let m = manager();
        m.configure(SessionConfig {
            idle_timeout: Duration::from_millis(30),
            ..SessionConfig::default()
        });
        let s = open(&m).unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(m.len(), 0, "the sweep removed it");
        assert!(m.get(s.id()).is_none());
        assert!(m.open(s.id()).await.is_none(), "its record is expired too");
    }

    /// Two managers over one store are two processes of a cluster.
    #[tokio::test]
    async fn another_process_rebuilds_a_stored_session_and_sees_its_end() {
        let store: Arc<dyn SessionStore> = Arc::new(MemorySessionStore::default());
        let (a, b) = (manager(), manager());
        let config = SessionConfig {
            idle_timeout: Duration::from_secs(16),
            ..SessionConfig::default()
        };
        for m in [&a, &b] {
            m.set_store(store.clone());
            m.configure(config.clone());
        }
        let alice = crate::Principal::new("https://as.example.com", "alice").id();
        let created = a.create(
            ProtocolVersion::LATEST,
            Default::default(),
            None,
            Some(alice),
        );
        let s = created.await.unwrap();
        s.set_log_level(crate::protocol::LoggingLevel::Error);
        s.subscribe("file:///x");
        assert_eq!(a.save(&s).await, Ok(true));
        assert!(b.get(s.id()).is_none(), "not held by b");
        let rebuilt = b.open(s.id()).await.expect("loaded from the store");
        assert_eq!(rebuilt.state().subscriptions, ["file:///x"]);
        assert!(!rebuilt.log_enabled(crate::protocol::LoggingLevel::Warning));
        assert!(rebuilt.stream().is_none(), "live parts stay with a");
        assert_eq!(
            rebuilt.principal_id(),
            s.principal_id(),
            "bound to its owner"
        );
        assert!(rebuilt.principal_id().is_some());
        assert!(b.end(s.id()).await);
        // a notices at its next refresh (every second here).
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        assert!(a.get(s.id()).is_none(), "the record is gone");
        assert_eq!(a.len(), 0);
    }
}
