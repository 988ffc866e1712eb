//! [`PendingRequests`]: server→client requests awaiting their answer, by session.
//!
//! Live state of this process (design §3): the stored session holds none of it. A response
//! POSTed (or written to stdin) is matched here by `(session, id)`; a response from another
//! session, or with an unknown id, is ignored.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde_json::value::RawValue;
use tokio::sync::oneshot;

use crate::jsonrpc::{RequestId, Response};

/// How long a tool waits for the client's answer unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What the client answered: a result or an error object, as raw JSON.
pub(crate) type Outcome = Result<Box<RawValue>, Box<RawValue>>;

type Waiting = HashMap<Box<str>, HashMap<i64, oneshot::Sender<Outcome>>>;

/// The server→client requests of this process still waiting for an answer, keyed by session
/// and by the id the server gave them.
///
/// ```
/// use std::time::Duration;
/// use quickmcp_core::__private::PendingRequests;
///
/// let pending = PendingRequests::default();
/// assert_eq!(pending.timeout(), Duration::from_secs(60));
/// pending.set_timeout(Duration::from_secs(5));
/// assert!(pending.is_empty());
/// ```
pub struct PendingRequests {
    next_id: AtomicI64,
    timeout_ms: AtomicU64,
    waiting: Mutex<Waiting>,
}

impl Default for PendingRequests {
    fn default() -> Self {
        Self {
            next_id: AtomicI64::new(1),
            timeout_ms: AtomicU64::new(DEFAULT_TIMEOUT.as_millis() as u64),
            waiting: Mutex::default(),
        }
    }
}

/// One registered request: its id, where its answer arrives, and (on drop) its removal.
pub(crate) struct Waiter {
    pub(crate) id: i64,
    pub(crate) answer: oneshot::Receiver<Outcome>,
    pending: Arc<PendingRequests>,
    session: Box<str>,
}

impl Drop for Waiter {
    fn drop(&mut self) {
        self.pending.remove(&self.session, self.id);
    }
}

impl PendingRequests {
    /// How long a tool waits for an answer.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.load(Ordering::Relaxed))
    }

    /// Changes how long a tool waits for an answer.
    pub fn set_timeout(&self, timeout: Duration) {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.timeout_ms.store(ms, Ordering::Relaxed);
    }

    /// Registers a request of `session` under a fresh id (unique in this process, so unique
    /// in the session). Dropping the waiter forgets the request.
    pub(crate) fn register(self: &Arc<Self>, session: &str) -> Waiter {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.waiting
            .lock()
            .entry(session.into())
            .or_default()
            .insert(id, tx);
        Waiter {
            id,
            answer: rx,
            pending: self.clone(),
            session: session.into(),
        }
    }

    fn remove(&self, session: &str, id: i64) -> Option<oneshot::Sender<Outcome>> {
        let mut waiting = self.waiting.lock();
        let requests = waiting.get_mut(session)?;
        let sender = requests.remove(&id);
        if requests.is_empty() {
            waiting.remove(session);
        }
        sender
    }

    /// Hands the client's answer to the waiting tool. `false` (and nothing happens) when no
    /// request of `session` has that id.
    pub fn resolve(&self, session: &str, response: Response) -> bool {
        let RequestId::Number(id) = response.id else {
            return false;
        };
        match self.remove(session, id) {
            Some(sender) => sender.send(response.outcome).is_ok(),
            None => false,
        }
    }

    /// Forgets every request of `session` (it ended): their tools get
    /// [`ExchangeError::Disconnected`](super::ExchangeError::Disconnected). Returns how many.
    pub fn close_session(&self, session: &str) -> usize {
        self.waiting.lock().remove(session).map_or(0, |r| r.len())
    }

    /// How many requests are waiting, over all sessions.
    pub fn len(&self) -> usize {
        self.waiting.lock().values().map(HashMap::len).sum()
    }

    /// Whether no request is waiting.
    pub fn is_empty(&self) -> bool {
        self.waiting.lock().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(id: i64, result: &str) -> Response {
        Response {
            id: RequestId::Number(id),
            outcome: Ok(RawValue::from_string(result.into()).unwrap()),
        }
    }

    #[tokio::test]
    async fn correlates_by_session_and_id() {
        let pending = Arc::new(PendingRequests::default());
        let a = pending.register("s1");
        let mut b = pending.register("s1");
        assert_ne!(a.id, b.id);
        assert_eq!(pending.len(), 2);
        assert!(!pending.resolve("s2", answer(a.id, "1")), "another session");
        assert!(!pending.resolve("s1", answer(9999, "1")), "unknown id");
        assert!(pending.resolve("s1", answer(b.id, "2")));
        assert_eq!((&mut b.answer).await.unwrap().unwrap().get(), "2");
        assert!(!pending.resolve("s1", answer(b.id, "2")), "answered once");
        assert_eq!(pending.len(), 1);
        drop(a);
        assert!(pending.is_empty(), "a dropped waiter is forgotten");
    }

    #[tokio::test]
    async fn closing_a_session_fails_its_waiters() {
        let pending = Arc::new(PendingRequests::default());
        let mut waiter = pending.register("s1");
        let other = pending.register("s2");
        assert_eq!(pending.close_session("s1"), 1);
        assert!((&mut waiter.answer).await.is_err());
        assert_eq!(pending.len(), 1);
        drop(other);
        assert!(pending.is_empty());
    }
}
