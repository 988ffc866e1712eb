//! The checks across fields: what a tool's signature, name and options must be.

use proc_macro2::Ident;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, PatIdent, ReturnType, Signature, Type, TypeImplTrait};

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

/// Every rule a tool breaks, reported to `cx`, roughly in source order: the attribute's
/// values first, then the signature from left to right.
pub(crate) fn tool(cx: &Ctxt, tool: &Tool, site: Site) {
    name(cx, tool);
    deferred_task(cx, tool);
    blocking(cx, tool);
    signature(cx, &tool.item.sig, "#[tool]");
    receiver(cx, tool, site);
    if site == Site::Free {
        unit_struct_bindings(cx, &tool.item.sig, "#[tool]");
    }
    param_names(cx, tool);
    param_headers(cx, tool);
    if let ReturnType::Type(_, ty) = &tool.item.sig.output {
        if let Some(impl_trait) = find_impl_trait(ty) {
            cx.error_spanned_by(
                impl_trait,
                "a #[tool] function cannot return `impl Trait`: its result type must be named so its output \
                 schema is known; return the concrete type (String, Structured<T>, Result<T, E>, ...)",
            );
        }
    }
}

/// `defer_task` says when a task starts, so it needs a tool that runs as one.
fn deferred_task(cx: &Ctxt, tool: &Tool) {
    if let (Some(defer), None) = (&tool.attr.defer_task, &tool.attr.task) {
        if defer.value {
            cx.error_spanned_by(
                defer,
                "`defer_task` needs a task tool: add task = \"optional\" or task = \"required\"",
            );
        }
    }
}

/// `blocking` moves a sync body off the runtime; an async body does not block it.
fn blocking(cx: &Ctxt, tool: &Tool) {
    if let (Some(key), Some(_)) = (&tool.attr.blocking, &tool.item.sig.asyncness) {
        cx.error_spanned_by(
            key,
            "`blocking` runs a sync fn on tokio's blocking pool; an async fn is already non-blocking: \
             drop `blocking` or make the fn sync",
        );
    }
}

/// Two parameters cannot be the same property of the input schema.
fn param_names(cx: &Ctxt, tool: &Tool) {
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

/// `#[arg(header = "...")]`: an RFC 9110 token, unique ignoring case within the tool, on a
/// named argument of a generated schema. (The type is checked by a trait bound: only string,
/// integer and boolean arguments can be headers.)
fn param_headers(cx: &Ctxt, tool: &Tool) {
    let mut seen: Vec<String> = Vec::new();
    for param in &tool.params {
        let Some(header) = &param.header else {
            continue;
        };
        let name = header.value();
        if let Some(problem) = header_name_problem(&name) {
            cx.error_spanned_by(
                header,
                format!("the header name {problem}: write a token such as header = \"Region\" (sent as Mcp-Param-Region)"),
            );
        } else if seen.contains(&name.to_ascii_lowercase()) {
            cx.error_spanned_by(
                header,
                format!(
                    "two arguments of this tool are mirrored into the header Mcp-Param-{name} (header names ignore case): \
                     give each its own header name"
                ),
            );
        }
        seen.push(name.to_ascii_lowercase());
        if param.name.is_empty() {
            cx.error_spanned_by(
                header,
                "only a named argument can be mirrored into a header: bind the parameter to a name \
                 (`region: String`), or, for a field of an `Args<T>` struct, put \
                 #[schemars(extend(\"x-mcp-header\" = \"Name\"))] on the field",
            );
        }
        if tool.attr.input_schema.is_some() {
            cx.error_spanned_by(
                header,
                format!(
                    "#[arg(header)] has no effect with #[tool(input_schema = ...)], whose schema replaces the generated \
                     one: remove it and write \"x-mcp-header\": \"{name}\" into that property of your schema"
                ),
            );
        }
    }
}

/// What is wrong with `name` as an `x-mcp-header` value, if anything (as
/// `quickmcp_core::protocol::headers::header_name_problem` checks it): it must be an RFC 9110 token.
fn header_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    let bad = name
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))?;
    Some(format!(
        "`{name}` contains {bad:?}, which a header name cannot hold (letters, digits and !#$%&'*+-.^_`|~)"
    ))
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

/// A free `#[tool]` or `#[custom_route]` function becomes a unit struct of the same name, and a
/// binding of that name would match the struct instead of binding a value.
pub(crate) fn unit_struct_bindings(cx: &Ctxt, sig: &Signature, what: &str) {
    let name = sig.ident.unraw();
    for ident in bindings_named_like_fn(sig) {
        cx.error_spanned_by(
            ident,
            format!(
                "a parameter cannot be named `{name}` like its {what} function, which becomes a unit struct of \
                 that name: rename the parameter (and keep the argument's name with #[arg(rename = \"{name}\")])"
            ),
        );
    }
}

/// The bindings in `sig`'s parameters that have the function's name.
pub(crate) fn bindings_named_like_fn(sig: &Signature) -> Vec<Ident> {
    struct Find(Ident, Vec<Ident>);
    impl VisitMut for Find {
        fn visit_pat_ident_mut(&mut self, node: &mut PatIdent) {
            if node.ident.unraw() == self.0 {
                self.1.push(node.ident.clone());
            }
            visit_mut::visit_pat_ident_mut(self, node);
        }
    }
    let mut find = Find(sig.ident.unraw(), Vec::new());
    for input in &sig.inputs {
        if let FnArg::Typed(pat_type) = input {
            find.visit_pat_mut(&mut pat_type.pat.clone());
        }
    }
    find.1
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
    let Some(problem) = tool_name_problem(&tool.name) else {
        return;
    };
    let span = tool.attr.name.as_ref().map_or_else(
        || tool.item.sig.ident.to_token_stream(),
        ToTokens::to_token_stream,
    );
    cx.error_spanned_by(
        span,
        format!("{problem}: a tool name is 1 to 128 of A-Z a-z 0-9 _ - . (set it with #[tool(name = \"get_weather\")])"),
    );
}

/// What is wrong with `name` under the MCP naming rule (as
/// `quickmcp_core::__private::is_valid_tool_name` checks it), if anything.
fn tool_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the tool name is empty".to_owned());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(*c)))
    {
        return Some(format!(
            "`{name}` is not a valid tool name (it contains {bad:?})"
        ));
    }
    if name.len() > 128 {
        return Some(format!("the tool name is {} characters long", name.len()));
    }
    None
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
        assert_eq!(tool_name_problem("get_weather.v2-beta"), None);
        assert_eq!(tool_name_problem("").unwrap(), "the tool name is empty");
        assert_eq!(
            tool_name_problem("café").unwrap(),
            "`café` is not a valid tool name (it contains 'é')"
        );
        assert_eq!(
            tool_name_problem("a b").unwrap(),
            "`a b` is not a valid tool name (it contains ' ')"
        );
        assert_eq!(tool_name_problem(&"a".repeat(128)), None);
        assert_eq!(
            tool_name_problem(&"a".repeat(129)).unwrap(),
            "the tool name is 129 characters long"
        );
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name_problem("X-Region_2"), None);
        assert_eq!(header_name_problem("").unwrap(), "is empty");
        assert!(header_name_problem("My Region").unwrap().contains("' '"));
        assert!(header_name_problem("Région").unwrap().contains("'é'"));
        assert!(header_name_problem("a:b").unwrap().contains("':'"));
    }

    #[test]
    fn finds_bindings_named_like_the_fn() {
        let sig: Signature =
            syn::parse_quote!(fn search(r#search: String, Args((a, search)): Args<T>, other: u8));
        let found: Vec<String> = bindings_named_like_fn(&sig)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, ["r#search", "search"]);
        let sig: Signature = syn::parse_quote!(fn search(query: String));
        assert!(bindings_named_like_fn(&sig).is_empty());
    }

    #[test]
    fn reports_rules_in_order() {
        let cx = Ctxt::new();
        let item: crate::tool::ast::ItemFn = syn::parse_quote!(
            fn hello<T>(&mut self, a: u8, #[arg(rename = "a")] b: u8) {}
        );
        let attr = crate::tool::attr::ToolAttr::parse(&cx, quote::quote!(name = "a b"));
        let tool = Tool::new(&cx, item, attr);
        self::tool(&cx, &tool, Site::Method);
        let errors: Vec<String> = cx
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("`a b` is not a valid tool name"));
        assert!(errors[1].starts_with("a #[tool] function cannot be generic"));
        assert!(errors[2].starts_with("a tool method cannot take `&mut self`"));
        assert!(errors[3].starts_with("two parameters are named `a`"));
    }

    #[test]
    fn finds_nested_impl_trait() {
        let ty: Type = syn::parse_quote!(Vec<Option<impl Display>>);
        assert!(find_impl_trait(&ty).is_some());
        let ty: Type = syn::parse_quote!(Vec<Option<String>>);
        assert!(find_impl_trait(&ty).is_none());
    }
}
