//! The checks across fields of a `#[prompt]`: signature, name, argument names.

use super::ast::Prompt;
use crate::complete;
use crate::ctxt::Ctxt;
use crate::tool::valid::{find_impl_trait, signature};

/// Every rule a prompt breaks, reported to `cx`.
pub(crate) fn prompt(cx: &Ctxt, prompt: &Prompt) {
    let sig = &prompt.item.sig;
    signature(cx, sig, "#[prompt]");
    if let Some(receiver) = sig.receiver() {
        cx.error_spanned_by(
            receiver,
            "a #[prompt] function cannot take `self`: make it a free function and reach shared data through State<T>",
        );
    }
    if let Some(impl_trait) = find_impl_trait(&prompt.output) {
        cx.error_spanned_by(
            impl_trait,
            "a #[prompt] function cannot return `impl Trait`: return the concrete type (String, PromptMessage, \
             Vec<PromptMessage>, GetPromptResult, Result<T, E>)",
        );
    }
    if prompt.name.is_empty() {
        // Only `name = ""` can be empty: a function always has a name.
        cx.error_spanned_by(
            &prompt.attr.name,
            "a prompt name cannot be empty: write #[prompt(name = \"code_review\")]",
        );
    }
    for header in prompt.params.iter().filter_map(|p| p.header.as_ref()) {
        cx.error_spanned_by(
            header,
            "only #[tool] arguments can be mirrored into headers: remove #[arg(header)]",
        );
    }
    let mut names: Vec<String> = Vec::new();
    for param in &prompt.params {
        if param.name.is_empty() {
            continue;
        }
        if names.contains(&param.name) {
            cx.error_spanned_by(
                &param.original,
                format!(
                    "two parameters are named `{}`: give one another name with #[arg(rename = \"...\")]",
                    param.name
                ),
            );
        } else {
            names.push(param.name.clone());
        }
    }
    complete::check(
        cx,
        &prompt.attr.complete,
        &names,
        "an argument",
        "this prompt",
    );
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::prompt::attr::PromptAttr;
    use crate::tool::ast::ItemFn;

    fn errors(attr: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> Vec<String> {
        let cx = Ctxt::new();
        let attr = PromptAttr::parse(&cx, attr);
        let prompt = Prompt::new(&cx, syn::parse2::<ItemFn>(item).unwrap(), attr);
        super::prompt(&cx, &prompt);
        cx.check()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_prompt() {
        let item = quote! {
            /// Review.
            fn review(code: String, #[arg(rename = "lang")] language: Option<String>, ctx: Context) -> String { .. }
        };
        assert!(errors(quote!(complete(lang = c)), item).is_empty());
    }

    #[test]
    fn needs_distinct_names() {
        let item = quote!(
            fn review(a: String, #[arg(rename = "a")] b: String) -> String {
                ..
            }
        );
        let e = errors(quote!(complete(zz = c)), item);
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(
            e[0],
            "two parameters are named `a`: give one another name with #[arg(rename = \"...\")]"
        );
        assert_eq!(
            e[1],
            "`zz` is not an argument of this prompt, so it cannot be completed: complete one of a"
        );
    }

    #[test]
    fn no_self_no_impl_trait() {
        let e = errors(
            quote!(description = "d"),
            quote!(
                fn p(&self) -> impl Display {
                    ..
                }
            ),
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("a #[prompt] function cannot take `self`"));
        assert!(e[1].starts_with("a #[prompt] function cannot return `impl Trait`"));
    }
}
