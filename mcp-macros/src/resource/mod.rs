//! `#[resource("uri")]` on a function: a static resource, or a resource template when the URI
//! has `{placeholders}`. Parse (`attr`, `ast`), validate (`valid`), expand (`expand`).

pub(crate) mod ast;
pub(crate) mod attr;
pub(crate) mod expand;
mod valid;

use proc_macro2::{Span, TokenStream};

use self::ast::Resource;
use self::attr::ResourceAttr;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::tool::ast::ItemFn;

/// Expands `#[resource(args)] input`.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let attr = ResourceAttr::parse(&cx, args);
    let Ok(item) = syn::parse2::<ItemFn>(input.clone()) else {
        let message = "#[resource] applies to a function: `fn name(..) -> T { .. }`";
        return fallback::unparsed(input, syn::Error::new(Span::call_site(), message));
    };
    let resource = Resource::new(&cx, item, attr);
    valid::resource(&cx, &resource);
    match cx.check() {
        Ok(()) => expand::resource(&resource),
        Err(error) => expand::fallback(&resource, error),
    }
}
