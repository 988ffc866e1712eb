//! The code `#[prompt]` emits: a unit struct and a `PromptHandler` impl.

use proc_macro2::{Ident, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::ast::Prompt;
use crate::complete;
use crate::fallback;
use crate::tool::expand::{arg_var, private, unit_struct};

/// The unit struct, the function as its `call`, and the `PromptHandler` impl.
pub(crate) fn prompt(prompt: &Prompt) -> TokenStream {
    let ident = &prompt.item.sig.ident;
    let (_, cfgs, _) = prompt.item.split_attrs();
    let unit_struct = unit_struct(&prompt.item);
    let private = private(prompt.attr.krate.as_ref());
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
            impl __qm::PromptHandler for #ident {
                fn definition(&self) -> __qm::PromptDefinition {
                    #definition
                }

                fn get(&self, #args, __cx: &__qm::RequestContext) -> __qm::Reply<__qm::GetPromptResult> {
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
            fn get(&self, _: __qm::PromptArguments, _: &__qm::RequestContext) -> __qm::Reply<__qm::GetPromptResult> {
                ::core::unreachable!()
            }
        }
    };
    fallback::shell(&prompt.item, prompt.attr.krate.as_ref(), handler, error)
}

fn definition(prompt: &Prompt) -> TokenStream {
    let name = &prompt.name;
    let description = prompt.description.clone().unwrap_or_else(|| quote!(""));
    let title = prompt.attr.title.iter().map(|t| quote!(.title(#t)));
    let icons = prompt
        .attr
        .icons
        .iter()
        .map(|icon| quote!(.icon(__qm::Icon::new(#icon))));
    let params = prompt.params.iter().map(|param| {
        let ty = &param.ty;
        let name = &param.name;
        let description = match &param.description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        quote_spanned!(ty.span()=> __qm::declare_prompt_param::<#ty, _>(&mut __definition, #name, #description);)
    });
    quote! {
        let mut __definition = __qm::PromptDefinition::new(#name, #description) #(#title)* #(#icons)*;
        #(#params)*
        __definition
    }
}

fn get(prompt: &Prompt) -> TokenStream {
    let vars: Vec<Ident> = (0..prompt.params.len()).map(arg_var).collect();
    let lets = prompt.params.iter().zip(&vars).map(|(param, var)| {
        let ty = &param.ty;
        let name = &param.name;
        let value = quote_spanned!(ty.span()=> __qm::extract_prompt_param::<#ty, _>(&mut __args, __cx, #name));
        quote! {
            let #var = match #value {
                ::core::result::Result::Ok(__value) => __value,
                ::core::result::Result::Err(__error) => return __qm::Reply::Ready(::core::result::Result::Err(__error)),
            };
        }
    });
    let ident = &prompt.item.sig.ident;
    let span = prompt.output.span();
    let call = quote_spanned!(span=> #ident::call(#(#vars),*));
    let reply = if prompt.item.sig.asyncness.is_some() {
        quote_spanned!(span=> __qm::Reply::pending(async move { __qm::IntoGetPromptResult::into_prompt_result(#call.await) }))
    } else {
        quote_spanned!(span=> __qm::Reply::Ready(__qm::IntoGetPromptResult::into_prompt_result(#call)))
    };
    quote! {
        let _ = __cx;
        #(#lets)*
        #reply
    }
}
