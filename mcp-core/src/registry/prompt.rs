//! Prompts: the [`PromptHandler`] trait `#[prompt]` implements, the arguments it receives, and
//! its registry entry.

use std::sync::Arc;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{Entry, RegisterError, Registry, Reply};
use crate::error::McpError;
use crate::handler::CallContext;
use crate::protocol::completion::CompletionContext;
use crate::protocol::prompts::{GetPromptResult, PromptDefinition};

/// A prompt template the client can fetch with arguments.
///
/// `#[prompt]` implements this for you; implement it by hand for prompts loaded at runtime.
///
/// ```
/// use quickmcp_core::protocol::prompts::{GetPromptResult, PromptArgument, PromptDefinition};
/// use quickmcp_core::{PromptArguments, PromptHandler, PromptMessage, Reply, CallContext};
///
/// struct Review;
///
/// impl PromptHandler for Review {
///     fn definition(&self) -> PromptDefinition {
///         PromptDefinition::new("review", "Review code.").argument(PromptArgument::new("code", true))
///     }
///     fn get(&self, mut args: PromptArguments, _cx: &CallContext<'_>) -> Reply<GetPromptResult> {
///         Reply::ready(args.required("code").map(|code| {
///             GetPromptResult::new(vec![PromptMessage::user(format!("Review:\n{code}"))])
///         }))
///     }
/// }
/// ```
pub trait PromptHandler: Send + Sync + 'static {
    /// Name, description and arguments. Called once, at registration.
    fn definition(&self) -> PromptDefinition;

    /// Renders the prompt with these arguments.
    fn get(&self, args: PromptArguments, cx: &CallContext<'_>) -> Reply<GetPromptResult>;

    /// Suggestions for `argument` starting from `value`; `None` when it has no completer.
    fn complete(
        &self,
        argument: &str,
        value: &str,
        context: &CompletionContext,
    ) -> Option<Vec<String>> {
        let _ = (argument, value, context);
        None
    }

    /// Whether [`complete`](Self::complete) can answer for some argument (this turns on the
    /// `completions` capability).
    fn has_completions(&self) -> bool {
        false
    }
}

/// The `arguments` of a `prompts/get`: names to string values. (Numbers and booleans a lenient
/// client sends are kept as their JSON text.)
#[derive(Debug, Default, Clone)]
pub struct PromptArguments {
    pairs: Vec<(String, String)>,
}

impl<'de> Deserialize<'de> for PromptArguments {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PromptArguments;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of string values")
            }
            fn visit_unit<E>(self) -> Result<PromptArguments, E> {
                Ok(PromptArguments::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PromptArguments, A::Error> {
                let mut pairs = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    let value = match value {
                        Value::String(text) => text,
                        Value::Null => continue,
                        other => other.to_string(),
                    };
                    pairs.push((key, value));
                }
                Ok(PromptArguments { pairs })
            }
        }
        d.deserialize_any(V)
    }
}

impl PromptArguments {
    /// Parses `arguments`; absent or `null` means none.
    pub fn parse(raw: Option<&RawValue>) -> Result<Self, McpError> {
        let Some(raw) = raw else {
            return Ok(Self::default());
        };
        serde_json::from_str(raw.get()).map_err(|e| {
            McpError::invalid_params(format!(
                "`arguments` must be an object of string values: {e}"
            ))
        })
    }

    /// Arguments from name/value pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            pairs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// Takes argument `name`, if given.
    pub fn take(&mut self, name: &str) -> Option<String> {
        let index = self.pairs.iter().position(|(n, _)| n == name)?;
        Some(self.pairs.swap_remove(index).1)
    }

    /// Takes argument `name`; missing is `-32602` naming it.
    pub fn required(&mut self, name: &str) -> Result<String, McpError> {
        self.take(name)
            .ok_or_else(|| McpError::invalid_params(format!("missing required argument `{name}`")))
    }
}

#[derive(Clone)]
pub(crate) struct RegisteredPrompt {
    pub(crate) handler: Arc<dyn PromptHandler>,
    pub(crate) definition: PromptDefinition,
}

impl Entry for RegisteredPrompt {
    const LIST_KEY: &'static str = "prompts";
    const KIND: crate::protocol::ListKind = crate::protocol::ListKind::Prompts;
    type Definition = PromptDefinition;

    fn key(&self) -> &str {
        &self.definition.name
    }

    fn definition(&self) -> &PromptDefinition {
        &self.definition
    }

    fn tags(&self) -> &[String] {
        &self.definition.tags
    }

    fn duplicate(key: &str) -> RegisterError {
        RegisterError::DuplicatePrompt(key.into())
    }
}

impl Registry<RegisteredPrompt> {
    pub(crate) fn add(&self, handler: Arc<dyn PromptHandler>) -> Result<(), RegisterError> {
        let definition = handler.definition();
        self.insert(RegisteredPrompt {
            handler,
            definition,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_strings_by_name() {
        let raw = RawValue::from_string(r#"{"a":"x","n":3,"z":null}"#.into()).unwrap();
        let mut args = PromptArguments::parse(Some(&raw)).unwrap();
        assert_eq!(args.take("n").as_deref(), Some("3"));
        assert_eq!(args.required("a").unwrap(), "x");
        assert!(args.take("z").is_none());
        let missing = args.required("a").unwrap_err();
        assert_eq!(missing.code, -32602);
        assert!(missing.message.contains("`a`"));
        let raw = RawValue::from_string("[1]".into()).unwrap();
        assert_eq!(PromptArguments::parse(Some(&raw)).unwrap_err().code, -32602);
    }
}
