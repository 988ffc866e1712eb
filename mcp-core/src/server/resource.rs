//! [`Resource`]: what `add_resource` accepts, a static resource or a template.

use std::sync::Arc;

use super::McpServer;
use crate::registry::resource::{ResourceHandler, ResourceTemplateHandler};
use crate::registry::RegisterError;

/// The marker of a [`ResourceHandler`] in [`Resource`].
#[derive(Debug)]
pub enum StaticResource {}
/// The marker of a [`ResourceTemplateHandler`] in [`Resource`].
#[derive(Debug)]
pub enum TemplateResource {}

/// Something `Server::resource` accepts: a static resource or a resource template (what
/// `#[resource]` generates, or your own handler).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource",
    note = "put #[resource(\"scheme://path\")] on a function, or implement `ResourceHandler` or `ResourceTemplateHandler`"
)]
pub trait Resource<M>: Send + Sync + 'static {
    /// Registers it with `server`.
    fn register(self, server: &McpServer) -> Result<(), RegisterError>;
}

impl<T: ResourceHandler> Resource<StaticResource> for T {
    fn register(self, server: &McpServer) -> Result<(), RegisterError> {
        server.add_resource(Arc::new(self))
    }
}

impl<T: ResourceTemplateHandler> Resource<TemplateResource> for T {
    fn register(self, server: &McpServer) -> Result<(), RegisterError> {
        server.add_resource_template(Arc::new(self))
    }
}
