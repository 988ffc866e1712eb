//! Where session records live: the [`SessionStore`] trait over plain [`SessionState`], and
//! its sharded in-memory default.
//!
//! The store holds what any process needs to serve a session; the live parts (streams,
//! running calls) stay with the process that has them (see [`super::live`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use parking_lot::RwLock;

use super::ready::MaybeReady;
use super::state::{now_millis, SessionState};

/// A store failure. The request that hit it gets `-32603` with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionStoreError {
    /// The server holds as many sessions as it may (`initialize` answers 503).
    #[error("the server has reached its session limit ({0} sessions): try again later")]
    Full(usize),
    /// The backend failed (a network store's connection, say).
    #[error("the session store failed: {0}")]
    Backend(String),
}

/// What a [`SessionStore`] call gives back.
pub type SessionResult<T> = MaybeReady<Result<T, SessionStoreError>>;

/// Session records by id. [`MemorySessionStore`] is the default; a shared store (Redis, a
/// database) lets any replica rebuild a session it has not seen (set it with
/// [`SessionManager::set_store`](super::SessionManager::set_store)).
///
/// The server calls [`create`](Self::create) on `initialize`, [`save`](Self::save) after
/// `logging/setLevel`, `resources/subscribe` and visibility changes, [`touch`](Self::touch) at
/// most every sixteenth of the idle timeout while a session is used, [`load`](Self::load)
/// when a request names a session this process does not hold, and [`delete`](Self::delete)
/// on `DELETE`. Every call returns a [`MaybeReady`]: an in-memory store answers at once.
///
/// ```
/// use std::sync::Arc;
/// use quickmcp_core::session::{MemorySessionStore, SessionStore};
///
/// let store: Arc<dyn SessionStore> = Arc::new(MemorySessionStore::default());
/// quickmcp_core::McpServer::new("demo").sessions().set_store(store);
/// ```
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session; resolves once a [`load`](Self::load) would find it.
    fn create(&self, id: &str, state: SessionState) -> SessionResult<()>;
    /// The session `id`; `None` when unknown, deleted or expired.
    fn load(&self, id: &str) -> SessionResult<Option<SessionState>>;
    /// Replaces the state of session `id`; `false` (and nothing stored) when it is unknown,
    /// deleted or expired.
    fn save(&self, id: &str, state: SessionState) -> SessionResult<bool>;
    /// Marks session `id` used now and keeps it for `ttl` from now
    /// ([`SessionState::refresh`]); `false` when it is unknown, deleted or expired.
    fn touch(&self, id: &str, ttl: Duration) -> SessionResult<bool>;
    /// Removes session `id`; `false` if there was none.
    fn delete(&self, id: &str) -> SessionResult<bool>;
    /// How many sessions are stored.
    fn len(&self) -> SessionResult<usize>;
    /// Whether no session is stored.
    fn is_empty(&self) -> SessionResult<bool> {
        self.len().map(|len| len.map(|len| len == 0))
    }
    /// Drops the expired records, returning how many. A store whose backend expires records
    /// itself (a Redis TTL) keeps this default, which drops none.
    fn sweep(&self) -> SessionResult<usize> {
        MaybeReady::ready(Ok(0))
    }
}

const SHARDS: usize = 32;

/// Some of the records, by id.
type Shard = RwLock<HashMap<Box<str>, Record>>;

/// One record, compact: its times, and the rest of its state as JSON (about a hundred bytes
/// for a fresh session, where the struct takes about three hundred). Each load reads it back
/// through serde, as a shared store would.
struct Record {
    created_at: u64,
    last_seen_at: u64,
    expires_at: u64,
    json: Box<[u8]>,
}

impl Record {
    fn new(mut state: SessionState) -> Result<Self, SessionStoreError> {
        let times = [state.created_at, state.last_seen_at, state.expires_at];
        (state.created_at, state.last_seen_at, state.expires_at) = (0, 0, 0);
        let json = serde_json::to_vec(&state).map_err(backend)?;
        Ok(Self {
            created_at: times[0],
            last_seen_at: times[1],
            expires_at: times[2],
            json: json.into_boxed_slice(),
        })
    }

    fn state(&self) -> Result<SessionState, SessionStoreError> {
        let mut state: SessionState = serde_json::from_slice(&self.json).map_err(backend)?;
        state.created_at = self.created_at;
        state.last_seen_at = self.last_seen_at;
        state.expires_at = self.expires_at;
        Ok(state)
    }

    fn is_expired(&self, now: u64) -> bool {
        now >= self.expires_at
    }
}

fn backend(error: serde_json::Error) -> SessionStoreError {
    SessionStoreError::Backend(format!("a session record does not round-trip: {error}"))
}

/// Session records in memory, spread over shards so that sessions rarely contend on a lock,
/// each kept as compact JSON (so every state this store gives back went through serde, as it
/// would through a shared store); every call is ready at once.
pub struct MemorySessionStore {
    shards: Box<[Shard]>,
    count: AtomicUsize,
}

impl Default for MemorySessionStore {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| RwLock::default()).collect(),
            count: AtomicUsize::new(0),
        }
    }
}

impl MemorySessionStore {
    fn shard(&self, id: &str) -> &Shard {
        &self.shards[shard_of(id)]
    }

    /// Runs `f` on the live record `id`, dropping it if it has expired.
    fn with_live<T>(&self, id: &str, f: impl FnOnce(&mut Record) -> T) -> Option<T> {
        let mut shard = self.shard(id).write();
        let state = shard.get_mut(id)?;
        if state.is_expired(now_millis()) {
            shard.remove(id);
            self.count.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(f(state))
    }
}

/// The shard of a session id (shared with the live registry).
pub(crate) fn shard_of(id: &str) -> usize {
    let h = id
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    h % SHARDS
}

/// Gives an emptied table back after a mass deletion (amortized: it shrinks only once it is
/// four times too large).
pub(crate) fn shrink<K, V>(map: &mut HashMap<K, V>)
where
    K: Eq + std::hash::Hash,
{
    if map.capacity() > 4 * map.len().max(16) {
        map.shrink_to_fit();
    }
}

impl SessionStore for MemorySessionStore {
    fn create(&self, id: &str, state: SessionState) -> SessionResult<()> {
        let record = match Record::new(state) {
            Ok(record) => record,
            Err(error) => return MaybeReady::ready(Err(error)),
        };
        if self.shard(id).write().insert(id.into(), record).is_none() {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        MaybeReady::ready(Ok(()))
    }

    fn load(&self, id: &str) -> SessionResult<Option<SessionState>> {
        MaybeReady::ready(self.with_live(id, |record| record.state()).transpose())
    }

    fn save(&self, id: &str, state: SessionState) -> SessionResult<bool> {
        let record = match Record::new(state) {
            Ok(record) => record,
            Err(error) => return MaybeReady::ready(Err(error)),
        };
        MaybeReady::ready(Ok(self.with_live(id, |old| *old = record).is_some()))
    }

    fn touch(&self, id: &str, ttl: Duration) -> SessionResult<bool> {
        let now = now_millis();
        let touched = self.with_live(id, |record| {
            record.last_seen_at = record.last_seen_at.max(now);
            record.expires_at = now.saturating_add(ttl.as_millis() as u64);
        });
        MaybeReady::ready(Ok(touched.is_some()))
    }

    fn delete(&self, id: &str) -> SessionResult<bool> {
        let mut shard = self.shard(id).write();
        let removed = shard.remove(id).is_some();
        shrink(&mut shard);
        drop(shard);
        if removed {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        MaybeReady::ready(Ok(removed))
    }

    fn len(&self) -> SessionResult<usize> {
        MaybeReady::ready(Ok(self.count.load(Ordering::Relaxed)))
    }

    fn sweep(&self) -> SessionResult<usize> {
        let now = now_millis();
        let mut dropped = 0;
        for shard in self.shards.iter() {
            let mut shard = shard.write();
            let before = shard.len();
            shard.retain(|_, state| !state.is_expired(now));
            dropped += before - shard.len();
            shrink(&mut shard);
        }
        self.count.fetch_sub(dropped, Ordering::Relaxed);
        MaybeReady::ready(Ok(dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolVersion;

    fn state(ttl: Duration) -> SessionState {
        let mut state = SessionState::new(
            ProtocolVersion::LATEST,
            Default::default(),
            None,
            now_millis(),
        );
        state.refresh(now_millis(), ttl);
        state
    }

    fn ready<T>(call: SessionResult<T>) -> T {
        call.now()
            .expect("ready at once")
            .expect("no backend failure")
    }

    #[test]
    fn deleting_most_sessions_gives_the_tables_back() {
        let store = MemorySessionStore::default();
        let hour = Duration::from_secs(3600);
        let ids: Vec<Box<str>> = (0..10_000)
            .map(|n| {
                let id: Box<str> = format!("{n:032x}").into();
                ready(store.create(&id, state(hour)));
                id
            })
            .collect();
        let capacity = || {
            store
                .shards
                .iter()
                .map(|s| s.read().capacity())
                .sum::<usize>()
        };
        assert!(capacity() >= 10_000);
        for id in &ids[..9_990] {
            assert!(ready(store.delete(id)));
        }
        assert_eq!(ready(store.len()), 10);
        assert!(capacity() <= SHARDS * 64, "{} slots kept", capacity());
        assert!(ids[9_990..]
            .iter()
            .all(|id| ready(store.load(id)).is_some()));
    }

    #[test]
    fn expired_records_are_gone_and_swept() {
        let store = MemorySessionStore::default();
        ready(store.create("old", state(Duration::ZERO)));
        ready(store.create("new", state(Duration::from_secs(60))));
        assert_eq!(ready(store.load("old")), None);
        assert!(!ready(store.touch("old", Duration::from_secs(60))));
        ready(store.create("old2", state(Duration::ZERO)));
        assert_eq!(ready(store.sweep()), 1);
        assert_eq!(ready(store.len()), 1);
        assert!(ready(store.touch("new", Duration::from_secs(60))));
        assert!(!ready(store.save("gone", state(Duration::from_secs(1)))));
    }

    #[test]
    fn a_record_reads_back_as_it_was_saved() {
        let store = MemorySessionStore::default();
        let mut saved = state(Duration::from_secs(60));
        ready(store.create("s", saved.clone()));
        saved.subscriptions.push("file:///a".into());
        saved.log_level = Some(crate::protocol::LoggingLevel::Notice);
        assert!(ready(store.save("s", saved.clone())));
        assert_eq!(ready(store.load("s")), Some(saved));
    }
}
