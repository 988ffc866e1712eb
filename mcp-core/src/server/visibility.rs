//! Who sees what: the server-wide tag filter, and per-session rules that show or hide tools,
//! resources and prompts for one session only (see [`registry::visibility`](crate::visibility)).

use super::McpServer;
use crate::handler::CallControl;
use crate::protocol::ListKind;
use crate::session::Session;
use crate::visibility::{Selector, TagFilter};

impl McpServer {
    /// Serves only what has at least one of `tags` (FastMCP's `include_tags`); an empty list
    /// lifts this filter. Untagged items are then hidden too. Connected sessions get
    /// `list_changed` for each list whose content this changes. Sessions' own rules ([`show_for_session`](Self::show_for_session)) can
    /// still show what the filter hides; disabled or removed items stay hidden.
    ///
    /// ```
    /// use quickmcp_core::{McpServer, ToolDefinition};
    ///
    /// let server = McpServer::new("demo");
    /// server.include_tags(["public"]);
    /// server.exclude_tags(["beta"]); // a `public` and `beta` item is hidden
    /// server.include_tags(Vec::<String>::new()); // everything not `beta` again
    /// ```
    pub fn include_tags<I, S>(&self, tags: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let include = tags.into_iter().map(Into::into).collect();
        self.change_filter(|filter| filter.include = include);
    }

    /// Hides everything that has any of `tags` (FastMCP's `exclude_tags`), from listing and
    /// from calls; an empty list lifts this filter. Exclusion wins over
    /// [`include_tags`](Self::include_tags). Connected sessions get `list_changed` for each
    /// list whose content this changes.
    ///
    /// ```
    /// use quickmcp_core::McpServer;
    ///
    /// let server = McpServer::new("demo");
    /// server.exclude_tags(["admin"]); // until a session is shown them
    /// ```
    pub fn exclude_tags<I, S>(&self, tags: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let exclude = tags.into_iter().map(Into::into).collect();
        self.change_filter(|filter| filter.exclude = exclude);
    }

    fn change_filter(&self, change: impl FnOnce(&mut TagFilter)) {
        let filter = {
            let mut filter = self.engine.filter.lock();
            change(&mut filter);
            filter.clone()
        };
        let inner = &self.engine;
        if inner.tools.set_filter(filter.clone()) {
            self.notify_list_changed(ListKind::Tools);
        }
        let resources = inner.resources.set_filter(filter.clone());
        if inner.templates.set_filter(filter.clone()) || resources {
            self.notify_list_changed(ListKind::Resources);
        }
        if inner.prompts.set_filter(filter) {
            self.notify_list_changed(ListKind::Prompts);
        }
    }

    /// Shows what `selector` picks to the session `session_id` only, even if the tag filter
    /// hides it (not if it is disabled or removed). That session gets `list_changed` for the
    /// lists this can change; others see nothing. `false` if there is no such session.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    /// use quickmcp_core::McpServer;
    ///
    /// let server = McpServer::new("demo");
    /// server.exclude_tags(["admin"]);
    /// assert!(!server.show_for_session("no-such-session", Selector::tag("admin")));
    /// ```
    pub fn show_for_session(&self, session_id: &str, selector: Selector) -> bool {
        self.for_session(session_id, |s| self.engine.set_visible(s, selector, true))
    }

    /// Hides what `selector` picks from the session `session_id` only: it is neither listed
    /// nor callable there, and calling it answers like an unknown name. That session gets
    /// `list_changed`. `false` if there is no such session.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    /// use quickmcp_core::McpServer;
    ///
    /// let server = McpServer::new("demo");
    /// assert!(!server.hide_for_session("no-such-session", Selector::tool("delete")));
    /// ```
    pub fn hide_for_session(&self, session_id: &str, selector: Selector) -> bool {
        self.for_session(session_id, |s| self.engine.set_visible(s, selector, false))
    }

    /// Drops every rule of the session `session_id`: it sees the server-wide view again.
    /// `false` if there is no such session.
    ///
    /// ```
    /// use quickmcp_core::McpServer;
    ///
    /// let server = McpServer::new("demo");
    /// assert!(!server.reset_session_visibility("no-such-session"));
    /// ```
    pub fn reset_session_visibility(&self, session_id: &str) -> bool {
        self.for_session(session_id, |s| self.engine.reset_visibility(s))
    }

    fn for_session(&self, id: &str, apply: impl FnOnce(&Session)) -> bool {
        self.engine.sessions.find(id).map(|s| apply(&s)).is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::protocol::ProtocolVersion;
    use crate::{Arguments, CallContext, ToolDefinition, ToolFuture, ToolHandler};

    struct Tagged(&'static str, &'static [&'static str]);

    impl ToolHandler for Tagged {
        fn definition(&self) -> ToolDefinition {
            self.1
                .iter()
                .fold(ToolDefinition::new(self.0, "T."), |d, t| d.tag(*t))
        }
        fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
            ToolFuture::ready("ok")
        }
    }

    fn server() -> McpServer {
        let server = McpServer::new("t");
        server.add_tool(Arc::new(Tagged("open", &[]))).unwrap();
        server
            .add_tool(Arc::new(Tagged("drop", &["admin"])))
            .unwrap();
        server
    }

    fn names(server: &McpServer, session: Option<&Session>) -> Vec<String> {
        let rules = session.and_then(Session::visibility);
        let tools = server.engine.tools.snapshot();
        let names = tools
            .iter(rules.as_deref())
            .map(|t| t.definition.name.to_string());
        names.collect()
    }

    #[test]
    fn rules_change_one_session_only() {
        let server = server();
        server.exclude_tags(["admin"]);
        assert_eq!(names(&server, None), ["open"]);
        let sessions = server.sessions().clone();
        let a = sessions
            .create(ProtocolVersion::LATEST, Default::default(), None, None)
            .now()
            .unwrap()
            .unwrap();
        let b = sessions
            .create(ProtocolVersion::LATEST, Default::default(), None, None)
            .now()
            .unwrap()
            .unwrap();
        assert!(server.show_for_session(a.id(), Selector::tag("admin")));
        assert_eq!(names(&server, Some(&a)), ["open", "drop"]);
        assert_eq!(names(&server, Some(&b)), ["open"]);
        assert!(b.visibility().is_none());
        assert!(server.hide_for_session(a.id(), Selector::tool("open")));
        assert_eq!(names(&server, Some(&a)), ["drop"]);
        let stored = sessions
            .store()
            .load(a.id())
            .now()
            .unwrap()
            .unwrap()
            .unwrap();
        let rules = [
            (Selector::tag("admin"), true),
            (Selector::tool("open"), false),
        ];
        assert_eq!(stored.visibility, rules, "the rules reached the store");
        assert!(server.reset_session_visibility(a.id()));
        assert_eq!(names(&server, Some(&a)), ["open"]);
        assert!(a.visibility().is_none());
    }

    #[test]
    fn tags_select_the_lists_that_hold_them() {
        let server = server();
        assert_eq!(
            server.engine.kinds_of(&Selector::tag("admin")),
            [Some(ListKind::Tools), None, None]
        );
        assert_eq!(
            server.engine.kinds_of(&Selector::tag("nope")),
            [None, None, None]
        );
    }
}
