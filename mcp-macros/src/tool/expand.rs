//! The code `#[tool]` emits: nothing here checks anything.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::Path;

use super::ast::{ItemFn, Tool};

/// `use <crate>::__private as __qm;`, honouring `crate = path`.
pub(crate) fn private(krate: Option<&Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(use #path::__private as __qm;),
        None => quote!(
            use ::quickmcp::__private as __qm;
        ),
    }
}

/// A free `#[tool]` function: a unit struct, the function as its associated `call`, and the
/// `ToolHandler` impl.
pub(crate) fn free(tool: &Tool) -> TokenStream {
    let ident = &tool.item.sig.ident;
    let (_, cfgs, _) = tool.item.split_attrs();
    let unit_struct = unit_struct(&tool.item);
    let private = private(tool.attr.krate.as_ref());
    let args = tool.params.iter().enumerate().map(|(i, _)| arg_var(i));
    let run = run(tool, quote!(#ident::call(#(#args),*)));
    let handler = handler_impl(tool, &quote!(#ident), &run);
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            #handler
        };
    }
}

/// `struct NAME;` with the function's docs and visibility, and the function itself as
/// `NAME::call`, attributes and all.
pub(crate) fn unit_struct(item: &ItemFn) -> TokenStream {
    let (docs, cfgs, _) = item.split_attrs();
    let ItemFn {
        attrs,
        vis,
        sig,
        body,
    } = item;
    let ident = &sig.ident;
    let mut call = sig.clone();
    call.ident = Ident::new("call", ident.span());
    quote! {
        #(#cfgs)*
        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident;

        #(#cfgs)*
        impl #ident {
            #(#attrs)*
            #vis #call #body
        }
    }
}

/// `impl ToolHandler for <handler>`, where `run` starts the call with the extracted
/// arguments (`__p0`, `__p1`...) and `self`.
pub(crate) fn handler_impl(tool: &Tool, handler: &TokenStream, run: &TokenStream) -> TokenStream {
    let definition = definition(tool);
    let extraction = extraction(tool);
    let args = if tool.params.is_empty() {
        quote!(__args)
    } else {
        quote!(mut __args)
    };
    quote! {
        impl __qm::ToolHandler for #handler {
            fn definition(&self) -> __qm::ToolDefinition {
                #definition
            }

            fn call(&self, #args: __qm::Arguments<'_>, __cx: &__qm::RequestContext) -> __qm::ToolFuture {
                #extraction
                #run
            }
        }
    }
}

/// Wraps `call` (the user's function applied to the arguments) in a `ToolFuture`; spanned at
/// the return type, so a result that is not `IntoToolResult` is reported there.
pub(crate) fn run(tool: &Tool, call: TokenStream) -> TokenStream {
    let span = tool.output.span();
    if tool.item.sig.asyncness.is_some() {
        quote_spanned!(span=> __qm::ToolFuture::pending(#call))
    } else {
        quote_spanned!(span=> __qm::ToolFuture::ready(#call))
    }
}

/// The variable holding the `i`th extracted parameter.
pub(crate) fn arg_var(i: usize) -> Ident {
    format_ident!("__p{}", i, span = Span::mixed_site())
}

/// The body of `ToolHandler::definition`: name, description, schemas, hints and icons.
fn definition(tool: &Tool) -> TokenStream {
    let params = tool.params.iter().map(|param| {
        let ty = &param.ty;
        let name = &param.name;
        let description = match &param.description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        quote_spanned!(ty.span()=> __schema.param::<#ty, _>(#name, #description);)
    });
    let output = &tool.output;
    let output = quote_spanned!(output.span()=> let __output = __schema.output::<#output>(););
    let name = &tool.name;
    let description = tool.description.clone().unwrap_or_else(|| quote!(""));
    let attr = &tool.attr;
    let title = attr.title.iter().map(|t| quote!(.title(#t)));
    let hints = [
        (quote!(read_only), &attr.read_only),
        (quote!(destructive), &attr.destructive),
        (quote!(idempotent), &attr.idempotent),
        (quote!(open_world), &attr.open_world),
    ];
    let hints = hints
        .iter()
        .filter_map(|(method, value)| value.as_ref().map(|v| quote!(.#method(#v))));
    let icons = attr
        .icons
        .iter()
        .map(|icon| quote!(.icon(__qm::Icon::new(#icon))));
    let input_schema = attr.input_schema.as_ref().map(|path| {
        quote_spanned!(path.span()=> __definition = __qm::IntoInputSchema::apply(#path(), __definition);)
    });
    quote! {
        let mut __schema = __qm::InputSchema::default();
        #(#params)*
        #output
        let mut __definition = __qm::ToolDefinition::new(#name, #description)
            .input_schema(__schema.finish())
            #(#title)* #(#hints)* #(#icons)*;
        if let ::core::option::Option::Some(__output) = __output {
            __definition = __definition.output_schema(__output);
        }
        #input_schema
        __definition
    }
}

/// Extracts every parameter into `__p0`, `__p1`..., then rejects unknown arguments.
fn extraction(tool: &Tool) -> TokenStream {
    let finish = quote! {
        if let ::core::result::Result::Err(__error) = __args.finish() {
            return __qm::extract_failed(__error);
        }
    };
    if tool.params.is_empty() {
        return quote! {
            let _ = __cx;
            #finish
        };
    }
    let vars: Vec<Ident> = (0..tool.params.len()).map(arg_var).collect();
    let lets = tool.params.iter().zip(&vars).map(|(param, var)| {
        let ty = &param.ty;
        let name = &param.name;
        quote_spanned! {ty.span()=>
            let #var = match __qm::extract::<#ty, _>(&mut __extract, #name) {
                ::core::result::Result::Ok(__value) => __value,
                ::core::result::Result::Err(__error) => return __qm::extract_failed(__error),
            };
        }
    });
    quote! {
        let (#(#vars,)*) = {
            let mut __extract = __qm::ExtractCx { request: __cx, args: &mut __args };
            #(#lets)*
            (#(#vars,)*)
        };
        #finish
    }
}
