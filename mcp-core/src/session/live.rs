//! The sessions this process holds live: each [`Session`] handle with its open stream and
//! running calls, by id, in a sharded table.
//!
//! What crosses processes and what cannot:
//! - **Plain state** ([`SessionState`](super::SessionState): version, capabilities, client,
//!   log level, subscriptions, visibility, owner, times) goes through the
//!   [`SessionStore`](super::SessionStore): any process can load it and rebuild the handle.
//! - **Live parts** cannot leave their process: the standalone (GET) stream's connection,
//!   the cancellation tokens of running calls, the server-to-client requests awaiting their
//!   answer, the sink of a call's messages. What another process needs from them is an
//!   *action*: deliver this message to the session's stream, cancel that call, end the
//!   session. [`LiveRegistry`] names those actions; [`LocalSessions`] performs them here, and
//!   a message bus (Redis pub/sub, say) can implement the same calls by forwarding them to
//!   the process that holds the session.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use parking_lot::RwLock;

use super::store::shard_of;
use super::Session;
use crate::jsonrpc::RequestId;

/// The actions on a session's live parts, wherever that session is held: what a message bus
/// forwards between processes. Each returns `false` when this registry holds no such session
/// (or no such stream or call).
pub trait LiveRegistry: Send + Sync + 'static {
    /// Writes a server message (a notification, a request) to the session's standalone
    /// stream.
    fn send_to_stream(&self, session: &str, message: Bytes) -> bool;
    /// Cancels the session's running call `request` (`notifications/cancelled`).
    fn cancel_call(&self, session: &str, request: &RequestId) -> bool;
    /// Ends the session's live parts: cancels its calls and closes its stream (`DELETE`,
    /// expiry).
    fn close(&self, session: &str) -> bool;
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

/// The live session handles of this process, spread over shards so that requests of
/// different sessions rarely contend on a lock.
pub struct LocalSessions {
    shards: Box<[RwLock<HashSet<ById>>]>,
    count: AtomicUsize,
}

impl Default for LocalSessions {
    fn default() -> Self {
        Self {
            shards: (0..32).map(|_| RwLock::default()).collect(),
            count: AtomicUsize::new(0),
        }
    }
}

impl LocalSessions {
    fn shard(&self, id: &str) -> &RwLock<HashSet<ById>> {
        &self.shards[shard_of(id) % self.shards.len()]
    }

    /// Holds `session`; `false` if one with its id is held already.
    pub(crate) fn insert(&self, session: Arc<Session>) -> bool {
        let added = self.shard(session.id()).write().insert(ById(session));
        if added {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        added
    }

    /// The handle of session `id`, if this process holds it.
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.shard(id).read().get(id).map(|e| e.0.clone())
    }

    /// Lets go of session `id`, returning its handle (its live parts are not closed).
    pub(crate) fn remove(&self, id: &str) -> Option<Arc<Session>> {
        let mut set = self.shard(id).write();
        let removed = set.take(id).map(|e| e.0);
        if set.capacity() > 4 * set.len().max(16) {
            set.shrink_to_fit();
        }
        drop(set);
        if removed.is_some() {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        removed
    }

    /// How many sessions this process holds.
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether this process holds no session.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lets go of every session for which `gone` is true, returning them.
    pub(crate) fn remove_where(&self, gone: impl Fn(&Session) -> bool) -> Vec<Arc<Session>> {
        let mut removed = Vec::new();
        for shard in self.shards.iter() {
            let mut set = shard.write();
            set.retain(|e| {
                let out = gone(&e.0);
                if out {
                    removed.push(e.0.clone());
                }
                !out
            });
            if set.capacity() > 4 * set.len().max(16) {
                set.shrink_to_fit();
            }
        }
        self.count.fetch_sub(removed.len(), Ordering::Relaxed);
        removed
    }

    /// Visits every session held (for server-initiated notifications such as
    /// `list_changed`); no lock is held while `visit` runs.
    pub fn for_each(&self, visit: &mut dyn FnMut(&Arc<Session>)) {
        for shard in self.shards.iter() {
            let sessions: Vec<Arc<Session>> = shard.read().iter().map(|e| e.0.clone()).collect();
            sessions.iter().for_each(&mut *visit);
        }
    }
}

impl LiveRegistry for LocalSessions {
    fn send_to_stream(&self, session: &str, message: Bytes) -> bool {
        self.get(session)
            .and_then(|s| s.stream())
            .is_some_and(|stream| stream.send(message))
    }

    fn cancel_call(&self, session: &str, request: &RequestId) -> bool {
        self.get(session).is_some_and(|s| s.calls().cancel(request))
    }

    fn close(&self, session: &str) -> bool {
        self.get(session).map(|s| s.close()).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ProtocolVersion;
    use crate::session::new_session_id;

    #[test]
    fn deleting_most_sessions_gives_the_tables_back() {
        let live = LocalSessions::default();
        let ids: Vec<Box<str>> = (0..10_000)
            .map(|_| {
                let id = new_session_id();
                let session = Session::new(
                    id.clone(),
                    ProtocolVersion::LATEST,
                    Default::default(),
                    None,
                );
                assert!(live.insert(Arc::new(session)));
                id
            })
            .collect();
        let capacity = || {
            live.shards
                .iter()
                .map(|s| s.read().capacity())
                .sum::<usize>()
        };
        assert!(capacity() >= 10_000);
        for id in &ids[..9_990] {
            assert!(live.remove(id).is_some());
        }
        assert_eq!(live.len(), 10);
        assert!(capacity() <= 32 * 64, "{} slots kept", capacity());
        assert!(ids[9_990..].iter().all(|id| live.get(id).is_some()));
        assert!(!live.cancel_call("nope", &RequestId::Number(1)));
        assert!(live.close(&ids[9_990]) && !live.close("nope"));
    }
}
