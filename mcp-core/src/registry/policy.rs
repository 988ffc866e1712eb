//! What an operation asks of the engine rather than shows to clients: how long it may run.
//! The same builders on every definition: tools, resources, resource templates and prompts.
//! Nothing here is serialized; the engine's layers read these fields.

use std::time::Duration;

use crate::protocol::prompts::PromptDefinition;
use crate::protocol::resources::{ResourceDefinition, ResourceTemplateDefinition};
use crate::registry::tool::ToolDefinition;

macro_rules! policy_builders {
    ($ty:ident, $path:literal, $new:literal) => {
        impl $ty {
            /// Sets how long one call may run before the engine's timeout layer stops it,
            /// instead of the server's default. Not part of what clients are shown.
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
        }
    };
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
    #[should_panic(expected = "a timeout of zero would fail every call of `t`")]
    fn a_zero_timeout_is_a_builder_misuse() {
        let _ = ToolDefinition::named("t").timeout(Duration::ZERO);
    }
}
