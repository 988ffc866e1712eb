//! `#[tool]` on a free function: parse (`ast`, `attr`), validate (`valid`), expand (`expand`).

pub(crate) mod ast;
pub(crate) mod attr;
pub(crate) mod expand;
pub(crate) mod valid;

use proc_macro2::{Span, TokenStream};

use self::ast::{ItemFn, Tool};
use self::attr::ToolAttr;
use self::valid::Site;
use crate::ctxt::Ctxt;
use crate::fallback;

/// Expands `#[tool(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let attr = ToolAttr::parse(&cx, args);
    let Ok(item) = syn::parse2::<ItemFn>(input.clone()) else {
        let message = "#[tool] applies to a function (`fn name(..) -> T { .. }`), or to methods inside a #[tools] impl block";
        return fallback::unparsed(input, syn::Error::new(Span::call_site(), message));
    };
    let tool = Tool::new(&cx, item, attr);
    valid::tool(&cx, &tool, Site::Free);
    match cx.check() {
        Ok(()) => expand::free(&tool),
        Err(error) => fallback::tool(&tool, error),
    }
}
