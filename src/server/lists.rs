//! Changing a running server: add, remove, enable and disable tools, resources and prompts,
//! and tell clients a resource changed. Connected sessions with a standalone stream get the
//! `list_changed` notifications.

use std::sync::Arc;

use quickmcp_core::registry::RegisterError;
use quickmcp_core::{PromptHandler, Resource, ToolHandler};

use super::Server;

impl Server {
    /// Adds a tool to the running server (`notifications/tools/list_changed` follows).
    ///
    /// ```no_run
    /// use quickmcp::prelude::*;
    ///
    /// /// Say hi.
    /// #[tool]
    /// fn hi() -> &'static str {
    ///     "hi"
    /// }
    ///
    /// # async fn run() -> quickmcp::Result<()> {
    /// let server = Server::new("live");
    /// let handle = server.clone();
    /// tokio::spawn(async move {
    ///     tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    ///     handle.add_tool(hi).unwrap();
    ///     handle.set_tool_enabled("hi", false);
    ///     handle.remove_tool("hi");
    /// });
    /// server.run_http("127.0.0.1:8000").await
    /// # }
    /// ```
    pub fn add_tool(&self, tool: impl ToolHandler) -> Result<(), RegisterError> {
        self.core.add_tool(Arc::new(tool))
    }

    /// Removes a tool; `false` if there was none by that name.
    pub fn remove_tool(&self, name: &str) -> bool {
        self.core.remove_tool(name)
    }

    /// Hides (`false`) or shows again (`true`) a tool; `false` if there is none by that name.
    pub fn set_tool_enabled(&self, name: &str, enabled: bool) -> bool {
        self.core.set_tool_enabled(name, enabled)
    }

    /// Adds a resource or resource template to the running server.
    pub fn add_resource<M>(&self, resource: impl Resource<M>) -> Result<(), RegisterError> {
        resource.register(&self.core)
    }

    /// Removes the resource at `uri`; `false` if there was none.
    pub fn remove_resource(&self, uri: &str) -> bool {
        self.core.remove_resource(uri)
    }

    /// Removes the template written `uri_template`; `false` if there was none.
    pub fn remove_resource_template(&self, uri_template: &str) -> bool {
        self.core.remove_resource_template(uri_template)
    }

    /// Hides or shows again the resource at `uri`; `false` if there is none.
    pub fn set_resource_enabled(&self, uri: &str, enabled: bool) -> bool {
        self.core.set_resource_enabled(uri, enabled)
    }

    /// Hides or shows again the template written `uri_template`; `false` if there is none.
    pub fn set_resource_template_enabled(&self, uri_template: &str, enabled: bool) -> bool {
        self.core
            .set_resource_template_enabled(uri_template, enabled)
    }

    /// Adds a prompt to the running server.
    pub fn add_prompt(&self, prompt: impl PromptHandler) -> Result<(), RegisterError> {
        self.core.add_prompt(Arc::new(prompt))
    }

    /// Removes a prompt; `false` if there was none by that name.
    pub fn remove_prompt(&self, name: &str) -> bool {
        self.core.remove_prompt(name)
    }

    /// Hides or shows again a prompt; `false` if there is none by that name.
    pub fn set_prompt_enabled(&self, name: &str, enabled: bool) -> bool {
        self.core.set_prompt_enabled(name, enabled)
    }

    /// Sends `notifications/resources/updated {uri}` to every session subscribed to `uri`
    /// with an open standalone stream; returns how many got it.
    ///
    /// ```no_run
    /// # async fn run(server: quickmcp::Server) {
    /// // after writing the file behind "file:///notes.txt":
    /// server.notify_resource_updated("file:///notes.txt");
    /// # }
    /// ```
    pub fn notify_resource_updated(&self, uri: &str) -> usize {
        self.core.notify_resource_updated(uri)
    }
}
