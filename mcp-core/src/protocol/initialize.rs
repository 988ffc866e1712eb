//! `initialize`: implementation info and capabilities.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Icon, ProtocolVersion};

/// Who is on the other end (`clientInfo` / `serverInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Implementation {
    /// Programmatic name.
    pub name: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Version string.
    #[serde(default)]
    pub version: String,
    /// Icons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub icons: Vec<Icon>,
    /// A homepage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
}

/// What the client declared it can do. Only the flags the server acts on are kept, so a
/// session stays small.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// `roots` declared.
    pub roots: bool,
    /// `sampling` declared.
    pub sampling: bool,
    /// `elicitation` declared (form mode).
    pub elicitation: bool,
}

impl<'de> Deserialize<'de> for ClientCapabilities {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            roots: Option<Value>,
            sampling: Option<Value>,
            elicitation: Option<Value>,
        }
        let w = Wire::deserialize(d)?;
        Ok(Self {
            roots: w.roots.is_some(),
            sampling: w.sampling.is_some(),
            elicitation: w.elicitation.is_some(),
        })
    }
}

/// `initialize` params.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitializeParams {
    /// The revision the client asks for.
    pub protocol_version: String,
    /// The client's capabilities.
    #[serde(default)]
    pub capabilities: ClientCapabilities,
    /// The client's identity.
    pub client_info: Option<Implementation>,
}

/// `{listChanged}` capability objects.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListChanged {
    /// The server sends `notifications/*/list_changed`.
    pub list_changed: bool,
}

/// What the server offers, derived from what is registered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServerCapabilities {
    /// Tools are served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<ListChanged>,
    /// Resources (or templates) are served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesCapability>,
    /// Prompts are served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<ListChanged>,
    /// `completion/complete` has something to suggest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completions: Option<EmptyObject>,
    /// `logging/setLevel` and `notifications/message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging: Option<EmptyObject>,
}

/// The `resources` capability.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesCapability {
    /// `resources/subscribe` and `notifications/resources/updated` are supported.
    pub subscribe: bool,
    /// The server sends `notifications/resources/list_changed`.
    pub list_changed: bool,
}

/// Serializes as `{}`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct EmptyObject {}

/// The `initialize` result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InitializeResult<'a> {
    /// The negotiated revision.
    pub protocol_version: ProtocolVersion,
    /// The server's capabilities.
    pub capabilities: &'a ServerCapabilities,
    /// The server's identity.
    pub server_info: &'a Implementation,
    /// How to use this server, for the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<&'a str>,
}
