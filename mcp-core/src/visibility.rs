//! Who sees what: the server-wide tag filter and the per-session visibility rules.
//!
//! A tool, resource, template or prompt is served to a session when it is registered and
//! enabled, and then:
//! 1. the session's rules decide, the last rule that matches winning ([`Selector`]);
//! 2. else the server-wide tag filter decides (`include_tags`, `exclude_tags`).
//!
//! So a session can be shown what the tag filter hides (a `login` tool unlocking `admin`
//! tools), but never what is disabled or removed.

use serde::{Deserialize, Serialize};

use crate::protocol::ListKind;

/// The server-wide tag filter: with `include` set, only entries with at least one of those
/// tags are served; entries with any `exclude` tag never are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TagFilter {
    pub(crate) include: Vec<String>,
    pub(crate) exclude: Vec<String>,
}

impl TagFilter {
    /// Whether an entry with `tags` is served by default.
    pub(crate) fn allows(&self, tags: &[String]) -> bool {
        (self.include.is_empty() || tags.iter().any(|t| self.include.contains(t)))
            && !tags.iter().any(|t| self.exclude.contains(t))
    }
}

/// What a per-session visibility rule applies to: every tool, resource, template and prompt
/// with a tag, or one of them by name (by URI or URI template for resources).
///
/// ```
/// use quickmcp_core::Selector;
///
/// let admin = Selector::tag("admin");
/// assert_eq!(admin, Selector::Tag("admin".into()));
/// let _ = [Selector::tool("drop_table"), Selector::resource("logs://today"), Selector::prompt("audit")];
/// // Stored as `{"tag":"admin"}` in a session record.
/// assert_eq!(serde_json::to_string(&admin).unwrap(), r#"{"tag":"admin"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Selector {
    /// Everything tagged with this tag.
    Tag(String),
    /// The tool with this name.
    Tool(String),
    /// The resource with this URI, or the resource template written this way.
    Resource(String),
    /// The prompt with this name.
    Prompt(String),
}

impl Selector {
    /// Everything tagged `tag`.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    ///
    /// assert_eq!(Selector::tag("admin"), Selector::Tag("admin".into()));
    /// ```
    pub fn tag(tag: impl Into<String>) -> Self {
        Self::Tag(tag.into())
    }

    /// The tool named `name`.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    ///
    /// assert_eq!(Selector::tool("drop_table"), Selector::Tool("drop_table".into()));
    /// ```
    pub fn tool(name: impl Into<String>) -> Self {
        Self::Tool(name.into())
    }

    /// The resource at `uri`, or the resource template written `uri`.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    ///
    /// assert_eq!(Selector::resource("logs://audit"), Selector::Resource("logs://audit".into()));
    /// ```
    pub fn resource(uri: impl Into<String>) -> Self {
        Self::Resource(uri.into())
    }

    /// The prompt named `name`.
    ///
    /// ```
    /// use quickmcp_core::Selector;
    ///
    /// assert_eq!(Selector::prompt("audit"), Selector::Prompt("audit".into()));
    /// ```
    pub fn prompt(name: impl Into<String>) -> Self {
        Self::Prompt(name.into())
    }

    /// Whether the entry of `kind` keyed `key` with `tags` is selected.
    pub(crate) fn matches(&self, kind: ListKind, key: &str, tags: &[String]) -> bool {
        match self {
            Self::Tag(tag) => tags.contains(tag),
            Self::Tool(name) => kind == ListKind::Tools && key == name,
            Self::Resource(uri) => kind == ListKind::Resources && key == uri,
            Self::Prompt(name) => kind == ListKind::Prompts && key == name,
        }
    }
}

/// One session's overrides: `(selector, shown)` rules, the last matching one winning. Each
/// selector appears at most once (a new rule replaces the old one), so the list stays as
/// small as the distinct selectors used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Visibility {
    rules: Vec<(Selector, bool)>,
}

impl Visibility {
    /// The rules `(selector, shown)`, oldest first (as a session record stores them).
    pub(crate) fn from_rules(rules: Vec<(Selector, bool)>) -> Self {
        Self { rules }
    }

    /// The rules, oldest first.
    pub(crate) fn rules(&self) -> &[(Selector, bool)] {
        &self.rules
    }

    /// These rules plus `selector → shown`; `None` if that changes nothing.
    pub(crate) fn with(&self, selector: Selector, shown: bool) -> Option<Self> {
        if self.rules.last() == Some(&(selector.clone(), shown)) {
            return None;
        }
        let mut rules = self.rules.clone();
        rules.retain(|(s, _)| *s != selector);
        rules.push((selector, shown));
        Some(Self { rules })
    }

    /// What the rules say about an entry: `None` when no rule matches.
    pub(crate) fn decide(&self, kind: ListKind, key: &str, tags: &[String]) -> Option<bool> {
        self.rules
            .iter()
            .rev()
            .find(|(s, _)| s.matches(kind, key, tags))
            .map(|&(_, shown)| shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_filter_includes_then_excludes() {
        let open = TagFilter::default();
        assert!(open.allows(&[]));
        let filter = TagFilter {
            include: tags(&["public"]),
            exclude: tags(&["beta"]),
        };
        assert!(filter.allows(&tags(&["public"])));
        assert!(!filter.allows(&tags(&["public", "beta"])));
        assert!(!filter.allows(&tags(&["admin"])));
        assert!(!filter.allows(&[]));
    }

    #[test]
    fn the_last_matching_rule_wins() {
        let v = Visibility::default()
            .with(Selector::tag("admin"), true)
            .unwrap()
            .with(Selector::tool("drop"), false)
            .unwrap();
        let admin = tags(&["admin"]);
        assert_eq!(v.decide(ListKind::Tools, "drop", &admin), Some(false));
        assert_eq!(v.decide(ListKind::Tools, "grant", &admin), Some(true));
        assert_eq!(v.decide(ListKind::Prompts, "drop", &[]), None);
        assert_eq!(v.decide(ListKind::Tools, "other", &[]), None);
        // Re-adding a selector moves it last and replaces its old rule.
        let v = v.with(Selector::tag("admin"), false).unwrap();
        assert_eq!(v.decide(ListKind::Tools, "drop", &admin), Some(false));
        assert_eq!(v.rules.len(), 2);
        assert!(v.with(Selector::tag("admin"), false).is_none());
    }
}
