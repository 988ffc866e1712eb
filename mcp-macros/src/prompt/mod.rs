//! `#[prompt]` on a function: its non-injected parameters become the prompt's arguments.
//! Parse (`attr`, `ast`), validate (`valid`), expand (`expand`).

pub(crate) mod ast;
pub(crate) mod attr;
mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};

use self::ast::Prompt;
use self::attr::PromptAttr;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::tool::ast::ItemFn;

/// Expands `#[prompt(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let attr = PromptAttr::parse(&cx, args);
    let Ok(item) = syn::parse2::<ItemFn>(input.clone()) else {
        let message = "#[prompt] applies to a function: `fn name(..) -> String { .. }`";
        return fallback::unparsed(input, syn::Error::new(Span::call_site(), message));
    };
    let prompt = Prompt::new(&cx, item, attr);
    valid::prompt(&cx, &prompt);
    match cx.check() {
        Ok(()) => expand::prompt(&prompt),
        Err(error) => expand::fallback(&prompt, error),
    }
}
