//! The typed model of a `#[prompt]` function.

use proc_macro2::TokenStream;
use syn::Type;

use super::attr::PromptAttr;
use crate::ctxt::Ctxt;
use crate::tool::ast::{FnParts, ItemFn, Param};

/// One `#[prompt]` function, ready to validate and expand.
pub(crate) struct Prompt {
    /// The function, with `#[arg]` attributes removed.
    pub(crate) item: ItemFn,
    pub(crate) attr: PromptAttr,
    /// `name = ..`, else the function's name.
    pub(crate) name: String,
    /// `description = ..`, else the doc comment.
    pub(crate) description: Option<TokenStream>,
    pub(crate) params: Vec<Param>,
    /// The declared return type (`()` when there is none).
    pub(crate) output: Type,
}

impl Prompt {
    /// Builds the model, reporting `#[arg]` errors to `cx`.
    pub(crate) fn new(cx: &Ctxt, mut item: ItemFn, attr: PromptAttr) -> Self {
        let FnParts {
            params,
            name,
            description,
            output,
        } = FnParts::new(cx, &mut item, attr.name.as_ref(), attr.description.as_ref());
        Self {
            item,
            attr,
            name,
            description,
            params,
            output,
        }
    }
}
