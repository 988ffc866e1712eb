//! `initialize`: implementation info and capabilities.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Icon, ProtocolVersion};

/// Who the server says it is in `initialize` and `server/discover`.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    /// `serverInfo` (name, title, version, icons, website).
    pub implementation: Implementation,
    /// `instructions` for the model.
    pub instructions: Option<String>,
}

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
///
/// ```
/// use quickmcp_core::protocol::initialize::ClientCapabilities;
///
/// let caps: ClientCapabilities =
///     serde_json::from_str(r#"{"sampling":{},"elicitation":{}}"#).unwrap();
/// assert!(caps.sampling && caps.elicitation_form && !caps.elicitation_url && !caps.roots);
/// let caps: ClientCapabilities = serde_json::from_str(r#"{"elicitation":{"url":{}}}"#).unwrap();
/// assert!(caps.elicitation_url && !caps.elicitation_form);
/// let again: ClientCapabilities = serde_json::from_value(serde_json::to_value(caps).unwrap()).unwrap();
/// assert_eq!(again, caps);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// `roots` declared.
    pub roots: bool,
    /// `sampling` declared.
    pub sampling: bool,
    /// `sampling.tools`: sampling requests may carry `tools` and `toolChoice` (2025-11-25).
    pub sampling_tools: bool,
    /// `sampling.context`: `includeContext` may be `thisServer` or `allServers`.
    pub sampling_context: bool,
    /// `elicitation` declared (in any mode).
    pub elicitation: bool,
    /// Form-mode elicitation: `elicitation: {}` (form is the default) or `elicitation: {form}`.
    pub elicitation_form: bool,
    /// URL-mode elicitation (2025-11-25): `elicitation: {url}`.
    pub elicitation_url: bool,
    /// The tasks extension: `extensions: {"io.modelcontextprotocol/tasks": {}}`.
    pub tasks: bool,
}

/// Writes the capabilities back in the wire's shape (what a stored session record holds), so
/// that reading them gives the same flags.
impl Serialize for ClientCapabilities {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let empty = || Value::Object(serde_json::Map::new());
        let flags = |pairs: &[(&str, bool)]| {
            let map = pairs.iter().filter(|(_, on)| *on);
            Value::Object(map.map(|(key, _)| ((*key).to_owned(), empty())).collect())
        };
        let mut wire = serde_json::Map::new();
        if self.roots {
            wire.insert("roots".into(), empty());
        }
        if self.sampling {
            let what = [
                ("tools", self.sampling_tools),
                ("context", self.sampling_context),
            ];
            wire.insert("sampling".into(), flags(&what));
        }
        if self.elicitation {
            let modes = [
                ("form", self.elicitation_form),
                ("url", self.elicitation_url),
            ];
            wire.insert("elicitation".into(), flags(&modes));
        }
        if self.tasks {
            let extensions = flags(&[(super::tasks::EXTENSION, true)]);
            wire.insert("extensions".into(), extensions);
        }
        wire.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ClientCapabilities {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            roots: Option<Value>,
            sampling: Option<Value>,
            elicitation: Option<Value>,
            extensions: Option<Value>,
        }
        let w = Wire::deserialize(d)?;
        let modes = w.elicitation.as_ref().and_then(Value::as_object);
        let has = |mode: &str| modes.is_some_and(|m| m.contains_key(mode));
        let sampling = w.sampling.as_ref().and_then(Value::as_object);
        let can = |what: &str| sampling.is_some_and(|m| m.contains_key(what));
        let no_mode = modes.is_none_or(|m| !m.contains_key("form") && !m.contains_key("url"));
        Ok(Self {
            roots: w.roots.is_some(),
            sampling: w.sampling.is_some(),
            sampling_tools: can("tools"),
            sampling_context: can("context"),
            elicitation: w.elicitation.is_some(),
            elicitation_form: w.elicitation.is_some() && (no_mode || has("form")),
            elicitation_url: has("url"),
            tasks: w
                .extensions
                .as_ref()
                .and_then(Value::as_object)
                .is_some_and(|e| e.contains_key(super::tasks::EXTENSION)),
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
