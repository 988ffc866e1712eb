//! The code `#[custom_route]` emits: the unit struct, the handler as `NAME::call`, and a
//! `CustomRoute` impl serving it with `axum::routing::on`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::attr::RouteAttr;
use crate::tool::ast::ItemFn;
use crate::tool::expand::{private, unit_struct};

pub(crate) fn route(item: &ItemFn, attr: &RouteAttr) -> TokenStream {
    let ident = &item.sig.ident;
    let (_, cfgs, _) = item.split_attrs();
    let unit_struct = unit_struct(item);
    let private = private(attr.krate.as_ref());
    let path = &attr.path;
    let mut methods = attr
        .methods
        .iter()
        .map(|m| quote!(__qm::axum::routing::MethodFilter::#m));
    let first = methods
        .next()
        .unwrap_or_else(|| quote!(__qm::axum::routing::MethodFilter::GET));
    let filter = quote!(#first #(.or(#methods))*);
    // Spanned at the function, so "not a handler" errors point at it.
    let on = quote_spanned!(ident.span()=> __qm::axum::routing::on(#filter, #ident::call));
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            impl __qm::CustomRoute for #ident {
                fn into_route(self) -> __qm::Route {
                    __qm::Route::new(#path, #on)
                }
            }
        };
    }
}
