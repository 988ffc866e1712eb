//! The attribute macros of [quickmcp](https://docs.rs/quickmcp): [`macro@tool`],
//! [`macro@tools`], [`macro@resource`], [`macro@prompt`] and [`macro@custom_route`]. Use them
//! through the facade (`use quickmcp::prelude::*;`), not from this crate.
//!
//! Each macro parses the item into typed structs, checks every rule (reporting all misuses at
//! once, each at the tokens you wrote and saying what to write instead), then emits code
//! that refers only to `::quickmcp::__private`, or to `<path>::__private` with
//! `crate = path` when you re-export quickmcp under another name.

mod complete;
mod ctxt;
mod custom_route;
mod fallback;
mod policy;
mod prompt;
mod resource;
mod tool;
mod tools;

use proc_macro::TokenStream;

#[doc = include_str!("docs/tool.md")]
#[proc_macro_attribute]
pub fn tool(args: TokenStream, item: TokenStream) -> TokenStream {
    tool::expand(args.into(), item.into()).into()
}

#[doc = include_str!("docs/tools.md")]
#[proc_macro_attribute]
pub fn tools(args: TokenStream, item: TokenStream) -> TokenStream {
    tools::expand(args.into(), item.into()).into()
}

#[doc = include_str!("docs/resource.md")]
#[proc_macro_attribute]
pub fn resource(args: TokenStream, item: TokenStream) -> TokenStream {
    resource::expand(args.into(), item.into()).into()
}

#[doc = include_str!("docs/prompt.md")]
#[proc_macro_attribute]
pub fn prompt(args: TokenStream, item: TokenStream) -> TokenStream {
    prompt::expand(args.into(), item.into()).into()
}

#[doc = include_str!("docs/custom_route.md")]
#[proc_macro_attribute]
pub fn custom_route(args: TokenStream, item: TokenStream) -> TokenStream {
    custom_route::expand(args.into(), item.into()).into()
}
