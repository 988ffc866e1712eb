//! `subscriptions/listen` (2026-07-28): long-lived streams that receive list changes and
//! resource updates, filtered per listener, each notification tagged with the listen
//! request's id. The 2026 replacement for the GET stream and `resources/subscribe`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use bytes::Bytes;
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::exchange::MessageSink;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::initialize::ClientCapabilities;
use crate::server::{ListKind, McpServer};
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

#[derive(Deserialize)]
struct ListenParams {
    #[serde(default)]
    notifications: ListenFilter,
    #[serde(default, rename = "_meta")]
    meta: Option<ListenMeta>,
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

/// Keeps a subscription open; dropping it (the stream closed) ends it.
#[must_use = "the subscription ends when this is dropped"]
pub struct Subscription {
    key: u64,
    listeners: Weak<crate::server::Inner>,
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
        if let Some(inner) = self.listeners.upgrade() {
            inner.listeners.open.write().retain(|l| l.key != self.key);
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

impl McpServer {
    /// Opens a `subscriptions/listen` subscription for request `id` with `params`: sends the
    /// acknowledgement (with the notifications honoured) on `sink` first, then every matching
    /// list change, resource update and task status change (`notifications/tasks`, for a
    /// client that declared the tasks extension in `params._meta`, else `-32021`), tagged with
    /// `id`, until the returned guard is dropped.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use quickmcp_core::jsonrpc::RequestId;
    /// use quickmcp_core::{McpServer, MessageSink};
    ///
    /// struct Print;
    /// impl MessageSink for Print {
    ///     fn send(&self, message: bytes::Bytes) -> bool {
    ///         println!("{}", String::from_utf8_lossy(&message));
    ///         true
    ///     }
    /// }
    ///
    /// let server = McpServer::new("demo");
    /// let subscription = server.listen(&RequestId::Number(1), None, Arc::new(Print)).unwrap();
    /// drop(subscription); // the stream closed: the subscription ends
    /// ```
    pub fn listen(
        &self,
        id: &RequestId,
        params: Option<&RawValue>,
        sink: Arc<dyn MessageSink>,
    ) -> Result<Subscription, McpError> {
        let text = params.map_or("{}", RawValue::get);
        let asked: ListenParams = serde_json::from_str(text).map_err(|e| {
            McpError::invalid_params(format!("invalid params for `subscriptions/listen`: {e}"))
        })?;
        let declared_tasks = asked
            .meta
            .and_then(|m| m.capabilities)
            .is_some_and(|c| c.tasks);
        let asked = asked.notifications;
        if !asked.task_ids.is_empty() && !declared_tasks {
            return Err(crate::tasks::missing_extension("`notifications.taskIds`"));
        }
        let caps = self.capabilities();
        let has_resources = caps.resources.is_some();
        let filter = ListenFilter {
            tools_list_changed: asked.tools_list_changed && caps.tools.is_some(),
            prompts_list_changed: asked.prompts_list_changed && caps.prompts.is_some(),
            resources_list_changed: asked.resources_list_changed && has_resources,
            resource_subscriptions: if has_resources {
                asked.resource_subscriptions
            } else {
                Vec::new()
            },
            task_ids: if self.offers_tasks() {
                asked.task_ids
            } else {
                Vec::new()
            },
        };
        let ack = Acknowledged {
            notifications: &filter,
        };
        sink.send(tagged("notifications/subscriptions/acknowledged", id, ack));
        let key = self.inner.listeners.next.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(subscription = %id, ?filter, "listening");
        self.inner.listeners.open.write().push(Listener {
            key,
            id: id.clone(),
            filter,
            sink,
        });
        Ok(Subscription {
            key,
            listeners: Arc::downgrade(&self.inner),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parking_lot::Mutex;
    use serde_json::Value;

    const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";

    #[derive(Default)]
    struct Collect(Mutex<Vec<Value>>);

    impl MessageSink for Collect {
        fn send(&self, message: Bytes) -> bool {
            self.0
                .lock()
                .push(serde_json::from_slice(&message).unwrap());
            true
        }
    }

    #[test]
    fn acknowledges_first_then_tags_filtered_notifications() {
        let server = McpServer::new("s");
        let sink = Arc::new(Collect::default());
        let params = RawValue::from_string(
            r#"{"notifications":{"promptsListChanged":true,"toolsListChanged":true}}"#.into(),
        )
        .unwrap();
        let id = RequestId::Number(9);
        let guard = server.listen(&id, Some(&params), sink.clone()).unwrap();
        server.inner.listeners.list_changed(ListKind::Tools);
        server.inner.listeners.list_changed(ListKind::Resources);
        let sent = sink.0.lock().clone();
        assert_eq!(
            sent[0]["method"],
            "notifications/subscriptions/acknowledged"
        );
        assert_eq!(sent[0]["params"]["_meta"][SUBSCRIPTION_ID], 9);
        assert_eq!(
            sent[0]["params"]["notifications"],
            serde_json::json!({}),
            "nothing is registered, so nothing is honoured"
        );
        assert_eq!(sent.len(), 1, "unrequested or unoffered kinds are not sent");
        drop(guard);
        assert!(server.inner.listeners.open.read().is_empty());
    }

    struct TaskTool;

    impl crate::ToolHandler for TaskTool {
        fn definition(&self) -> crate::ToolDefinition {
            crate::ToolDefinition::new("job", "A job.")
                .task_support(crate::tasks::TaskSupport::Optional)
        }
        fn call(&self, _: crate::Arguments<'_>, _: &crate::RequestContext) -> crate::ToolFuture {
            crate::ToolFuture::ready("done")
        }
    }

    #[test]
    fn task_listeners_hear_their_tasks_and_need_the_extension() {
        let server = McpServer::new("s");
        server.add_tool(Arc::new(TaskTool)).unwrap();
        let params = |caps: &str| {
            RawValue::from_string(format!(
                r#"{{"notifications":{{"taskIds":["t1"]}},"_meta":{{"io.modelcontextprotocol/clientCapabilities":{caps}}}}}"#
            ))
            .unwrap()
        };
        let sink = Arc::new(Collect::default());
        let id = RequestId::Number(3);
        let refused = server.listen(&id, Some(&params("{}")), sink.clone());
        assert_eq!(refused.unwrap_err().code, -32021);
        let caps = r#"{"extensions":{"io.modelcontextprotocol/tasks":{}}}"#;
        let _guard = server
            .listen(&id, Some(&params(caps)), sink.clone())
            .unwrap();
        let mut task = TaskRecord::new("t1".into(), None, 100);
        task.apply(
            crate::tasks::TaskChange::Complete(serde_json::json!({"content": []})),
            std::time::SystemTime::now(),
        );
        assert_eq!(server.inner.listeners.task_changed(&task), 1);
        let other = TaskRecord::new("t2".into(), None, 100);
        assert_eq!(server.inner.listeners.task_changed(&other), 0);
        let sent = sink.0.lock().clone();
        assert_eq!(sent[0]["params"]["notifications"]["taskIds"][0], "t1");
        assert_eq!(sent[1]["method"], "notifications/tasks");
        assert_eq!(sent[1]["params"]["taskId"], "t1");
        assert_eq!(sent[1]["params"]["status"], "completed");
        assert!(sent[1]["params"]["result"]["content"].is_array());
        assert_eq!(sent[1]["params"]["_meta"][SUBSCRIPTION_ID], 3);
    }
}
