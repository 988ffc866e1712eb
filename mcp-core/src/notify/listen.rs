//! `subscriptions/listen` (2026-07-28): long-lived streams that receive list changes,
//! resource updates and task changes, filtered per listener, each notification tagged with the
//! listen request's id. The 2026 replacement for the GET stream and `resources/subscribe`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::ClientCapabilities;
use crate::protocol::ListKind;
use crate::sink::MessageSink;
use crate::tasks::TaskRecord;

/// What a listener asked for (`params.notifications`), narrowed to what the server offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenFilter {
    /// `notifications/tools/list_changed`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tools_list_changed: bool,
    /// `notifications/prompts/list_changed`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prompts_list_changed: bool,
    /// `notifications/resources/list_changed`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resources_list_changed: bool,
    /// `notifications/resources/updated` for these URIs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_subscriptions: Vec<String>,
    /// `notifications/tasks` for these tasks (the tasks extension).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_ids: Vec<String>,
}

impl ListenFilter {
    fn wants(&self, kind: ListKind) -> bool {
        match kind {
            ListKind::Tools => self.tools_list_changed,
            ListKind::Prompts => self.prompts_list_changed,
            ListKind::Resources => self.resources_list_changed,
        }
    }
}

/// What a `subscriptions/listen` asks for.
#[derive(Deserialize)]
pub(crate) struct ListenParams {
    #[serde(default)]
    pub(crate) notifications: ListenFilter,
    #[serde(default, rename = "_meta")]
    meta: Option<ListenMeta>,
}

impl ListenParams {
    pub(crate) fn read(params: Option<&RawValue>) -> Result<Self, McpError> {
        let text = params.map_or("{}", RawValue::get);
        serde_json::from_str(text).map_err(|e| {
            McpError::invalid_params(format!("invalid params for `subscriptions/listen`: {e}"))
        })
    }

    /// Whether the listener declared the tasks extension in its `_meta`.
    pub(crate) fn declares_tasks(&self) -> bool {
        self.meta
            .as_ref()
            .and_then(|m| m.capabilities)
            .is_some_and(|c| c.tasks)
    }
}

#[derive(Deserialize)]
struct ListenMeta {
    #[serde(default, rename = "io.modelcontextprotocol/clientCapabilities")]
    capabilities: Option<ClientCapabilities>,
}

struct Listener {
    key: u64,
    id: RequestId,
    filter: ListenFilter,
    sink: Arc<dyn MessageSink>,
}

/// The open listen streams of one server.
#[derive(Default)]
pub(crate) struct Listeners {
    next: AtomicU64,
    open: RwLock<Vec<Listener>>,
}

impl Listeners {
    /// Registers a listener for `filter` on `sink`, after acknowledging it there, until the
    /// returned guard is dropped.
    pub(crate) fn open(
        self: &Arc<Self>,
        id: &RequestId,
        filter: ListenFilter,
        sink: Arc<dyn MessageSink>,
    ) -> Subscription {
        let ack = Acknowledged {
            notifications: &filter,
        };
        sink.send(tagged("notifications/subscriptions/acknowledged", id, ack));
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(subscription = %id, ?filter, "listening");
        self.open.write().push(Listener {
            key,
            id: id.clone(),
            filter,
            sink,
        });
        Subscription {
            key,
            listeners: Arc::downgrade(self),
        }
    }

    /// How many listen streams are open.
    pub(crate) fn len(&self) -> usize {
        self.open.read().len()
    }
}

/// Keeps a subscription open; dropping it (the stream closed) ends it.
#[must_use = "the subscription ends when this is dropped"]
pub struct Subscription {
    key: u64,
    listeners: Weak<Listeners>,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("key", &self.key)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(listeners) = self.listeners.upgrade() {
            listeners.open.write().retain(|l| l.key != self.key);
        }
    }
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "_meta")]
    meta: Meta<'a>,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Meta<'a> {
    #[serde(rename = "io.modelcontextprotocol/subscriptionId")]
    id: &'a RequestId,
}

fn tagged<T: Serialize>(method: &str, id: &RequestId, body: T) -> Bytes {
    jsonrpc::notification(
        method,
        &Tagged {
            meta: Meta { id },
            body,
        },
    )
}

#[derive(Serialize)]
struct Acknowledged<'a> {
    notifications: &'a ListenFilter,
}

#[derive(Serialize)]
struct Updated<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
struct Nothing {}

impl Listeners {
    pub(crate) fn list_changed(&self, kind: ListKind) -> usize {
        let open = self.open.read();
        open.iter()
            .filter(|l| l.filter.wants(kind))
            .map(|l| {
                let message = tagged(kind.notification(), &l.id, Nothing {});
                usize::from(l.sink.send(message))
            })
            .sum()
    }

    /// Sends `notifications/tasks` (the task as `tasks/get` shows it) to its listeners.
    pub(crate) fn task_changed(&self, task: &TaskRecord) -> usize {
        let open = self.open.read();
        let mut detailed = None;
        open.iter()
            .filter(|l| l.filter.task_ids.contains(&task.id))
            .map(|l| {
                let body = detailed.get_or_insert_with(|| task.to_detailed());
                let message = tagged("notifications/tasks", &l.id, &*body);
                usize::from(l.sink.send(message))
            })
            .sum()
    }

    pub(crate) fn resource_updated(&self, uri: &str) -> usize {
        let open = self.open.read();
        open.iter()
            .filter(|l| l.filter.resource_subscriptions.iter().any(|u| u == uri))
            .map(|l| {
                let message = tagged("notifications/resources/updated", &l.id, Updated { uri });
                usize::from(l.sink.send(message))
            })
            .sum()
    }
}
