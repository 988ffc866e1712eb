//! The checks across fields: what a tool's signature, name and description must be.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, ReturnType, Signature, Type, TypeImplTrait};

use super::ast::Tool;
use crate::ctxt::Ctxt;

/// Where a `#[tool]` sits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// A free function.
    Free,
    /// A method of a `#[tools]` impl block.
    Method,
}

/// Every rule a tool breaks, reported to `cx`.
pub(crate) fn tool(cx: &Ctxt, tool: &Tool, site: Site) {
    signature(cx, &tool.item.sig, "#[tool]");
    if let ReturnType::Type(_, ty) = &tool.item.sig.output {
        if let Some(impl_trait) = find_impl_trait(ty) {
            cx.error_spanned_by(
                impl_trait,
                "a #[tool] function cannot return `impl Trait`: its result type must be named so its output \
                 schema is known; return the concrete type (String, Structured<T>, Result<T, E>, ...)",
            );
        }
    }
    receiver(cx, tool, site);
    name(cx, tool);
    if tool.description.is_none() {
        let span = tool.attr.description.as_ref().map_or_else(
            || tool.item.sig.ident.to_token_stream(),
            ToTokens::to_token_stream,
        );
        cx.error_spanned_by(
            span,
            "a tool needs a description for the model: add a doc comment (`/// What it does.`) above the function, \
             or write #[tool(description = \"...\")]",
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for param in &tool.params {
        if param.name.is_empty() {
            continue;
        }
        if names.contains(&param.name.as_str()) {
            cx.error_spanned_by(
                &param.original,
                format!(
                    "two parameters are named `{}` in the input schema: give one another name with #[arg(rename = \"...\")]",
                    param.name
                ),
            );
        }
        names.push(&param.name);
    }
}

/// The signature rules `#[tool]` and `#[custom_route]` share; `what` names the macro.
pub(crate) fn signature(cx: &Ctxt, sig: &Signature, what: &str) {
    let generics = &sig.generics;
    if !generics.params.is_empty() {
        cx.error_spanned_by(
            generics,
            format!(
                "a {what} function cannot be generic: remove the type, lifetime and const parameters and use \
                 concrete, owned types (String, not &str)"
            ),
        );
    } else if let Some(where_clause) = &generics.where_clause {
        cx.error_spanned_by(
            where_clause,
            format!(
                "a {what} function cannot have a `where` clause: remove it and use concrete types"
            ),
        );
    }
    for input in &sig.inputs {
        if let FnArg::Typed(pat_type) = input {
            if let Some(impl_trait) = find_impl_trait(&pat_type.ty) {
                cx.error_spanned_by(
                    impl_trait,
                    format!("`impl Trait` is a hidden generic parameter, and a {what} function cannot be generic: write a concrete type"),
                );
            }
        }
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(
            unsafety,
            format!("a {what} function cannot be `unsafe`: make it safe and put an `unsafe {{ }}` block inside"),
        );
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(
            abi,
            format!(
                "a {what} function cannot be `extern`: remove `{}`",
                abi.to_token_stream()
            ),
        );
    }
    if let Some(constness) = &sig.constness {
        cx.error_spanned_by(
            constness,
            format!("a {what} function cannot be `const`: remove `const`"),
        );
    }
}

fn receiver(cx: &Ctxt, tool: &Tool, site: Site) {
    let Some(receiver) = &tool.receiver else {
        return;
    };
    if site == Site::Free {
        cx.error_spanned_by(
            receiver,
            "a #[tool] method needs #[tools] on its impl block: write `#[tools] impl MyType { ... }` and keep #[tool] \
             on the method",
        );
        return;
    }
    // `&self`, `&mut self`, `self`, or typed: `self: &Self`, `self: Arc<Self>`...
    let (by_ref, mutable) = match (&receiver.colon_token, &*receiver.ty) {
        (None, _) => (receiver.reference.is_some(), receiver.mutability.is_some()),
        (Some(_), Type::Reference(r)) if r.elem.to_token_stream().to_string() == "Self" => {
            (true, r.mutability.is_some())
        }
        (Some(_), _) => (false, false),
    };
    if !by_ref {
        cx.error_spanned_by(
            receiver,
            "a tool method cannot take `self` by value: the instance is shared by every call; write `&self`",
        );
    } else if mutable {
        cx.error_spanned_by(
            receiver,
            "a tool method cannot take `&mut self`: tools run concurrently; write `&self` and keep mutable state \
             behind a Mutex, RwLock or atomic",
        );
    }
}

fn name(cx: &Ctxt, tool: &Tool) {
    if is_valid_tool_name(&tool.name) {
        return;
    }
    let span = tool.attr.name.as_ref().map_or_else(
        || tool.item.sig.ident.to_token_stream(),
        ToTokens::to_token_stream,
    );
    cx.error_spanned_by(
        span,
        format!(
            "`{}` is not a valid tool name: use 1 to 128 of A-Z a-z 0-9 _ - . (set it with #[tool(name = \"get_weather\")])",
            tool.name
        ),
    );
}

/// The MCP naming rule, as `quickmcp_core::registry::tool::is_valid_tool_name` checks it.
fn is_valid_tool_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

/// The first `impl Trait` inside `ty`.
pub(crate) fn find_impl_trait(ty: &Type) -> Option<TypeImplTrait> {
    #[derive(Default)]
    struct Find(Option<TypeImplTrait>);
    impl VisitMut for Find {
        fn visit_type_impl_trait_mut(&mut self, node: &mut TypeImplTrait) {
            self.0.get_or_insert_with(|| node.clone());
        }
        fn visit_type_mut(&mut self, node: &mut Type) {
            if self.0.is_none() {
                visit_mut::visit_type_mut(self, node);
            }
        }
    }
    let mut find = Find::default();
    find.visit_type_mut(&mut ty.clone());
    find.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_names() {
        assert!(is_valid_tool_name("get_weather.v2-beta"));
        assert!(!is_valid_tool_name(""));
        assert!(!is_valid_tool_name("café"));
        assert!(!is_valid_tool_name("a b"));
        assert!(is_valid_tool_name(&"a".repeat(128)));
        assert!(!is_valid_tool_name(&"a".repeat(129)));
    }

    #[test]
    fn finds_nested_impl_trait() {
        let ty: Type = syn::parse_quote!(Vec<Option<impl Display>>);
        assert!(find_impl_trait(&ty).is_some());
        let ty: Type = syn::parse_quote!(Vec<Option<String>>);
        assert!(find_impl_trait(&ty).is_none());
    }
}
