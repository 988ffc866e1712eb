//! The typed model of a `#[prompt]` function.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{FnArg, LitStr, ReturnType, Type};

use super::attr::PromptAttr;
use crate::ctxt::Ctxt;
use crate::tool::ast::{doc_description, ItemFn, Param};

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
        let arg_attrs = item.take_arg_attrs();
        let params = item
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(pat_type) => Some(pat_type),
                FnArg::Receiver(_) => None,
            })
            .zip(arg_attrs)
            .map(|(pat_type, attrs)| Param::new(cx, pat_type, &attrs))
            .collect();
        let name = attr
            .name
            .as_ref()
            .map_or_else(|| item.sig.ident.unraw().to_string(), LitStr::value);
        let description = match &attr.description {
            Some(text) => (!text.value().trim().is_empty()).then(|| text.to_token_stream()),
            None => doc_description(&item.attrs),
        };
        let output = match &item.sig.output {
            // Where `-> T` would go, for rustc's "cannot return `()`".
            ReturnType::Default => {
                syn::parse_quote_spanned!(item.sig.paren_token.span.close()=> ())
            }
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
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
