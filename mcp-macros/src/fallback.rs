//! What a macro emits when the user's code breaks a rule: the errors, plus items shaped like a
//! successful expansion (thiserror's `fallback.rs`), so that code using them (`.tool(hello)`,
//! `hello::call(..)`) does not fail too and only our errors show. Bodies stay as written, so
//! their own errors are still reported.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, FnArg, ItemImpl, Path};

use crate::tool::ast::{ItemFn, Tool};
use crate::tool::expand::{private, unit_struct};
use crate::tool::valid;

/// Input we could not parse: as written, plus the error.
pub(crate) fn unparsed(input: TokenStream, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    quote!(#input #error)
}

/// A free `#[tool]` function: the unit struct, its `call`, and a `ToolHandler` that is never run.
pub(crate) fn tool(tool: &Tool, error: syn::Error) -> TokenStream {
    let ident = &tool.item.sig.ident;
    let handler = quote! {
        impl __qm::ToolHandler for #ident {
            fn definition(&self) -> __qm::ToolDefinition {
                ::core::unreachable!()
            }
            fn call(&self, _: __qm::Arguments<'_>, _: &__qm::CallContext<'_>) -> __qm::ToolFuture {
                ::core::unreachable!()
            }
        }
    };
    shell(&tool.item, tool.attr.krate.as_ref(), handler, error)
}

/// A `#[custom_route]` function: the unit struct, its `call`, and a `CustomRoute` never run.
pub(crate) fn custom_route(item: &ItemFn, krate: Option<&Path>, error: syn::Error) -> TokenStream {
    let ident = &item.sig.ident;
    let route = quote! {
        impl __qm::CustomRoute for #ident {
            fn into_route(self) -> __qm::Route {
                ::core::unreachable!()
            }
        }
    };
    shell(item, krate, route, error)
}

/// A `#[tools]` impl block: as written (our attributes removed), plus a `ToolBox` impl that is
/// never run when the block is an inherent, non-generic one.
pub(crate) fn tools(item: &ItemImpl, krate: Option<&Path>, error: syn::Error) -> TokenStream {
    let error = error.into_compile_error();
    if item.trait_.is_some() || !item.generics.params.is_empty() {
        return quote!(#item #error);
    }
    let self_ty = &item.self_ty;
    let private = private(krate);
    quote! {
        #item
        const _: () = {
            #private
            impl __qm::ToolBox for #self_ty {
                fn tools(self: __qm::Arc<Self>) -> __qm::Vec<__qm::Arc<dyn __qm::ToolHandler>> {
                    ::core::unreachable!()
                }
            }
        };
        #error
    }
}

/// `struct NAME; impl NAME { fn call(..) }` plus `trait_impl`. A function with a receiver stays as written: it is most likely a method of an impl block, where a
/// struct cannot go.
pub(crate) fn shell(
    item: &ItemFn,
    krate: Option<&Path>,
    trait_impl: TokenStream,
    error: syn::Error,
) -> TokenStream {
    let error = error.into_compile_error();
    if item.sig.receiver().is_some() {
        return quote!(#item #error);
    }
    let (_, cfgs, _) = item.split_attrs();
    let unit_struct = if valid::bindings_named_like_fn(&item.sig).is_empty() {
        unit_struct(item)
    } else {
        // A binding named like the struct would match it, in the signature and the body: keep
        // neither, or each use is one more error.
        let mut item = item.clone();
        for input in &mut item.sig.inputs {
            if let FnArg::Typed(pat_type) = input {
                *pat_type.pat = parse_quote!(_);
            }
        }
        item.body = quote!({ ::core::unreachable!() });
        unit_struct(&item)
    };
    let private = private(krate);
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            #trait_impl
        };
        #error
    }
}
