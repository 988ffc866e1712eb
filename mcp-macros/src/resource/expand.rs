//! The code `#[resource]` emits: a unit struct and a `ResourceHandler` (static URI) or
//! `ResourceTemplateHandler` (URI with placeholders) impl.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Signature;

use super::ast::Resource;
use super::attr::CacheScopeAttr;
use crate::complete;
use crate::fallback;
use crate::tool::expand::{arg_var, call_at, private, unit_struct};

/// The unit struct, the function as its `call`, and the handler impl.
pub(crate) fn resource(resource: &Resource) -> TokenStream {
    let (_, cfgs, _) = resource.item.split_attrs();
    let unit_struct = unit_struct(&resource.item);
    let private = private(resource.attr.krate.as_ref());
    let handler = if resource.is_template() {
        template_impl(resource)
    } else {
        static_impl(resource)
    };
    let output = output_const(resource);
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            #output
            #handler
        };
    }
}

/// For an `async fn`: what wraps its future into `Reply::pending(..)`, spanned at
/// `async fn name`, where rustc reports a future that is not `Send`.
pub(crate) fn pending(sig: &Signature) -> Option<impl FnOnce(TokenStream) -> TokenStream + '_> {
    let asyncness = sig.asyncness.as_ref()?;
    let (fn_token, ident) = (&sig.fn_token, &sig.ident);
    Some(move |future| {
        call_at(
            &quote!(#asyncness #fn_token #ident),
            |span| quote_spanned!(span=> __qm::Reply::pending),
            future,
        )
    })
}

/// The const holding the return type's default MIME type and the conversion of a value into
/// the `resources/read` result: the one place the return type is checked, so a type that is
/// not resource contents is reported once, at the user's tokens.
fn output_const(resource: &Resource) -> TokenStream {
    let output = &resource.output;
    let name = output_ident();
    let mime = quote_spanned!(output.span()=> <#output as __qm::IntoResourceContents>::MIME_TYPE);
    let value = call_at(
        output,
        |span| quote_spanned!(span=> ::core::convert::identity),
        quote!(__value),
    );
    quote! {
        #[allow(non_upper_case_globals)]
        const #name: (
            ::core::option::Option<&'static str>,
            fn(#output, &str, ::core::option::Option<&str>)
                -> ::core::result::Result<__qm::ReadResourceResult, __qm::McpError>,
        ) = (#mime, |__value, __uri, __mime| __qm::read_result(#value, __uri, __mime));
    }
}

fn output_ident() -> Ident {
    format_ident!("__output", span = Span::mixed_site())
}

/// On errors: the unit struct and a handler impl that is never run, plus the errors.
pub(crate) fn fallback(resource: &Resource, error: syn::Error) -> TokenStream {
    let ident = &resource.item.sig.ident;
    let handler = quote! {
        impl __qm::ResourceHandler for #ident {
            fn definition(&self) -> __qm::ResourceDefinition {
                ::core::unreachable!()
            }
            fn read(&self, _: &str, _: &__qm::CallContext<'_>) -> __qm::Reply<__qm::ReadResourceResult> {
                ::core::unreachable!()
            }
        }
    };
    fallback::shell(&resource.item, resource.attr.krate.as_ref(), handler, error)
}

fn static_impl(resource: &Resource) -> TokenStream {
    let ident = &resource.item.sig.ident;
    let (definition, read) = (
        definition(resource, quote!(ResourceDefinition)),
        read(resource),
    );
    quote! {
        impl __qm::ResourceHandler for #ident {
            fn definition(&self) -> __qm::ResourceDefinition {
                #definition
            }

            fn read(&self, __uri: &str, __cx: &__qm::CallContext<'_>) -> __qm::Reply<__qm::ReadResourceResult> {
                #read
            }
        }
    }
}

fn template_impl(resource: &Resource) -> TokenStream {
    let ident = &resource.item.sig.ident;
    let (definition, read) = (
        definition(resource, quote!(ResourceTemplateDefinition)),
        read(resource),
    );
    let complete = complete::methods(&resource.attr.complete);
    quote! {
        impl __qm::ResourceTemplateHandler for #ident {
            fn definition(&self) -> __qm::ResourceTemplateDefinition {
                #definition
            }

            fn read(
                &self,
                __uri: &str,
                __vars: &__qm::UriVars,
                __cx: &__qm::CallContext<'_>,
            ) -> __qm::Reply<__qm::ReadResourceResult> {
                #read
            }

            #complete
        }
    }
}

/// `<Kind>::new(uri, name)` with the description, title, MIME type (the attribute's, else the
/// return type's default), icons, tags and annotations.
fn definition(resource: &Resource, kind: TokenStream) -> TokenStream {
    let attr = &resource.attr;
    let uri = &attr.uri;
    let name = &resource.name;
    let description = resource
        .description
        .iter()
        .map(|d| quote!(.description(#d)));
    let title = attr.title.iter().map(|t| quote!(.title(#t)));
    let icons = attr
        .icons
        .iter()
        .map(|icon| quote!(.icon(__qm::Icon::new(#icon))));
    let tags = attr.tags.iter().map(|tag| quote!(.tag(#tag)));
    let output = output_ident();
    let mime_type = match &attr.mime_type {
        Some(mime) => quote!(__definition = __definition.mime_type(#mime);),
        None => quote! {
            if let ::core::option::Option::Some(__mime) = #output.0 {
                __definition = __definition.mime_type(__mime);
            }
        },
    };
    let annotations = (!attr.audience.is_empty() || attr.priority.is_some()).then(|| {
        let audience = attr
            .audience
            .iter()
            .map(|a| quote!(::std::string::String::from(#a)));
        let priority = match attr.priority {
            Some(p) => quote!(::core::option::Option::Some(#p)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            __definition = __definition.annotations(__qm::Annotations {
                audience: __qm::Vec::from([#(#audience),*]),
                priority: #priority,
                last_modified: ::core::option::Option::None,
            });
        }
    });
    let ttl_ms = attr.ttl_ms.iter().map(|ttl| quote!(.cache_ttl(#ttl)));
    let cache_scope = attr.cache_scope.iter().map(|scope| match scope {
        CacheScopeAttr::Public => quote!(.cache_scope(__qm::CacheScope::Public)),
        CacheScopeAttr::Private => quote!(.cache_scope(__qm::CacheScope::Private)),
    });
    let policy = attr.policy.builders();
    quote! {
        let mut __definition = __qm::#kind::new(#uri, #name)
            #(#description)* #(#title)* #(#icons)* #(#tags)* #(#ttl_ms)* #(#cache_scope)* #policy;
        #mime_type
        #annotations
        __definition
    }
}

/// Extracts the parameters (placeholders parsed with `FromStr`, the rest injected), calls the
/// function and turns its value into the `resources/read` result.
fn read(resource: &Resource) -> TokenStream {
    let placeholders = resource.placeholders.as_deref().unwrap_or_default();
    let vars: Vec<Ident> = (0..resource.params.len()).map(arg_var).collect();
    let lets = resource.params.iter().zip(&vars).map(|(param, var)| {
        let ty = &param.ty;
        let name = &param.name;
        let value = if placeholders.contains(&param.name) {
            quote_spanned!(ty.span()=> __vars.parse::<#ty>(#name))
        } else {
            quote_spanned!(ty.span()=> __qm::inject::<#ty>(__cx))
        };
        quote! {
            let #var = match #value {
                ::core::result::Result::Ok(__value) => __value,
                ::core::result::Result::Err(__error) => return __qm::Reply::Ready(::core::result::Result::Err(__error)),
            };
        }
    });
    let ident = &resource.item.sig.ident;
    let mime = match &resource.attr.mime_type {
        Some(mime) => quote!(::core::option::Option::Some(#mime)),
        None => quote!(::core::option::Option::None),
    };
    let output = output_ident();
    let call = quote!(#ident::call(#(#vars),*));
    let reply = match pending(&resource.item.sig) {
        Some(pending) => {
            let pending = pending(quote!(async move { (#output.1)(#call.await, &__uri, #mime) }));
            quote! {
                let __uri = ::std::string::String::from(__uri);
                #pending
            }
        }
        None => quote!(__qm::Reply::Ready((#output.1)(#call, __uri, #mime))),
    };
    let unused = quote!(let _ = __cx;);
    quote! {
        #unused
        #(#lets)*
        #reply
    }
}
