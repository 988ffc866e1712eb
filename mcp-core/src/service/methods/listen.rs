//! `subscriptions/listen` (2026 wire): the call's own stream carries the acknowledgement and
//! then every matching notification, until the client cancels the call (stdio) or closes the
//! stream (HTTP), which ends the subscription.

use std::sync::Arc;

use crate::error::McpError;
use crate::handler::{CallState, RequestCx};
use crate::jsonrpc::Request;
use crate::notify::{ListenFilter, ListenParams};
use crate::service::invoke::{Answer, Tracked};
use crate::service::Engine;

impl Engine {
    pub(crate) fn listen(self: &Arc<Self>, request: Request, cx: RequestCx) -> Answer {
        let Some(sink) = cx.sink.clone() else {
            return Answer::ready(Err(McpError::invalid_request(
                "`subscriptions/listen` needs a streamed response",
            )));
        };
        let filter = match self.listen_filter(ListenParams::read(request.params.as_deref())) {
            Ok(filter) => filter,
            Err(e) => return Answer::ready(Err(e)),
        };
        let subscription = self.notify.listeners.open(&request.id, filter, sink);
        let call = CallState::default();
        let tracked = Tracked::new(&cx, &request.id, &call);
        Answer::Running(Box::pin(async move {
            let _held = (subscription, tracked);
            call.cancel.cancelled().await;
            None
        }))
    }

    /// What a listener asked for, narrowed to what the server offers; `taskIds` need the
    /// tasks extension declared in the listener's `_meta` (else `-32021`).
    fn listen_filter(
        &self,
        asked: Result<ListenParams, McpError>,
    ) -> Result<ListenFilter, McpError> {
        let asked = asked?;
        let declared_tasks = asked.declares_tasks();
        let asked = asked.notifications;
        if !asked.task_ids.is_empty() && !declared_tasks {
            return Err(crate::tasks::missing_extension("`notifications.taskIds`"));
        }
        let caps = self.capabilities();
        let has_resources = caps.resources.is_some();
        Ok(ListenFilter {
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
        })
    }
}
