//! Changing what a running server serves, and telling connected clients: `list_changed` and
//! `resources/updated` notifications on each session's standalone stream.

use std::sync::Arc;

use serde::Serialize;

use super::McpServer;
use crate::jsonrpc;
use crate::protocol::initialize::EmptyObject;
use crate::protocol::ListKind;
use crate::registry::prompt::PromptHandler;
use crate::registry::resource::{ResourceHandler, ResourceTemplateHandler};
use crate::registry::RegisterError;

impl McpServer {
    /// Unregisters a tool; `false` if there was none by that name.
    pub fn remove_tool(&self, name: &str) -> bool {
        self.changed(self.inner.tools.remove(name), ListKind::Tools)
    }

    /// Hides (or shows again) a tool: a disabled tool is neither listed nor callable. `false`
    /// if there is no tool by that name.
    pub fn set_tool_enabled(&self, name: &str, enabled: bool) -> bool {
        self.changed(self.inner.tools.set_enabled(name, enabled), ListKind::Tools)
    }

    /// Registers a resource.
    pub fn add_resource(&self, resource: Arc<dyn ResourceHandler>) -> Result<(), RegisterError> {
        self.inner.resources.add(resource)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    /// Unregisters the resource at `uri`; `false` if there was none.
    pub fn remove_resource(&self, uri: &str) -> bool {
        self.changed(self.inner.resources.remove(uri), ListKind::Resources)
    }

    /// Hides (or shows again) the resource at `uri`; `false` if there is none.
    pub fn set_resource_enabled(&self, uri: &str, enabled: bool) -> bool {
        self.changed(
            self.inner.resources.set_enabled(uri, enabled),
            ListKind::Resources,
        )
    }

    /// Registers a resource template. Templates are tried in registration order, after the
    /// static resources.
    pub fn add_resource_template(
        &self,
        template: Arc<dyn ResourceTemplateHandler>,
    ) -> Result<(), RegisterError> {
        self.inner.templates.add(template)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    /// Unregisters the template written `uri_template`; `false` if there was none.
    pub fn remove_resource_template(&self, uri_template: &str) -> bool {
        self.changed(
            self.inner.templates.remove(uri_template),
            ListKind::Resources,
        )
    }

    /// Hides (or shows again) the template written `uri_template`; `false` if there is none.
    pub fn set_resource_template_enabled(&self, uri_template: &str, enabled: bool) -> bool {
        let found = self.inner.templates.set_enabled(uri_template, enabled);
        self.changed(found, ListKind::Resources)
    }

    /// Registers a prompt.
    pub fn add_prompt(&self, prompt: Arc<dyn PromptHandler>) -> Result<(), RegisterError> {
        self.inner.prompts.add(prompt)?;
        self.notify_list_changed(ListKind::Prompts);
        Ok(())
    }

    /// Unregisters a prompt; `false` if there was none by that name.
    pub fn remove_prompt(&self, name: &str) -> bool {
        self.changed(self.inner.prompts.remove(name), ListKind::Prompts)
    }

    /// Hides (or shows again) a prompt; `false` if there is none by that name.
    pub fn set_prompt_enabled(&self, name: &str, enabled: bool) -> bool {
        self.changed(
            self.inner.prompts.set_enabled(name, enabled),
            ListKind::Prompts,
        )
    }

    fn changed(&self, found: bool, kind: ListKind) -> bool {
        if found {
            self.notify_list_changed(kind);
        }
        found
    }

    /// Sends `notifications/{tools,resources,prompts}/list_changed` to every session with an
    /// open standalone stream and every `subscriptions/listen` stream that asked for it. The add/remove/enable methods call this for you; call it
    /// yourself when a hand-written handler's answers change.
    pub fn notify_list_changed(&self, kind: ListKind) {
        let mut message = None;
        let mut sent = 0usize;
        self.inner.sessions.for_each(|session| {
            if let Some(stream) = session.stream() {
                let message = message.get_or_insert_with(|| {
                    jsonrpc::notification(kind.notification(), &EmptyObject {})
                });
                sent += usize::from(stream.send(message.clone()));
            }
        });
        let listeners = self.inner.listeners.list_changed(kind);
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
    /// (`resources/subscribe`) that has an open standalone stream, and to every
    /// `subscriptions/listen` stream subscribed to it; returns how many got it.
    pub fn notify_resource_updated(&self, uri: &str) -> usize {
        #[derive(Serialize)]
        struct Params<'a> {
            uri: &'a str,
        }
        let mut message = None;
        let mut sent = 0usize;
        self.inner.sessions.for_each(|session| {
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
        let listeners = self.inner.listeners.resource_updated(uri);
        tracing::debug!(uri, sessions = sent, listeners, "resource updated");
        sent + listeners
    }
}
