//! Tool parameters: arguments from the client, or values injected from the call's context.
//!
//! Like axum's extractors, every parameter type implements [`ToolParam`] through one of three
//! blanket routes, told apart by a marker type the compiler infers:
//! - an **argument** (`T: Deserialize + JsonSchema`) becomes a property of the input schema;
//! - an **injected** value (`T: FromCallContext`: [`Context`], [`State`], [`Extension`],
//!   `http::HeaderMap`, your own types) never appears in the schema;
//! - [`Args<T>`] takes the whole arguments object as one struct.

mod args;
pub mod completion;
mod context;
mod header;
mod input_schema;
mod principal;
pub mod prompt;
pub mod resource;
mod state;

use std::fmt;

use crate::error::McpError;
use crate::handler::CallContext;
pub use header::HeaderArgument;
pub use input_schema::InputSchema;

pub use args::{Args, Arguments};
pub use context::Context;
pub use state::{Extension, State};

/// Marker types that keep the three blanket [`ToolParam`] routes apart.
pub mod marker {
    /// The parameter is one argument of the input schema.
    #[derive(Debug)]
    pub enum Argument {}
    /// The parameter is injected from the call's context.
    #[derive(Debug)]
    pub enum Injected {}
    /// The parameter is the whole arguments object.
    #[derive(Debug)]
    pub enum WholeArguments {}
}

/// A value a tool can ask for by naming its type, never shown to the client.
///
/// ```
/// use quickmcp_core::{FromCallContext, McpError, CallContext};
///
/// /// The caller's tenant, taken from a header the gateway sets.
/// struct Tenant(String);
///
/// impl FromCallContext for Tenant {
///     type Rejection = McpError;
///     fn from_call_context(cx: &CallContext<'_>) -> Result<Self, McpError> {
///         cx.headers()
///             .and_then(|h| h.get("x-tenant")?.to_str().ok())
///             .map(|t| Tenant(t.to_owned()))
///             .ok_or_else(|| McpError::invalid_request("missing x-tenant header"))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be injected into a tool",
    note = "injected parameters implement `FromCallContext`: Context, State<T>, Extension<T>, http::HeaderMap, or your own type"
)]
pub trait FromCallContext: Sized {
    /// Why extraction failed; becomes a JSON-RPC error.
    type Rejection: Into<McpError>;

    /// Takes the value from the call's context.
    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, Self::Rejection>;
}

/// Why a parameter could not be produced.
#[derive(Debug)]
pub enum ExtractError {
    /// The client sent bad arguments: the tool answers `isError: true` with this text.
    Argument(String),
    /// The context rejected the call: a JSON-RPC error.
    Rejected(McpError),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Argument(text) => f.write_str(text),
            Self::Rejected(error) => error.fmt(f),
        }
    }
}

/// What a parameter contributes to the input schema.
pub struct ParamDecl<'a> {
    /// The parameter's name in the Rust signature (and the property's name). Empty for a
    /// parameter bound by a pattern, which `#[tool]` only allows for [`PatternParam`] types.
    pub name: &'static str,
    /// From `#[arg(description = "...")]`.
    pub description: Option<&'static str>,
    pub(crate) schema: &'a mut InputSchema,
}

/// Everything a parameter can be extracted from.
pub struct ExtractCx<'a, 'b> {
    /// The request being served.
    pub request: &'a CallContext<'a>,
    /// The arguments object.
    pub args: &'a mut Arguments<'b>,
}

/// A type that can be a parameter of a `#[tool]` function.
///
/// You do not implement this: implement `Deserialize + JsonSchema` for an argument, or
/// [`FromCallContext`] for an injected value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a #[tool] function",
    label = "not an argument nor an injected value",
    note = "an argument (and the `T` of `Args<T>`) must implement `serde::Deserialize` and `schemars::JsonSchema` (derive both)",
    note = "an injected parameter implements `quickmcp::FromCallContext` (Context, State<T>, Extension<T>, HeaderMap)"
)]
pub trait ToolParam<M>: Sized {
    /// Adds this parameter to the input schema (or not).
    fn declare(decl: &mut ParamDecl<'_>);

    /// Produces the value for one call.
    fn extract(cx: &mut ExtractCx<'_, '_>, name: &'static str) -> Result<Self, ExtractError>;
}

impl<T: FromCallContext> ToolParam<marker::Injected> for T {
    fn declare(_: &mut ParamDecl<'_>) {}

    fn extract(cx: &mut ExtractCx<'_, '_>, _: &'static str) -> Result<Self, ExtractError> {
        T::from_call_context(cx.request).map_err(|r| ExtractError::Rejected(r.into()))
    }
}

/// A parameter type that may be bound by a pattern (`State(db): State<Db>`,
/// `Args(search): Args<Search>`): an injected value or the whole arguments. An argument may
/// not, since its name is its property's name.
#[diagnostic::on_unimplemented(
    message = "a #[tool] argument needs a name: `{Self}` cannot be bound by a pattern",
    label = "write `name: {Self}` and destructure it in the body",
    note = "an argument's name is its property in the input schema",
    note = "only injected values (`State(db): State<Db>`) and `Args(x): Args<T>` can be destructured in the signature"
)]
pub trait PatternParam<M> {}

#[diagnostic::do_not_recommend]
impl<T: FromCallContext> PatternParam<marker::Injected> for T {}

/// How generated code declares and extracts a parameter of type `T`. The `#[tool]` macro
/// builds one per parameter in a `const`, so a type that cannot be a parameter is reported
/// once, at that parameter.
pub struct Param<T> {
    declare: fn(&mut ParamDecl<'_>),
    extract: fn(&mut ExtractCx<'_, '_>, &'static str) -> Result<T, ExtractError>,
    /// `#[arg(header = "...")]`: the `x-mcp-header` of the argument's property.
    header: Option<&'static str>,
}

impl<T> Param<T> {
    /// A parameter bound by a name (`city: String`).
    pub const fn named<M>() -> Self
    where
        T: ToolParam<M>,
    {
        Self {
            declare: T::declare,
            extract: T::extract,
            header: None,
        }
    }

    /// An argument mirrored into the `Mcp-Param-{header}` HTTP header (`x-mcp-header`), which
    /// only a string, integer or boolean argument can be.
    pub const fn header<M>(header: &'static str) -> Self
    where
        T: ToolParam<M> + HeaderArgument,
    {
        Self {
            header: Some(header),
            ..Self::named::<M>()
        }
    }

    /// A parameter bound by a pattern: an injected value or [`Args`].
    pub const fn unnamed<M>() -> Self
    where
        T: PatternParam<M> + ToolParam<M>,
    {
        Self::named::<M>()
    }

    /// Adds the parameter to the input schema (or not, for an injected value).
    pub fn declare(
        &self,
        schema: &mut InputSchema,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        (self.declare)(&mut ParamDecl {
            name,
            description,
            schema,
        });
        if let Some(header) = self.header {
            schema.set_header(name, header);
        }
    }

    /// Produces the value for one call.
    pub fn extract(
        &self,
        cx: &mut ExtractCx<'_, '_>,
        name: &'static str,
    ) -> Result<T, ExtractError> {
        (self.extract)(cx, name)
    }
}

/// Extracts parameter `name` of type `T` (generated code goes through [`Param`] instead).
pub fn extract<T: ToolParam<M>, M>(
    cx: &mut ExtractCx<'_, '_>,
    name: &'static str,
) -> Result<T, ExtractError> {
    T::extract(cx, name)
}
