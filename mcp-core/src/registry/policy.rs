//! What an operation asks of the engine rather than shows to clients: how long it may run, and
//! the OAuth scopes its caller needs.
//! The same builders on every definition: tools, resources, resource templates and prompts.
//! Nothing here is serialized; the engine's layers read these fields.

use std::time::Duration;

use crate::protocol::prompts::PromptDefinition;
use crate::protocol::resources::{ResourceDefinition, ResourceTemplateDefinition};
use crate::registry::tool::ToolDefinition;

macro_rules! policy_builders {
    ($ty:ident, $path:literal, $new:literal) => {
        impl $ty {
            /// Sets how long one call may run before the engine stops it, instead of the
            /// server's default (`McpServer::call_timeout`, which says what the client is
            /// answered). Not part of what clients are shown.
            ///
            /// ```
            /// use std::time::Duration;
            #[doc = concat!("use ", $path, ";")]
            ///
            #[doc = concat!("let def = ", $new, ".timeout(Duration::from_secs(30));")]
            /// assert_eq!(def.timeout, Some(Duration::from_secs(30)));
            /// assert!(!serde_json::to_string(&def).unwrap().contains("timeout"));
            /// ```
            ///
            /// # Panics
            /// On a zero duration, which would fail every call (a builder misuse, reported
            /// when the definition is built).
            #[must_use]
            #[track_caller]
            pub fn timeout(mut self, timeout: Duration) -> Self {
                assert!(
                    !timeout.is_zero(),
                    "a timeout of zero would fail every call of `{}`: give a positive duration, or none",
                    self.name
                );
                self.timeout = Some(timeout);
                self
            }

            /// Adds OAuth scopes the caller's token must grant for this operation (the auth
            /// layer enforces them; nothing does yet). A scope already there is not added
            /// twice. Not part of what clients are shown.
            ///
            /// ```
            #[doc = concat!("use ", $path, ";")]
            ///
            #[doc = concat!("let def = ", $new, ".scopes([\"files:read\", \"files:write\"]);")]
            /// assert_eq!(def.scopes, ["files:read", "files:write"]);
            /// assert!(!serde_json::to_string(&def).unwrap().contains("files:"));
            /// ```
            ///
            /// # Panics
            /// On a string that is not an RFC 6749 scope token (empty, or holding a space,
            /// `"`, `\` or a character outside printable ASCII), which no token could grant
            /// (a builder misuse, reported when the definition is built).
            #[must_use]
            #[track_caller]
            pub fn scopes<I, S>(mut self, scopes: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                for scope in scopes {
                    let scope = scope.into();
                    if let Some(problem) = scope_token_problem(&scope) {
                        panic!("`{}` asks for the scope {scope:?}, which {problem}", self.name);
                    }
                    if !self.scopes.contains(&scope) {
                        self.scopes.push(scope);
                    }
                }
                self
            }
        }
    };
}

/// Why `scope` is not an RFC 6749 `scope-token` (`1*( %x21 / %x23-5B / %x5D-7E )`), if it
/// is not: the rule `#[tool(scopes = [..])]` checks at compile time.
pub(crate) fn scope_token_problem(scope: &str) -> Option<String> {
    if scope.is_empty() {
        return Some("is empty: a scope is at least one character".to_owned());
    }
    let bad = scope
        .chars()
        .find(|&c| !matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E'))?;
    Some(format!(
        "holds {bad:?}: a scope is printable ASCII without spaces, `\"` or `\\` (RFC 6749, section 3.3)"
    ))
}

policy_builders!(
    ToolDefinition,
    "quickmcp_core::ToolDefinition",
    "ToolDefinition::new(\"export\", \"Exports the catalogue.\")"
);
policy_builders!(
    PromptDefinition,
    "quickmcp_core::PromptDefinition",
    "PromptDefinition::new(\"review\", \"Review code.\")"
);
policy_builders!(
    ResourceDefinition,
    "quickmcp_core::ResourceDefinition",
    "ResourceDefinition::new(\"docs://readme\", \"readme\")"
);
policy_builders!(
    ResourceTemplateDefinition,
    "quickmcp_core::ResourceTemplateDefinition",
    "ResourceTemplateDefinition::new(\"notes://{id}\", \"notes\")"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_carries_a_timeout() {
        let second = Duration::from_secs(1);
        assert_eq!(
            ToolDefinition::named("t").timeout(second).timeout,
            Some(second)
        );
        assert_eq!(PromptDefinition::named("p").timeout, None);
        assert_eq!(
            ResourceDefinition::new("a://b", "b")
                .timeout(second)
                .timeout,
            Some(second)
        );
        assert_eq!(
            ResourceTemplateDefinition::new("a://{b}", "b")
                .timeout(second)
                .timeout,
            Some(second)
        );
    }

    #[test]
    fn every_definition_carries_scopes_once_each() {
        let def = ToolDefinition::named("t")
            .scopes(["files:read"])
            .scopes(vec![String::from("files:write"), "files:read".into()]);
        assert_eq!(def.scopes, ["files:read", "files:write"]);
        assert_eq!(PromptDefinition::named("p").scopes(["a"]).scopes, ["a"]);
        assert_eq!(
            ResourceDefinition::new("a://b", "b").scopes(["a"]).scopes,
            ["a"]
        );
        assert_eq!(
            ResourceTemplateDefinition::new("a://{b}", "b")
                .scopes(["a"])
                .scopes,
            ["a"]
        );
        assert!(ToolDefinition::named("t").scopes.is_empty());
    }

    #[test]
    fn scope_tokens() {
        for good in [
            "files:read",
            "a",
            "https://api.example.com/x.y",
            "!#[]~",
            "{x}|^`",
        ] {
            assert_eq!(scope_token_problem(good), None, "{good}");
        }
        assert!(scope_token_problem("").unwrap().starts_with("is empty"));
        for (bad, found) in [
            ("a b", "' '"),
            ("a\"b", "'\"'"),
            ("a\\b", "'\\\\'"),
            ("é", "'é'"),
            ("a\tb", "'\\t'"),
        ] {
            let problem = scope_token_problem(bad).unwrap();
            assert!(
                problem.starts_with(&format!("holds {found}")),
                "{bad:?}: {problem}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "`t` asks for the scope \"files write\", which holds ' '")]
    fn an_invalid_scope_is_a_builder_misuse() {
        let _ = ToolDefinition::named("t").scopes(["files write"]);
    }

    #[test]
    #[should_panic(expected = "a timeout of zero would fail every call of `t`")]
    fn a_zero_timeout_is_a_builder_misuse() {
        let _ = ToolDefinition::named("t").timeout(Duration::ZERO);
    }
}
