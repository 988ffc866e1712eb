//! The code `#[tools]` emits: the impl block as written, one handler per tool holding the
//! shared instance, and the `ToolBox` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Path, Type};

use super::ast::ToolBlock;
use crate::tool::ast::Tool;
use crate::tool::expand::{arg_var, checks, handler_impl, private, run};

/// Expands a valid block.
pub(crate) fn block(block: &ToolBlock, krate: Option<&Path>) -> TokenStream {
    let item = &block.item;
    let self_ty = &*item.self_ty;
    let private = private(krate);
    let handlers = block.tools.iter().map(|tool| handler(tool, self_ty));
    let registrations = block.tools.iter().map(|tool| {
        let (_, cfgs, _) = tool.item.split_attrs();
        let name = handler_name(tool);
        quote!(#(#cfgs)* __tools.push(__qm::Arc::new(#name(__qm::Arc::clone(&self))));)
    });
    let tools = if block.tools.is_empty() {
        quote!(__tools)
    } else {
        quote!(mut __tools)
    };
    quote! {
        #item

        const _: () = {
            #private
            #(#handlers)*

            impl __qm::ToolBox for #self_ty {
                fn tools(self: __qm::Arc<Self>) -> __qm::Vec<__qm::Arc<dyn __qm::ToolHandler>> {
                    let #tools: __qm::Vec<__qm::Arc<dyn __qm::ToolHandler>> = __qm::Vec::new();
                    #(#registrations)*
                    __tools
                }
            }
        };
    }
}

fn handler_name(tool: &Tool) -> syn::Ident {
    format_ident!("__{}_tool", tool.item.sig.ident.unraw())
}

/// The handler struct of one method and its `ToolHandler` impl.
fn handler(tool: &Tool, self_ty: &Type) -> TokenStream {
    let name = handler_name(tool);
    let (_, cfgs, _) = tool.item.split_attrs();
    let method = &tool.item.sig.ident;
    let args: Vec<_> = (0..tool.params.len()).map(arg_var).collect();
    // An async or blocking body outlives `call`: it holds its own handle on the instance.
    let detached = tool.item.sig.asyncness.is_some() || tool.attr.blocking.is_some();
    let run = match (tool.receiver.is_some(), detached) {
        (false, _) => run(tool, quote!(<#self_ty>::#method(#(#args),*))),
        (true, false) => run(tool, quote!(<#self_ty>::#method(&self.0, #(#args),*))),
        (true, true) => {
            let run = run(tool, quote!(<#self_ty>::#method(&__this, #(#args),*)));
            quote! {
                let __this = __qm::Arc::clone(&self.0);
                #run
            }
        }
    };
    let checks = checks(tool);
    let handler_impl = handler_impl(tool, &quote!(#name), &run);
    quote! {
        #checks

        #(#cfgs)*
        #[allow(non_camel_case_types, dead_code)]
        struct #name(__qm::Arc<#self_ty>);

        #(#cfgs)*
        #handler_impl
    }
}
