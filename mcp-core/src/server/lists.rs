//! Changing what a running server serves, and telling connected clients: `list_changed` and
//! `resources/updated` notifications on each session's standalone stream.

use std::sync::Arc;

use super::McpServer;
use crate::protocol::ListKind;
use crate::registry::prompt::PromptHandler;
use crate::registry::resource::{ResourceHandler, ResourceTemplateHandler};
use crate::registry::RegisterError;

impl McpServer {
    /// Unregisters a tool; `false` if there was none by that name.
    pub fn remove_tool(&self, name: &str) -> bool {
        self.changed(self.engine.tools.remove(name), ListKind::Tools)
    }

    /// Hides (or shows again) a tool: a disabled tool is neither listed nor callable. `false`
    /// if there is no tool by that name.
    pub fn set_tool_enabled(&self, name: &str, enabled: bool) -> bool {
        self.changed(
            self.engine.tools.set_enabled(name, enabled),
            ListKind::Tools,
        )
    }

    /// Registers a resource.
    pub fn add_resource(&self, resource: Arc<dyn ResourceHandler>) -> Result<(), RegisterError> {
        self.engine.resources.add(resource)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    /// Unregisters the resource at `uri`; `false` if there was none.
    pub fn remove_resource(&self, uri: &str) -> bool {
        self.changed(self.engine.resources.remove(uri), ListKind::Resources)
    }

    /// Hides (or shows again) the resource at `uri`; `false` if there is none.
    pub fn set_resource_enabled(&self, uri: &str, enabled: bool) -> bool {
        self.changed(
            self.engine.resources.set_enabled(uri, enabled),
            ListKind::Resources,
        )
    }

    /// Registers a resource template. Templates are tried in registration order, after the
    /// static resources.
    pub fn add_resource_template(
        &self,
        template: Arc<dyn ResourceTemplateHandler>,
    ) -> Result<(), RegisterError> {
        self.engine.templates.add(template)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    /// Unregisters the template written `uri_template`; `false` if there was none.
    pub fn remove_resource_template(&self, uri_template: &str) -> bool {
        self.changed(
            self.engine.templates.remove(uri_template),
            ListKind::Resources,
        )
    }

    /// Hides (or shows again) the template written `uri_template`; `false` if there is none.
    pub fn set_resource_template_enabled(&self, uri_template: &str, enabled: bool) -> bool {
        let found = self.engine.templates.set_enabled(uri_template, enabled);
        self.changed(found, ListKind::Resources)
    }

    /// Registers a prompt.
    pub fn add_prompt(&self, prompt: Arc<dyn PromptHandler>) -> Result<(), RegisterError> {
        self.engine.prompts.add(prompt)?;
        self.notify_list_changed(ListKind::Prompts);
        Ok(())
    }

    /// Unregisters a prompt; `false` if there was none by that name.
    pub fn remove_prompt(&self, name: &str) -> bool {
        self.changed(self.engine.prompts.remove(name), ListKind::Prompts)
    }

    /// Hides (or shows again) a prompt; `false` if there is none by that name.
    pub fn set_prompt_enabled(&self, name: &str, enabled: bool) -> bool {
        self.changed(
            self.engine.prompts.set_enabled(name, enabled),
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
    /// open standalone stream and every `subscriptions/listen` stream that asked for it. The
    /// add/remove/enable methods call this for you; call it yourself when a hand-written
    /// handler's answers change.
    pub fn notify_list_changed(&self, kind: ListKind) {
        self.engine.list_changed(kind);
    }

    /// Sends `notifications/resources/updated {uri}` to every session subscribed to `uri`
    /// (`resources/subscribe`) that has an open standalone stream, and to every
    /// `subscriptions/listen` stream subscribed to it; returns how many got it.
    pub fn notify_resource_updated(&self, uri: &str) -> usize {
        self.engine.notify.resource_updated(uri)
    }
}
