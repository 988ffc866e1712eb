//! Parameters of a `#[resource]` function that are not URI placeholders: injected values.

use super::FromCallContext;
use crate::error::McpError;
use crate::handler::CallContext;

/// A parameter of a `#[resource]` function that is not a URI placeholder: it must be injected.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of this #[resource] function",
    label = "no URI placeholder has this parameter's name, and it cannot be injected",
    note = "a URI placeholder `{{name}}` becomes the parameter called `name` (any `FromStr` type)",
    note = "any other parameter is injected: Context, State<T>, Extension<T>, HeaderMap, or a type implementing `quickmcp::FromCallContext`"
)]
pub trait ResourceParam: Sized {
    /// Produces the value for one read.
    fn inject(cx: &CallContext<'_>) -> Result<Self, McpError>;
}

impl<T: FromCallContext> ResourceParam for T {
    fn inject(cx: &CallContext<'_>) -> Result<Self, McpError> {
        T::from_call_context(cx).map_err(Into::into)
    }
}

/// An injected parameter of a resource function (every parameter that is not a placeholder);
/// generated code calls this.
pub fn inject<T: ResourceParam>(cx: &CallContext<'_>) -> Result<T, McpError> {
    T::inject(cx)
}
