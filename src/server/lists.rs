//! Changing a running server: add, remove, enable and disable tools, resources and prompts,
//! and tell clients a resource changed. Connected sessions with a standalone stream get the
//! `list_changed` notifications.

use std::sync::Arc;

use quickmcp_core::RegisterError;
use quickmcp_core::{PromptHandler, Resource, Selector, ToolHandler};

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

    /// Replaces the include filter at runtime ([`Server::include_tags`]); an empty list lifts
    /// it. Connected sessions get `list_changed`.
    ///
    /// ```
    /// let server = quickmcp::Server::new("demo");
    /// server.set_include_tags(["public"]);
    /// server.set_include_tags(Vec::<String>::new()); // everything again
    /// ```
    pub fn set_include_tags<I, S>(&self, tags: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.include_tags(tags);
    }

    /// Replaces the exclude filter at runtime ([`Server::exclude_tags`]); an empty list lifts
    /// it. Connected sessions get `list_changed`.
    ///
    /// ```
    /// let server = quickmcp::Server::new("demo");
    /// server.set_exclude_tags(["beta"]); // beta features off, for every session
    /// ```
    pub fn set_exclude_tags<I, S>(&self, tags: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.core.exclude_tags(tags);
    }

    /// Shows what `selector` picks to one session only, even what the tag filters hide
    /// (not what is disabled or removed); that session alone gets `list_changed`. `false` if
    /// there is no session with this id. Inside a tool, [`Context::show`](crate::Context::show)
    /// does the same for the caller's session.
    ///
    /// ```
    /// use quickmcp::{Selector, Server};
    ///
    /// let server = Server::new("demo").exclude_tags(["admin"]);
    /// // e.g. from an admin console, with a session id from your logs:
    /// let found = server.show_for_session("3f2a...", Selector::tag("admin"));
    /// assert!(!found);
    /// ```
    pub fn show_for_session(&self, session_id: &str, selector: Selector) -> bool {
        self.core.show_for_session(session_id, selector)
    }

    /// Hides what `selector` picks from one session only: it is not listed there, and
    /// calling it answers like an unknown name (`-32602`). `false` if there is no session
    /// with this id.
    ///
    /// ```
    /// use quickmcp::{Selector, Server};
    ///
    /// let server = Server::new("demo");
    /// server.hide_for_session("3f2a...", Selector::tool("delete_account"));
    /// ```
    pub fn hide_for_session(&self, session_id: &str, selector: Selector) -> bool {
        self.core.hide_for_session(session_id, selector)
    }

    /// Drops one session's show/hide rules; `false` if there is no session with this id.
    ///
    /// ```
    /// let server = quickmcp::Server::new("demo");
    /// server.reset_session_visibility("3f2a...");
    /// ```
    pub fn reset_session_visibility(&self, session_id: &str) -> bool {
        self.core.reset_session_visibility(session_id)
    }
}
