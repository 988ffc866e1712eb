//! The checks across fields of a `#[resource]`: signature, URI template and its parameters.

use quote::ToTokens;

use super::ast::Resource;
use crate::complete;
use crate::ctxt::Ctxt;
use crate::tool::valid::{find_impl_trait, signature};

/// Every rule a resource breaks, reported to `cx`.
pub(crate) fn resource(cx: &Ctxt, resource: &Resource) {
    function(cx, resource);
    params(cx, resource);
    if resource.name.is_empty() {
        let span = resource.attr.name.to_token_stream();
        cx.error_spanned_by(
            span,
            "a resource name cannot be empty: write name = \"readme\"",
        );
    }
    uri_template(cx, resource);
}

/// The function's own shape: signature, receiver, return type.
fn function(cx: &Ctxt, resource: &Resource) {
    let sig = &resource.item.sig;
    signature(cx, sig, "#[resource]");
    if let Some(receiver) = sig.receiver() {
        cx.error_spanned_by(
            receiver,
            "a #[resource] function cannot take `self`: make it a free function and reach shared data through \
             State<T>",
        );
    }
    if let Some(impl_trait) = find_impl_trait(&resource.output) {
        cx.error_spanned_by(
            impl_trait,
            "a #[resource] function cannot return `impl Trait`: return the concrete type (String, Vec<u8>, \
             serde_json::Value, ResourceContents, Result<T, E>, ...)",
        );
    }
}

/// What `#[arg]` cannot say on a resource's parameters.
fn params(cx: &Ctxt, resource: &Resource) {
    for description in resource
        .params
        .iter()
        .filter_map(|p| p.description.as_ref())
    {
        cx.error_spanned_by(
            description,
            "a resource has no argument descriptions: remove #[arg(description)], and describe the \
             placeholders in the function's doc comment",
        );
    }
    for header in resource.params.iter().filter_map(|p| p.header.as_ref()) {
        cx.error_spanned_by(
            header,
            "only #[tool] arguments can be mirrored into headers: remove #[arg(header)]",
        );
    }
}

/// The URI template against the parameters and `complete(...)`.
fn uri_template(cx: &Ctxt, resource: &Resource) {
    let Some(uri) = &resource.attr.uri else {
        return;
    };
    let placeholders = match &resource.placeholders {
        Ok(placeholders) => placeholders,
        Err(why) => {
            cx.error_spanned_by(
                uri,
                format!("`{}` is not a valid URI template: {why}", uri.value()),
            );
            return;
        }
    };
    if uri.value().is_empty() {
        cx.error_spanned_by(
            uri,
            "a resource URI cannot be empty: write #[resource(\"scheme://path\")]",
        );
    }
    for placeholder in placeholders {
        if !resource.params.iter().any(|p| &p.name == placeholder) {
            cx.error_spanned_by(
                uri,
                format!(
                    "the placeholder `{{{placeholder}}}` has no matching parameter: add `{placeholder}: String` (or \
                     any FromStr type) to the function"
                ),
            );
        }
    }
    match (placeholders.is_empty(), resource.attr.complete.first()) {
        (true, Some(first)) => cx.error_spanned_by(
            &first.name,
            format!(
                "complete(...) completes the placeholders of a URI template, and `{}` has none: remove \
                 complete(...), or put `{{{}}}` in the URI",
                uri.value(),
                first.name
            ),
        ),
        _ => complete::check(
            cx,
            &resource.attr.complete,
            placeholders,
            "a placeholder",
            "the URI template",
        ),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::resource::attr::ResourceAttr;
    use crate::tool::ast::ItemFn;

    fn errors(attr: proc_macro2::TokenStream, item: proc_macro2::TokenStream) -> Vec<String> {
        let cx = Ctxt::new();
        let attr = ResourceAttr::parse(&cx, attr);
        let resource = Resource::new(&cx, syn::parse2::<ItemFn>(item).unwrap(), attr);
        super::resource(&cx, &resource);
        cx.check()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_template() {
        assert!(errors(
            quote!("t://{id}/data", complete(id = c)),
            quote!(
                fn f(id: u32, ctx: Context) -> String {
                    ..
                }
            )
        )
        .is_empty());
    }

    #[test]
    fn placeholders_need_parameters() {
        let errors = errors(
            quote!("t://{id}/{other}"),
            quote!(
                fn f(id: u32) -> String {
                    ..
                }
            ),
        );
        assert_eq!(
            errors,
            ["the placeholder `{other}` has no matching parameter: add `other: String` (or any FromStr type) to the \
              function"]
        );
    }

    #[test]
    fn bad_templates_and_completers() {
        let e = errors(
            quote!("t://{a b}"),
            quote!(
                fn f() -> String {
                    ..
                }
            ),
        );
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with(
                "`t://{a b}` is not a valid URI template: `{a b}` is not a level 1 placeholder"
            ),
            "{e:?}"
        );
        let e = errors(
            quote!("t://x", complete(id = c)),
            quote!(
                fn f() -> String {
                    ..
                }
            ),
        );
        assert_eq!(
            e,
            ["complete(...) completes the placeholders of a URI template, and `t://x` has none: remove \
              complete(...), or put `{id}` in the URI"]
        );
        let e = errors(
            quote!("t://{id}", complete(nope = c)),
            quote!(
                fn f(id: String) -> String {
                    ..
                }
            ),
        );
        assert_eq!(
            e,
            ["`nope` is not a placeholder of the URI template, so it cannot be completed: complete one of id"]
        );
        let e = errors(
            quote!("t://x"),
            quote!(
                fn f(&self) -> impl Display {
                    ..
                }
            ),
        );
        assert_eq!(e.len(), 2, "{e:?}");
    }
}
