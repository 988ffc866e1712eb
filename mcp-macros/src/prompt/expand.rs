//! The code `#[prompt]` emits: a unit struct and a `PromptHandler` impl.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Prompt;
use crate::complete;
use crate::fallback;
use crate::resource::expand::pending;
use crate::tool::expand::call_at;
use crate::tool::expand::{arg_var, private, unit_struct};

/// The unit struct, the function as its `call`, and the `PromptHandler` impl.
pub(crate) fn prompt(prompt: &Prompt) -> TokenStream {
    let ident = &prompt.item.sig.ident;
    let (_, cfgs, _) = prompt.item.split_attrs();
    let unit_struct = unit_struct(&prompt.item);
    let private = private(prompt.attr.krate.as_ref());
    let checks = checks(prompt);
    let definition = definition(prompt);
    let get = get(prompt);
    let complete = complete::methods(&prompt.attr.complete);
    let args = if prompt.params.is_empty() {
        quote!(_: __qm::PromptArguments)
    } else {
        quote!(mut __args: __qm::PromptArguments)
    };
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            #checks
            impl __qm::PromptHandler for #ident {
                fn definition(&self) -> __qm::PromptDefinition {
                    #definition
                }

                fn get(&self, #args, __cx: &__qm::CallContext<'_>) -> __qm::Reply<__qm::GetPromptResult> {
                    #get
                }

                #complete
            }
        };
    }
}

/// On errors: the unit struct and a `PromptHandler` that is never run, plus the errors.
pub(crate) fn fallback(prompt: &Prompt, error: syn::Error) -> TokenStream {
    let ident = &prompt.item.sig.ident;
    let handler = quote! {
        impl __qm::PromptHandler for #ident {
            fn definition(&self) -> __qm::PromptDefinition {
                ::core::unreachable!()
            }
            fn get(&self, _: __qm::PromptArguments, _: &__qm::CallContext<'_>) -> __qm::Reply<__qm::GetPromptResult> {
                ::core::unreachable!()
            }
        }
    };
    fallback::shell(&prompt.item, prompt.attr.krate.as_ref(), handler, error)
}

/// The const holding how the `i`th parameter is declared and extracted.
fn param_const(i: usize) -> Ident {
    format_ident!("__p{}_param", i, span = Span::mixed_site())
}

/// The const holding the conversion of the result.
fn output_const() -> Ident {
    format_ident!("__output", span = Span::mixed_site())
}

/// One `const` per parameter and one for the result: every type rule of a prompt is checked
/// there, once, so a type that is not a parameter or a result is reported once, at the
/// user's tokens. `definition` and `get` only read these consts.
fn checks(prompt: &Prompt) -> TokenStream {
    let params = prompt.params.iter().enumerate().map(|(i, param)| {
        let konst = param_const(i);
        let ty = &param.ty;
        let declare = quote_spanned!(ty.span()=> __qm::declare_prompt_param::<#ty, _>);
        let extract = quote_spanned!(ty.span()=> __qm::extract_prompt_param::<#ty, _>);
        quote! {
            #[allow(non_upper_case_globals)]
            const #konst: (
                fn(&mut __qm::PromptDefinition, &'static str, ::core::option::Option<&'static str>),
                fn(&mut __qm::PromptArguments, &__qm::CallContext<'_>, &'static str)
                    -> ::core::result::Result<#ty, __qm::McpError>,
            ) = (#declare, #extract);
        }
    });
    let output = &prompt.output;
    let konst = output_const();
    let convert = call_at(
        output,
        |span| quote_spanned!(span=> <#output as __qm::IntoGetPromptResult>::into_prompt_result),
        quote!(__value),
    );
    quote! {
        #(#params)*
        #[allow(non_upper_case_globals)]
        const #konst: fn(#output) -> ::core::result::Result<__qm::GetPromptResult, __qm::McpError> =
            |__value| #convert;
    }
}

fn definition(prompt: &Prompt) -> TokenStream {
    let name = &prompt.name;
    let new = match &prompt.description {
        Some(description) => quote!(new(#name, #description)),
        None => quote!(named(#name)),
    };
    let title = prompt.attr.title.iter().map(|t| quote!(.title(#t)));
    let icons = prompt
        .attr
        .icons
        .iter()
        .map(|icon| quote!(.icon(__qm::Icon::new(#icon))));
    let tags = prompt.attr.tags.iter().map(|tag| quote!(.tag(#tag)));
    let params = prompt.params.iter().enumerate().map(|(i, param)| {
        let konst = param_const(i);
        let name = &param.name;
        let description = match &param.description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        quote!((#konst.0)(&mut __definition, #name, #description);)
    });
    let policy = prompt.attr.policy.builders();
    quote! {
        let mut __definition = __qm::PromptDefinition::#new #(#title)* #(#icons)* #(#tags)* #policy;
        #(#params)*
        __definition
    }
}

fn get(prompt: &Prompt) -> TokenStream {
    let vars: Vec<Ident> = (0..prompt.params.len()).map(arg_var).collect();
    let lets = prompt.params.iter().enumerate().map(|(i, param)| {
        let (konst, var) = (param_const(i), &vars[i]);
        let name = &param.name;
        let value = quote!((#konst.1)(&mut __args, __cx, #name));
        quote! {
            let #var = match #value {
                ::core::result::Result::Ok(__value) => __value,
                ::core::result::Result::Err(__error) => return __qm::Reply::Ready(::core::result::Result::Err(__error)),
            };
        }
    });
    let ident = &prompt.item.sig.ident;
    let call = quote!(#ident::call(#(#vars),*));
    let output = output_const();
    let reply = match pending(&prompt.item.sig) {
        Some(pending) => pending(quote!(async move { (#output)(#call.await) })),
        None => quote!(__qm::Reply::Ready((#output)(#call))),
    };
    quote! {
        let _ = __cx;
        #(#lets)*
        #reply
    }
}
