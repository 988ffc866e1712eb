//! `complete(arg = path::to::completer, ...)`, shared by `#[resource]` and `#[prompt]`: parsed
//! here, checked against the item's argument names, expanded into a `complete` method.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Meta, MetaList, Path, Token};

use crate::ctxt::Ctxt;
use crate::tool::attr::syntax_error;

/// How `complete(...)` looks, for syntax errors.
const USAGE: &str = "complete(argument = path::to::completer, ...)";

/// One `name = path` of `complete(...)`.
pub(crate) struct Completer {
    pub(crate) name: Ident,
    pub(crate) path: Path,
}

/// Parses the `complete(...)` list, reporting entries that are not `name = path`.
pub(crate) fn parse(cx: &Ctxt, meta: &Meta) -> Vec<Completer> {
    let Meta::List(list) = meta else {
        cx.error_spanned_by(meta, format!("`complete` takes a list: write {USAGE}"));
        return Vec::new();
    };
    let mut completers: Vec<Completer> = Vec::new();
    for entry in nested_metas(cx, list, USAGE) {
        let parsed = match &entry {
            Meta::NameValue(nv) => match (nv.path.get_ident(), &nv.value) {
                (Some(name), Expr::Path(p)) if p.qself.is_none() => {
                    Some((name.clone(), p.path.clone()))
                }
                _ => None,
            },
            _ => None,
        };
        match parsed {
            Some((name, _)) if completers.iter().any(|c| c.name == name) => {
                cx.error_spanned_by(&name, format!("`{name}` has two completers in complete(...): keep one"));
            }
            Some((name, path)) => completers.push(Completer { name, path }),
            None => cx.error_spanned_by(
                &entry,
                "expected `argument = path::to::completer` in complete(...), where the completer is \
                 `fn(&str) -> Vec<String>` or `fn(&str, &CompletionContext) -> Vec<String>`",
            ),
        }
    }
    completers
}

/// The `key = value, ...` list inside `name(...)` nested in an attribute (`complete(...)`,
/// `annotations(...)`); a syntax error points into the parentheses and says how to write them.
pub(crate) fn nested_metas(cx: &Ctxt, list: &MetaList, usage: &str) -> Vec<Meta> {
    match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
        Ok(metas) => metas.into_iter().collect(),
        Err(error) => {
            cx.syn_error(syntax_error(&error, usage));
            Vec::new()
        }
    }
}

/// Reports every completer naming something `names` does not hold. `what` says what the names
/// are and `of` whose (for the message): "an argument", "this prompt".
pub(crate) fn check(cx: &Ctxt, completers: &[Completer], names: &[String], what: &str, of: &str) {
    for completer in completers {
        let name = completer.name.to_string();
        if names.contains(&name) {
            continue;
        }
        let message = if names.is_empty() {
            format!("`{name}` is not {what} of {of}, which has none: remove complete(...)")
        } else {
            format!(
                "`{name}` is not {what} of {of}, so it cannot be completed: complete one of {}",
                names.join(", ")
            )
        };
        cx.error_spanned_by(&completer.name, message);
    }
}

/// The `complete` and `has_completions` methods of the handler impl (nothing without
/// completers: the trait's defaults answer `None`).
pub(crate) fn methods(completers: &[Completer]) -> TokenStream {
    if completers.is_empty() {
        return TokenStream::new();
    }
    let arms = completers.iter().map(|c| {
        let name = c.name.to_string();
        let path = &c.path;
        let call = quote_spanned!(path.span()=> __qm::complete(&#path, __value, __context));
        quote!(#name => ::core::option::Option::Some(#call),)
    });
    quote! {
        fn complete(
            &self,
            __argument: &str,
            __value: &str,
            __context: &__qm::CompletionContext,
        ) -> ::core::option::Option<__qm::Vec<::std::string::String>> {
            match __argument {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }

        fn has_completions(&self) -> bool {
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn errors(cx: Ctxt) -> Vec<String> {
        cx.messages()
    }

    #[test]
    fn parses_and_checks_names() {
        let cx = Ctxt::new();
        let meta: Meta = syn::parse2(quote!(complete(a = m::f, b = g, a = h, c = 1))).unwrap();
        let completers = parse(&cx, &meta);
        assert_eq!(completers.len(), 2);
        check(
            &cx,
            &completers,
            &["a".into()],
            "an argument",
            "this prompt",
        );
        let errors = errors(cx);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(
            errors[0],
            "`a` has two completers in complete(...): keep one"
        );
        assert!(errors[1].starts_with("expected `argument = path::to::completer` in complete(...)"));
        assert_eq!(
            errors[2],
            "`b` is not an argument of this prompt, so it cannot be completed: complete one of a"
        );
    }
}
