//! `#[tools]` on an inherent impl block: every `#[tool]` method becomes a tool sharing the
//! instance. Parse (`ast`), validate (`valid`), expand (`expand`).

mod ast;
mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};
use syn::ItemImpl;

use self::ast::{ToolBlock, ToolsAttr};
use crate::ctxt::Ctxt;
use crate::fallback;

/// Expands `#[tools(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let attr = ToolsAttr::parse(&cx, args);
    let Ok(item) = syn::parse2::<ItemImpl>(input.clone()) else {
        let message = "#[tools] applies to an impl block: write `#[tools] impl MyType { .. }` with #[tool] on its methods";
        return fallback::unparsed(input, syn::Error::new(Span::call_site(), message));
    };
    let block = ToolBlock::new(&cx, item);
    valid::block(&cx, &block);
    match cx.check() {
        Ok(()) => expand::block(&block, attr.krate.as_ref()),
        Err(error) => fallback::tools(&block.item, attr.krate.as_ref(), error),
    }
}
