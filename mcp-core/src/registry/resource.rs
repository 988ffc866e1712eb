//! Resources and resource templates: the [`ResourceHandler`] and [`ResourceTemplateHandler`]
//! traits `#[resource]` implements, and their registry entries.

use std::sync::Arc;

use super::uri_template::{UriTemplate, UriVars};
use super::{Entry, RegisterError, Registry, Reply};
use crate::handler::CallContext;
use crate::protocol::completion::CompletionContext;
use crate::protocol::resources::{
    ReadResourceResult, ResourceDefinition, ResourceTemplateDefinition,
};

/// A resource at one fixed URI.
///
/// `#[resource("scheme://path")]` implements this for you; implement it by hand for resources
/// discovered at runtime.
///
/// ```
/// use quickmcp_core::protocol::resources::{ReadResourceResult, ResourceDefinition};
/// use quickmcp_core::{CallContext, Reply, ResourceContents, ResourceHandler};
///
/// struct Motd;
///
/// impl ResourceHandler for Motd {
///     fn definition(&self) -> ResourceDefinition {
///         ResourceDefinition::new("motd://today", "motd").mime_type("text/plain")
///     }
///     fn read(&self, uri: &str, _cx: &CallContext<'_>) -> Reply<ReadResourceResult> {
///         Reply::ready(Ok(ReadResourceResult {
///             contents: vec![ResourceContents::Text {
///                 uri: uri.into(),
///                 mime_type: Some("text/plain".into()),
///                 text: "Be kind.".into(),
///             }],
///         }))
///     }
/// }
/// ```
pub trait ResourceHandler: Send + Sync + 'static {
    /// URI, name, description, MIME type... Called once, at registration.
    fn definition(&self) -> ResourceDefinition;

    /// Reads the resource.
    fn read(&self, uri: &str, cx: &CallContext<'_>) -> Reply<ReadResourceResult>;
}

/// A family of resources under an RFC 6570 level 1 URI template.
///
/// ```
/// use quickmcp_core::protocol::completion::CompletionContext;
/// use quickmcp_core::protocol::resources::{ReadResourceResult, ResourceTemplateDefinition};
/// use quickmcp_core::UriVars;
/// use quickmcp_core::{CallContext, Reply, ResourceContents, ResourceTemplateHandler};
///
/// struct Greeting;
///
/// impl ResourceTemplateHandler for Greeting {
///     fn definition(&self) -> ResourceTemplateDefinition {
///         ResourceTemplateDefinition::new("greeting://{name}", "greeting")
///     }
///     fn read(&self, uri: &str, vars: &UriVars, _cx: &CallContext<'_>) -> Reply<ReadResourceResult> {
///         let text = format!("Hello, {}!", vars.get("name").unwrap_or("you"));
///         let contents = vec![ResourceContents::Text { uri: uri.into(), mime_type: None, text }];
///         Reply::ready(Ok(ReadResourceResult { contents }))
///     }
///     fn complete(&self, placeholder: &str, value: &str, _: &CompletionContext) -> Option<Vec<String>> {
///         (placeholder == "name").then(|| {
///             ["ada", "alan"].iter().filter(|n| n.starts_with(value)).map(|n| n.to_string()).collect()
///         })
///     }
///     fn has_completions(&self) -> bool {
///         true
///     }
/// }
/// ```
pub trait ResourceTemplateHandler: Send + Sync + 'static {
    /// URI template, name, description... Called once, at registration.
    fn definition(&self) -> ResourceTemplateDefinition;

    /// Reads the resource at `uri`, whose placeholder values are `vars`.
    fn read(&self, uri: &str, vars: &UriVars, cx: &CallContext<'_>) -> Reply<ReadResourceResult>;

    /// Suggestions for `placeholder` starting from `value`; `None` when it has no completer.
    fn complete(
        &self,
        placeholder: &str,
        value: &str,
        context: &CompletionContext,
    ) -> Option<Vec<String>> {
        let _ = (placeholder, value, context);
        None
    }

    /// Whether [`complete`](Self::complete) can answer for some placeholder (this turns on the
    /// `completions` capability).
    fn has_completions(&self) -> bool {
        false
    }
}

#[derive(Clone)]
pub(crate) struct RegisteredResource {
    pub(crate) handler: Arc<dyn ResourceHandler>,
    pub(crate) definition: ResourceDefinition,
}

impl Entry for RegisteredResource {
    const LIST_KEY: &'static str = "resources";
    const KIND: crate::protocol::ListKind = crate::protocol::ListKind::Resources;
    type Definition = ResourceDefinition;

    fn key(&self) -> &str {
        &self.definition.uri
    }

    fn definition(&self) -> &ResourceDefinition {
        &self.definition
    }

    fn tags(&self) -> &[String] {
        &self.definition.tags
    }

    fn scopes(&self) -> &[String] {
        &self.definition.scopes
    }

    fn duplicate(key: &str) -> RegisterError {
        RegisterError::DuplicateResource(key.into())
    }
}

#[derive(Clone)]
pub(crate) struct RegisteredTemplate {
    pub(crate) handler: Arc<dyn ResourceTemplateHandler>,
    pub(crate) definition: ResourceTemplateDefinition,
    pub(crate) template: Arc<UriTemplate>,
}

impl Entry for RegisteredTemplate {
    const LIST_KEY: &'static str = "resourceTemplates";
    const KIND: crate::protocol::ListKind = crate::protocol::ListKind::Resources;
    type Definition = ResourceTemplateDefinition;

    fn key(&self) -> &str {
        &self.definition.uri_template
    }

    fn definition(&self) -> &ResourceTemplateDefinition {
        &self.definition
    }

    fn tags(&self) -> &[String] {
        &self.definition.tags
    }

    fn scopes(&self) -> &[String] {
        &self.definition.scopes
    }

    fn duplicate(key: &str) -> RegisterError {
        RegisterError::DuplicateTemplate(key.into())
    }
}

impl Registry<RegisteredResource> {
    pub(crate) fn add(&self, handler: Arc<dyn ResourceHandler>) -> Result<(), RegisterError> {
        let definition = handler.definition();
        self.insert(RegisteredResource {
            handler,
            definition,
        })
    }
}

impl Registry<RegisteredTemplate> {
    pub(crate) fn add(
        &self,
        handler: Arc<dyn ResourceTemplateHandler>,
    ) -> Result<(), RegisterError> {
        let definition = handler.definition();
        let template = UriTemplate::parse(&definition.uri_template)
            .map_err(|e| RegisterError::InvalidTemplate(definition.uri_template.clone(), e))?;
        self.insert(RegisteredTemplate {
            handler,
            definition,
            template: Arc::new(template),
        })
    }
}
