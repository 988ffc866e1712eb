//! The code `#[tool]` emits: nothing here checks anything.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
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
    let checks = checks(tool);
    let handler = handler_impl(tool, &quote!(#ident), &run);
    quote! {
        #unit_struct
        #(#cfgs)*
        const _: () = {
            #private
            #checks
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

            fn call(&self, #args: __qm::Arguments<'_>, __cx: &__qm::CallContext<'_>) -> __qm::ToolFuture {
                #extraction
                #run
            }
        }
    }
}

/// Wraps `call` (the user's function applied to the arguments, a future if it is async) in a
/// `ToolFuture`, converting its result through the tool's output const. A sync body runs
/// inline, or on tokio's blocking pool with `blocking`, where `call` moves into a closure.
pub(crate) fn run(tool: &Tool, call: TokenStream) -> TokenStream {
    let output = output_const(tool);
    let sig = &tool.item.sig;
    if let Some(key) = &tool.attr.blocking {
        // Spanned at `blocking`, where an argument that is not `Send` is reported.
        let name = &tool.name;
        let body = quote_spanned!(key.span()=> move || (#output.1)(#call));
        return call_at(
            key,
            |span| quote_spanned!(span=> __qm::ToolFuture::blocking),
            quote!(#name, #body),
        );
    }
    let Some(asyncness) = &sig.asyncness else {
        return quote!(__qm::ToolFuture::ready((#output.1)(#call)));
    };
    // Spanned at `async fn name`, where a future that is not `Send` is reported.
    let (fn_token, ident) = (&sig.fn_token, &sig.ident);
    call_at(
        &quote!(#asyncness #fn_token #ident),
        |span| quote_spanned!(span=> __qm::ToolFuture::pending),
        quote!(async move { (#output.1)(#call.await) }),
    )
}

/// The variable holding the `i`th extracted parameter.
pub(crate) fn arg_var(i: usize) -> Ident {
    format_ident!("__p{}", i, span = Span::mixed_site())
}

/// The const holding how the `i`th parameter is declared and extracted.
fn param_const(tool: &Tool, i: usize) -> Ident {
    format_ident!(
        "__{}_p{}",
        tool.item.sig.ident.unraw(),
        i,
        span = Span::mixed_site()
    )
}

/// The const holding the output schema and the conversion of the result.
fn output_const(tool: &Tool) -> Ident {
    format_ident!(
        "__{}_output",
        tool.item.sig.ident.unraw(),
        span = Span::mixed_site()
    )
}

/// One `const` per parameter and one for the result: every type rule of a tool is checked
/// there, once, so a type that is not a parameter or a result is reported once, at the
/// user's tokens. `definition` and `call` only read these consts.
pub(crate) fn checks(tool: &Tool) -> TokenStream {
    let (_, cfgs, _) = tool.item.split_attrs();
    let params = tool.params.iter().enumerate().map(|(i, param)| {
        let name = param_const(tool, i);
        let ty = &param.ty;
        // A pattern has no name, so it cannot be an argument: `unnamed` says so at the pattern.
        let value = if param.name.is_empty() {
            call_at(
                &param.original.pat,
                |span| quote_spanned!(span=> __qm::Param::unnamed),
                TokenStream::new(),
            )
        } else if let Some(header) = &param.header {
            // The bound that only string, integer and boolean arguments can be headers is
            // checked here, at the parameter's type.
            call_at(
                ty,
                |span| quote_spanned!(span=> __qm::Param::<#ty>::header),
                quote!(#header),
            )
        } else {
            call_at(
                ty,
                |span| quote_spanned!(span=> __qm::Param::<#ty>::named),
                TokenStream::new(),
            )
        };
        quote! {
            #(#cfgs)*
            #[allow(non_upper_case_globals)]
            const #name: __qm::Param<#ty> = #value;
        }
    });
    let name = output_const(tool);
    let output = &tool.output;
    let schema = call_at(
        output,
        |span| quote_spanned!(span=> __qm::InputSchema::output::<#output>),
        quote!(__schema),
    );
    let convert = call_at(
        output,
        |span| quote_spanned!(span=> <#output as __qm::IntoToolResult>::into_tool_result),
        quote!(__r),
    );
    quote! {
        #(#params)*
        #(#cfgs)*
        #[allow(non_upper_case_globals)]
        const #name: (
            fn(&mut __qm::InputSchema) -> ::core::option::Option<__qm::serde_json::Value>,
            fn(#output) -> __qm::CallToolResult,
        ) = (|__schema| #schema, |__r| #convert);
    }
}

/// `path(args)`, spanned so that an error in the call underlines all of `at`: `path` (built
/// by the closure) at `at`'s first token, the parentheses at its last.
pub(crate) fn call_at(
    at: &impl ToTokens,
    path: impl FnOnce(Span) -> TokenStream,
    args: TokenStream,
) -> TokenStream {
    let mut tokens = at.to_token_stream().into_iter();
    let first = tokens.next().map_or_else(Span::call_site, |t| t.span());
    let last = tokens.last().map_or(first, |t| t.span());
    let path = path(first);
    let mut parens = Group::new(Delimiter::Parenthesis, args);
    parens.set_span(last);
    quote!(#path #parens)
}

/// The body of `ToolHandler::definition`: name, description, schemas, hints, icons and tags.
fn definition(tool: &Tool) -> TokenStream {
    let params = tool.params.iter().enumerate().map(|(i, param)| {
        let konst = param_const(tool, i);
        let name = &param.name;
        let description = match &param.description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        quote!(#konst.declare(&mut __schema, #name, #description);)
    });
    let output = output_const(tool);
    let output = quote!(let __output = (#output.0)(&mut __schema););
    let name = &tool.name;
    let new = match &tool.description {
        Some(description) => quote!(new(#name, #description)),
        None => quote!(named(#name)),
    };
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
    let tags = attr.tags.iter().map(|tag| quote!(.tag(#tag)));
    let task = attr.task.iter().map(|support| {
        let variant = match support.value().as_str() {
            "required" => quote!(Required),
            _ => quote!(Optional),
        };
        quote!(.task_support(__qm::TaskSupport::#variant))
    });
    let defer = attr
        .defer_task
        .iter()
        .map(|defer| quote!(.defer_task(#defer)));
    let policy = attr.policy.builders();
    let input_schema = attr.input_schema.as_ref().map(|path| {
        quote_spanned!(path.span()=> __definition = __qm::IntoInputSchema::apply(#path(), __definition);)
    });
    quote! {
        let mut __schema = __qm::InputSchema::default();
        #(#params)*
        #output
        let mut __definition = __qm::ToolDefinition::#new
            .input_schema(__schema.finish())
            #(#title)* #(#hints)* #(#icons)* #(#tags)* #(#task)* #(#defer)* #policy;
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
    let lets = tool
        .params
        .iter()
        .zip(&vars)
        .enumerate()
        .map(|(i, (param, var))| {
            let konst = param_const(tool, i);
            let name = &param.name;
            quote! {
                let #var = match #konst.extract(&mut __extract, #name) {
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
