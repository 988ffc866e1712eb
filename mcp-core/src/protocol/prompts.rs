//! `prompts/list` and `prompts/get` shapes.

use std::time::Duration;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use super::content::Content;
use super::{Icon, Role};
use crate::error::McpError;

/// A prompt, as `prompts/list` shows it.
///
/// ```
/// use quickmcp_core::protocol::prompts::{PromptArgument, PromptDefinition};
///
/// let def = PromptDefinition::new("review", "Review some code.")
///     .argument(PromptArgument::new("code", true));
/// let json = serde_json::to_value(&def).unwrap();
/// assert_eq!(json["arguments"][0], serde_json::json!({"name": "code", "required": true}));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptDefinition {
    /// Unique name.
    pub name: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the prompt is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The arguments it takes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<PromptArgument>,
    /// Icons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub icons: Vec<Icon>,
    /// Server-side labels for tag filters and per-session visibility. Never sent to clients.
    #[serde(skip)]
    pub tags: Vec<String>,
    /// How long a `prompts/get` may run before the engine stops it; `None` leaves it to the
    /// server's default (`McpServer::call_timeout`). Set with [`timeout`](Self::timeout).
    /// Never sent to clients.
    #[serde(skip)]
    pub timeout: Option<Duration>,
    /// The OAuth scopes a caller's token must grant for this operation (issue 12's auth layer
    /// enforces them). Set with [`scopes`](Self::scopes). Never sent to clients.
    #[serde(skip)]
    pub scopes: Vec<String>,
}

impl PromptDefinition {
    /// A prompt without arguments. An empty description is none, as with
    /// [`named`](Self::named).
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self::named(name).description(description)
    }

    /// A prompt without a description or arguments: `prompts/list` shows no `description`
    /// key for it.
    ///
    /// ```
    /// use quickmcp_core::protocol::prompts::PromptDefinition;
    ///
    /// let def = PromptDefinition::named("review");
    /// assert_eq!(serde_json::to_string(&def).unwrap(), r#"{"name":"review"}"#);
    /// ```
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            title: None,
            description: None,
            arguments: Vec::new(),
            icons: Vec::new(),
            tags: Vec::new(),
            timeout: None,
            scopes: Vec::new(),
        }
    }

    /// Sets the display name.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the description; an empty one removes it.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        let description: String = description.into();
        self.description = (!description.is_empty()).then_some(description);
        self
    }

    /// Adds an argument.
    #[must_use]
    pub fn argument(mut self, argument: PromptArgument) -> Self {
        self.arguments.push(argument);
        self
    }

    /// Adds an icon.
    #[must_use]
    pub fn icon(mut self, icon: Icon) -> Self {
        self.icons.push(icon);
        self
    }

    /// Adds a tag: server-side metadata that tag filters and per-session visibility match on
    /// (not listed to clients).
    ///
    /// ```
    /// use quickmcp_core::protocol::prompts::PromptDefinition;
    ///
    /// let def = PromptDefinition::new("audit", "Audit the logs.").tag("admin");
    /// assert_eq!(def.tags, ["admin"]);
    /// assert!(!serde_json::to_string(&def).unwrap().contains("admin"));
    /// ```
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }
}

/// One argument of a prompt. Values are strings on the wire.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptArgument {
    /// The argument's name.
    pub name: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the client must give it.
    pub required: bool,
}

impl PromptArgument {
    /// An argument called `name`.
    pub fn new(name: impl Into<String>, required: bool) -> Self {
        Self {
            name: name.into(),
            title: None,
            description: None,
            required,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// One message of a prompt.
///
/// ```
/// use quickmcp_core::PromptMessage;
///
/// let message = PromptMessage::user("Summarize this.");
/// assert_eq!(
///     serde_json::to_string(&message).unwrap(),
///     r#"{"role":"user","content":{"type":"text","text":"Summarize this."}}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptMessage {
    /// The speaker.
    pub role: Role,
    /// One content block: text, image, audio, embedded resource or resource link.
    pub content: Content,
}

impl PromptMessage {
    /// A message with any content.
    pub fn new(role: Role, content: Content) -> Self {
        Self { role, content }
    }

    /// A user text message.
    pub fn user(text: impl Into<String>) -> Self {
        Self::new(Role::User, Content::text(text))
    }

    /// An assistant text message.
    pub fn assistant(text: impl Into<String>) -> Self {
        Self::new(Role::Assistant, Content::text(text))
    }
}

/// The result of `prompts/get`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GetPromptResult {
    /// A description of this rendering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The messages.
    pub messages: Vec<PromptMessage>,
}

impl GetPromptResult {
    /// A result with these messages.
    pub fn new(messages: Vec<PromptMessage>) -> Self {
        Self {
            description: None,
            messages,
        }
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
