//! `#[custom_route("/path", methods = [..])]` on an async fn (an axum handler). Parse
//! (`attr`), validate (here), expand (`expand`).

mod attr;
mod expand;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use self::attr::RouteAttr;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::tool::ast::ItemFn;
use crate::tool::valid;

/// Expands `#[custom_route(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let attr = RouteAttr::parse(&cx, args);
    let Ok(item) = syn::parse2::<ItemFn>(input.clone()) else {
        let message = "#[custom_route] applies to an async fn, an axum handler: `async fn health() -> &'static str { .. }`";
        return fallback::unparsed(input, syn::Error::new(Span::call_site(), message));
    };
    check(&cx, &item);
    match cx.check() {
        Ok(()) => expand::route(&item, &attr),
        Err(error) => fallback::custom_route(&item, attr.krate.as_ref(), error),
    }
}

/// The handler must be a free, async, non-generic, safe function.
fn check(cx: &Ctxt, item: &ItemFn) {
    let sig = &item.sig;
    valid::signature(cx, sig, "#[custom_route]");
    if sig.asyncness.is_none() {
        let fn_token = &sig.fn_token;
        let ident = &sig.ident;
        cx.error_spanned_by(
            quote!(#fn_token #ident),
            "a #[custom_route] function must be async, as axum handlers are: write `async fn`",
        );
    }
    if let Some(receiver) = sig.receiver() {
        cx.error_spanned_by(
            receiver,
            "a #[custom_route] function is a free function and cannot take `self`: remove it",
        );
    }
}
