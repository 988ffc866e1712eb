//! Where sessions live: the [`SessionStore`] trait and its sharded in-memory default.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;

use super::Session;

/// Storage of sessions by id. The default is [`MemorySessionStore`]; a shared store (e.g. for a
/// cluster) implements the same calls.
pub trait SessionStore: Send + Sync + 'static {
    /// Adds a session.
    fn insert(&self, session: Arc<Session>);
    /// Finds a session.
    fn get(&self, id: &str) -> Option<Arc<Session>>;
    /// Removes a session, returning it.
    fn remove(&self, id: &str) -> Option<Arc<Session>>;
    /// How many sessions are stored.
    fn len(&self) -> usize;
    /// Whether no session is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Removes every session for which `expired` is true, returning them.
    fn remove_where(&self, expired: &dyn Fn(&Session) -> bool) -> Vec<Arc<Session>>;
    /// Visits every session this process holds (for server-initiated notifications such as
    /// `list_changed`). The default visits none: a store that cannot enumerate its sessions
    /// only loses those notifications.
    fn for_each(&self, visit: &mut dyn FnMut(&Arc<Session>)) {
        let _ = visit;
    }
}

// A set entry keyed by the session's own id, so the id is stored once.
struct ById(Arc<Session>);

impl Hash for ById {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.id().hash(state);
    }
}
impl PartialEq for ById {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}
impl Eq for ById {}
impl Borrow<str> for ById {
    fn borrow(&self) -> &str {
        self.0.id()
    }
}

const SHARDS: usize = 32;

/// Sessions in memory, spread over shards so that requests of different sessions rarely
/// contend on a lock.
pub struct MemorySessionStore {
    shards: Box<[RwLock<HashSet<ById>>]>,
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
    fn shard(&self, id: &str) -> &RwLock<HashSet<ById>> {
        let h = id
            .bytes()
            .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
        &self.shards[h % SHARDS]
    }
}

impl SessionStore for MemorySessionStore {
    fn insert(&self, session: Arc<Session>) {
        if self.shard(session.id()).write().insert(ById(session)) {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.shard(id).read().get(id).map(|e| e.0.clone())
    }

    fn remove(&self, id: &str) -> Option<Arc<Session>> {
        let mut set = self.shard(id).write();
        let removed = set.take(id).map(|e| e.0);
        // After a mass deletion, give the emptied table back (amortized: it shrinks only once
        // it is four times too large).
        if set.capacity() > 4 * set.len().max(16) {
            set.shrink_to_fit();
        }
        drop(set);
        if removed.is_some() {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        removed
    }

    fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    fn remove_where(&self, expired: &dyn Fn(&Session) -> bool) -> Vec<Arc<Session>> {
        let mut removed = Vec::new();
        for shard in self.shards.iter() {
            let mut set = shard.write();
            set.retain(|e| {
                let gone = expired(&e.0);
                if gone {
                    removed.push(e.0.clone());
                }
                !gone
            });
            if set.capacity() > 4 * set.len().max(16) {
                set.shrink_to_fit();
            }
        }
        self.count.fetch_sub(removed.len(), Ordering::Relaxed);
        removed
    }

    fn for_each(&self, visit: &mut dyn FnMut(&Arc<Session>)) {
        for shard in self.shards.iter() {
            let sessions: Vec<Arc<Session>> = shard.read().iter().map(|e| e.0.clone()).collect();
            sessions.iter().for_each(&mut *visit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::initialize::ClientCapabilities;
    use crate::protocol::ProtocolVersion;
    use crate::session::new_session_id;

    #[test]
    fn deleting_most_sessions_gives_the_tables_back() {
        let store = MemorySessionStore::default();
        let ids: Vec<Box<str>> = (0..10_000)
            .map(|_| {
                let id = new_session_id();
                let session = Session::new(
                    id.clone(),
                    ProtocolVersion::LATEST,
                    ClientCapabilities::default(),
                    None,
                );
                store.insert(Arc::new(session));
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
            assert!(store.remove(id).is_some());
        }
        assert_eq!(store.len(), 10);
        assert!(capacity() <= SHARDS * 64, "{} slots kept", capacity());
        assert!(ids[9_990..].iter().all(|id| store.get(id).is_some()));
    }
}
