//! Telling clients what changed outside their requests: `list_changed` and
//! `resources/updated` on each 2025 session's standalone stream, and on every 2026
//! `subscriptions/listen` stream that asked for them, plus `notifications/tasks`.

mod listen;

use std::sync::Arc;

use serde::Serialize;

use crate::jsonrpc;
use crate::protocol::initialize::EmptyObject;
use crate::protocol::ListKind;
use crate::session::{Session, SessionManager};

pub use listen::{ListenFilter, Subscription};
pub(crate) use listen::{ListenParams, Listeners};

/// Where the server's notifications go: its sessions and its listen streams.
pub(crate) struct Notifier {
    pub(crate) sessions: Arc<SessionManager>,
    pub(crate) listeners: Arc<Listeners>,
}

impl Notifier {
    pub(crate) fn new(sessions: Arc<SessionManager>) -> Self {
        Self {
            sessions,
            listeners: Arc::default(),
        }
    }

    /// Sends `kind`'s `list_changed` to every session with an open standalone stream and
    /// every listen stream that asked for it.
    pub(crate) fn list_changed(&self, kind: ListKind) {
        let mut message = None;
        let mut sent = 0usize;
        self.sessions.for_each(|session| {
            if let Some(stream) = session.stream() {
                let message = message.get_or_insert_with(|| list_changed(kind));
                sent += usize::from(stream.send(message.clone()));
            }
        });
        let listeners = self.listeners.list_changed(kind);
        if sent + listeners > 0 {
            tracing::debug!(
                list = kind.notification(),
                sessions = sent,
                listeners,
                "list changed"
            );
        }
    }

    /// Sends `notifications/resources/updated {uri}` to every session subscribed to `uri`
    /// with an open standalone stream, and to every listen stream subscribed to it; returns
    /// how many got it.
    pub(crate) fn resource_updated(&self, uri: &str) -> usize {
        #[derive(Serialize)]
        struct Params<'a> {
            uri: &'a str,
        }
        let mut message = None;
        let mut sent = 0usize;
        self.sessions.for_each(|session| {
            if !session.is_subscribed(uri) {
                return;
            }
            if let Some(stream) = session.stream() {
                let message = message.get_or_insert_with(|| {
                    jsonrpc::notification("notifications/resources/updated", &Params { uri })
                });
                sent += usize::from(stream.send(message.clone()));
            }
        });
        let listeners = self.listeners.resource_updated(uri);
        tracing::debug!(uri, sessions = sent, listeners, "resource updated");
        sent + listeners
    }
}

/// Sends `kind`'s `list_changed` to one session, on its standalone stream if open.
pub(crate) fn session_list_changed(session: &Session, kind: ListKind) {
    if let Some(stream) = session.stream() {
        stream.send(list_changed(kind));
    }
}

fn list_changed(kind: ListKind) -> bytes::Bytes {
    jsonrpc::notification(kind.notification(), &EmptyObject {})
}
