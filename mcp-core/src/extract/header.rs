//! [`HeaderArgument`]: the argument types `#[arg(header = "...")]` can mirror into an
//! `Mcp-Param-*` header.

use std::borrow::Cow;

/// A type whose JSON value can be mirrored into an `Mcp-Param-*` header: the spec allows
/// `x-mcp-header` on string, integer and boolean properties only (not floats, objects or
/// arrays). `#[arg(header = "...")]` requires it; implement it for your own type whose schema
/// is a string, such as a unit-variant enum.
///
/// ```
/// use quickmcp_core::HeaderArgument;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// #[serde(rename_all = "kebab-case")]
/// enum Region { UsWest1, EuCentral1 }
///
/// impl HeaderArgument for Region {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be mirrored into an `Mcp-Param-*` header",
    label = "not a string, integer or boolean argument",
    note = "`#[arg(header = \"...\")]` (x-mcp-header) takes String, bool, an integer type or an Option of one; \
            for your own string-like type, `impl quickmcp::HeaderArgument for T {{}}`",
    note = "to mirror a field of an `Args<T>` struct, put `#[schemars(extend(\"x-mcp-header\" = \"Name\"))]` on the field"
)]
pub trait HeaderArgument {}

macro_rules! header_arguments {
    ($($ty:ty),*) => { $(impl HeaderArgument for $ty {})* };
}

header_arguments!(
    String,
    Box<str>,
    std::sync::Arc<str>,
    Cow<'static, str>,
    char,
    bool,
    i8,
    i16,
    i32,
    i64,
    isize,
    u8,
    u16,
    u32,
    u64,
    usize
);

impl<T: HeaderArgument> HeaderArgument for Option<T> {}
