//! `resources/list`, `resources/templates/list`, `resources/read` and subscription shapes.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::content::{Annotations, ResourceContents};
use super::Icon;
use crate::protocol::v2026::{CacheHint, CacheScope};

/// A concrete resource, as `resources/list` shows it.
///
/// ```
/// use quickmcp_core::protocol::resources::ResourceDefinition;
///
/// let def = ResourceDefinition::new("file:///readme", "readme").mime_type("text/markdown");
/// assert_eq!(
///     serde_json::to_string(&def).unwrap(),
///     r#"{"uri":"file:///readme","name":"readme","mimeType":"text/markdown"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDefinition {
    /// The resource's URI (unique among resources).
    pub uri: String,
    /// Programmatic name.
    pub name: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it is, for the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its MIME type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Size in bytes, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Icons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub icons: Vec<Icon>,
    /// Audience and priority hints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Server-side labels for tag filters and per-session visibility. Never sent to clients.
    #[serde(skip)]
    pub tags: Vec<String>,
    /// Caching hints for `resources/read` on the 2026-07-28 wire, over the server's
    /// ([`McpServer::set_cache_hints`](crate::McpServer::set_cache_hints)).
    #[serde(skip)]
    pub cache: CacheHint,
    /// How long a `resources/read` may run before the engine stops it; `None` leaves it to the
    /// server's default (`McpServer::call_timeout`). Set with [`timeout`](Self::timeout).
    /// Never sent to clients.
    #[serde(skip)]
    pub timeout: Option<Duration>,
    /// The OAuth scopes a caller's token must grant for this operation (issue 12's auth layer
    /// enforces them). Set with [`scopes`](Self::scopes). Never sent to clients.
    #[serde(skip)]
    pub scopes: Vec<String>,
}

/// A family of resources described by an RFC 6570 URI template, as
/// `resources/templates/list` shows it.
///
/// ```
/// use quickmcp_core::protocol::resources::ResourceTemplateDefinition;
///
/// let def = ResourceTemplateDefinition::new("users://{id}/profile", "profile");
/// assert_eq!(
///     serde_json::to_string(&def).unwrap(),
///     r#"{"uriTemplate":"users://{id}/profile","name":"profile"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceTemplateDefinition {
    /// The URI template (RFC 6570 level 1: `{name}` placeholders).
    pub uri_template: String,
    /// Programmatic name.
    pub name: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it is, for the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The MIME type of every resource it describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Icons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub icons: Vec<Icon>,
    /// Audience and priority hints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// Server-side labels for tag filters and per-session visibility. Never sent to clients.
    #[serde(skip)]
    pub tags: Vec<String>,
    /// Caching hints for `resources/read` on the 2026-07-28 wire, over the server's
    /// ([`McpServer::set_cache_hints`](crate::McpServer::set_cache_hints)).
    #[serde(skip)]
    pub cache: CacheHint,
    /// How long a `resources/read` may run before the engine stops it; `None` leaves it to the
    /// server's default (`McpServer::call_timeout`). Set with [`timeout`](Self::timeout).
    /// Never sent to clients.
    #[serde(skip)]
    pub timeout: Option<Duration>,
    /// The OAuth scopes a caller's token must grant for this operation (issue 12's auth layer
    /// enforces them). Set with [`scopes`](Self::scopes). Never sent to clients.
    #[serde(skip)]
    pub scopes: Vec<String>,
}

macro_rules! metadata_builders {
    ($ty:ident) => {
        impl $ty {
            /// Sets the display name.
            #[must_use]
            pub fn title(mut self, title: impl Into<String>) -> Self {
                self.title = Some(title.into());
                self
            }

            /// Sets the description; an empty one removes it (the key is optional).
            #[must_use]
            pub fn description(mut self, description: impl Into<String>) -> Self {
                let description: String = description.into();
                self.description = (!description.is_empty()).then_some(description);
                self
            }

            /// Sets the MIME type.
            #[must_use]
            pub fn mime_type(mut self, mime_type: impl Into<String>) -> Self {
                self.mime_type = Some(mime_type.into());
                self
            }

            /// Adds an icon.
            #[must_use]
            pub fn icon(mut self, icon: Icon) -> Self {
                self.icons.push(icon);
                self
            }

            /// Adds a tag: server-side metadata that tag filters and per-session
            /// visibility match on (not listed to clients).
            ///
            /// ```
            #[doc = concat!("use quickmcp_core::protocol::resources::", stringify!($ty), ";")]
            ///
            #[doc = concat!("let def = ", stringify!($ty), "::new(\"notes://{x}\", \"notes\").tag(\"admin\");")]
            /// assert_eq!(def.tags, ["admin"]);
            /// assert!(!serde_json::to_string(&def).unwrap().contains("admin"));
            /// ```
            #[must_use]
            pub fn tag(mut self, tag: impl Into<String>) -> Self {
                self.tags.push(tag.into());
                self
            }

            /// Sets how long (ms) 2026-07-28 clients may cache a `resources/read` of it
            /// (`ttlMs`), instead of the server's default.
            ///
            /// ```
            /// use quickmcp_core::CacheScope;
            #[doc = concat!("use quickmcp_core::protocol::resources::", stringify!($ty), ";")]
            ///
            #[doc = concat!("let def = ", stringify!($ty), "::new(\"notes://{x}\", \"notes\")")]
            ///     .cache_ttl(60_000)
            ///     .cache_scope(CacheScope::Private);
            /// assert_eq!(def.cache.ttl_ms, Some(60_000));
            /// ```
            #[must_use]
            pub fn cache_ttl(mut self, ttl_ms: u64) -> Self {
                self.cache.ttl_ms = Some(ttl_ms);
                self
            }

            /// Sets who may reuse a cached `resources/read` of it (`cacheScope`), instead of
            /// the server's default.
            #[must_use]
            pub fn cache_scope(mut self, scope: CacheScope) -> Self {
                self.cache.scope = Some(scope);
                self
            }

            /// Sets the audience and priority hints.
            #[must_use]
            pub fn annotations(mut self, annotations: Annotations) -> Self {
                self.annotations = Some(annotations);
                self
            }
        }
    };
}
metadata_builders!(ResourceDefinition);
metadata_builders!(ResourceTemplateDefinition);

impl ResourceDefinition {
    /// A resource at `uri` called `name`.
    pub fn new(uri: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            name: name.into(),
            title: None,
            description: None,
            mime_type: None,
            size: None,
            icons: Vec::new(),
            annotations: None,
            tags: Vec::new(),
            cache: CacheHint::default(),
            timeout: None,
            scopes: Vec::new(),
        }
    }

    /// Sets the size in bytes.
    #[must_use]
    pub fn size(mut self, size: u64) -> Self {
        self.size = Some(size);
        self
    }
}

impl ResourceTemplateDefinition {
    /// A template `uri_template` called `name`.
    pub fn new(uri_template: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            uri_template: uri_template.into(),
            name: name.into(),
            title: None,
            description: None,
            mime_type: None,
            icons: Vec::new(),
            annotations: None,
            tags: Vec::new(),
            cache: CacheHint::default(),
            timeout: None,
            scopes: Vec::new(),
        }
    }
}

/// The result of `resources/read`: one or more contents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadResourceResult {
    /// The contents (never empty).
    pub contents: Vec<ResourceContents>,
}

/// `params` of `resources/read`, `resources/subscribe` and `resources/unsubscribe`.
#[derive(Debug, Deserialize)]
pub struct UriParams {
    /// The resource's URI.
    pub uri: String,
}
