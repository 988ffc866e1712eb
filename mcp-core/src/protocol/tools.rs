//! `tools/list` and `tools/call` shapes.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Hints about a tool's behaviour. Clients treat them as untrusted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolAnnotations {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The tool does not modify its environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    /// The tool may destroy data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    /// Calling it twice with the same arguments does nothing more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    /// The tool talks to the outside world.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

impl ToolAnnotations {
    /// No hint is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `tools/call` params, with the arguments left as raw JSON.
#[derive(Debug, Deserialize)]
pub struct CallToolParams<'a> {
    /// The tool's name.
    #[serde(borrow)]
    pub name: std::borrow::Cow<'a, str>,
    /// The arguments object; absent means `{}`.
    #[serde(borrow, default)]
    pub arguments: Option<&'a RawValue>,
}

/// `params` of the list methods.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    /// The opaque cursor from a previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}
