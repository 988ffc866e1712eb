//! [`SessionManager`]: mints ids, enforces the cap, expires idle sessions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::{Mutex, RwLock};

use super::EventStore;
use rand::RngCore;

use super::{MemoryEventStore, MemorySessionStore, Session, SessionStore};
use crate::protocol::initialize::{ClientCapabilities, Implementation};
use crate::protocol::ProtocolVersion;

/// Limits on sessions.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// A session unused for this long is dropped (default 30 minutes).
    pub idle_timeout: Duration,
    /// At most this many sessions at once; `initialize` beyond it is refused (default 100,000).
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

/// Owns the sessions of one server. Nothing needs starting: the expiry sweep begins with the
/// first session and ends when the manager is dropped.
pub struct SessionManager {
    store: Arc<dyn SessionStore>,
    config: RwLock<SessionConfig>,
    events: RwLock<Option<Arc<dyn EventStore>>>,
    epoch: Instant,
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
            store,
            config: RwLock::default(),
            events: RwLock::new(Some(Arc::new(MemoryEventStore::default()))),
            epoch: Instant::now(),
            sweeping: AtomicBool::new(false),
            local: Mutex::default(),
        }
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

    fn closed(&self, session: &Session) {
        session.close();
        if let Some(store) = &*self.events.read() {
            store.forget_session(session.id());
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Creates and stores a session, or `None` when the cap is reached.
    pub fn create(
        self: &Arc<Self>,
        version: ProtocolVersion,
        capabilities: ClientCapabilities,
        client: Option<Implementation>,
    ) -> Option<Arc<Session>> {
        if self.store.len() >= self.config.read().max_sessions {
            return None;
        }
        let session = Arc::new(Session::new(
            new_session_id(),
            version,
            capabilities,
            client,
        ));
        session.touch(self.now());
        self.store.insert(session.clone());
        self.start_sweeping();
        Some(session)
    }

    /// Finds a live session and marks it used.
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        let session = self.store.get(id)?;
        let now = self.now();
        if now.saturating_sub(session.last_seen()) > self.idle_ms() {
            self.remove(id);
            return None;
        }
        session.touch(now);
        Some(session)
    }

    /// Finds a session, stored or local, without marking it used (for server-side changes
    /// such as per-session visibility).
    pub(crate) fn find(&self, id: &str) -> Option<Arc<Session>> {
        self.store.get(id).or_else(|| {
            let local = self.local.lock();
            local
                .iter()
                .filter_map(Weak::upgrade)
                .find(|s| s.id() == id)
        })
    }

    /// Ends a session (DELETE): running calls are cancelled and its stream closed.
    pub fn remove(&self, id: &str) -> Option<Arc<Session>> {
        let session = self.store.remove(id)?;
        self.closed(&session);
        Some(session)
    }

    /// Visits every session: the stored ones (see [`SessionStore::for_each`]) and the local
    /// ones still alive.
    pub fn for_each(&self, mut visit: impl FnMut(&Arc<Session>)) {
        self.store.for_each(&mut visit);
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

    /// How many sessions exist.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether there is no session.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    fn idle_ms(&self) -> u64 {
        self.config.read().idle_timeout.as_millis() as u64
    }

    /// Drops sessions idle for longer than the timeout; returns how many.
    pub fn sweep(&self) -> usize {
        let (now, idle) = (self.now(), self.idle_ms());
        let expired = self
            .store
            .remove_where(&|s| now.saturating_sub(s.last_seen()) > idle);
        for session in &expired {
            self.closed(session);
        }
        if !expired.is_empty() {
            tracing::debug!(expired = expired.len(), "idle sessions expired");
        }
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
        m.create(ProtocolVersion::LATEST, ClientCapabilities::default(), None)
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

    #[test]
    fn removed_sessions_are_gone() {
        let m = manager();
        let s = open(&m).unwrap();
        assert!(m.get(s.id()).is_some());
        assert!(m.remove(s.id()).is_some());
        assert!(m.get(s.id()).is_none());
        assert_eq!(m.len(), 0);
    }

    #[test]
    fn ended_sessions_free_their_events() {
        use crate::session::{EventStore, MemoryEventStore};
        let m = manager();
        let store = Arc::new(MemoryEventStore::default());
        m.set_event_store(Some(store.clone()));
        let s = open(&m).unwrap();
        let stream = store.open_stream(s.id());
        store.append(s.id(), stream, bytes::Bytes::from_static(b"{}"));
        assert_eq!(store.sessions(), 1);
        m.remove(s.id());
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
    }
}
