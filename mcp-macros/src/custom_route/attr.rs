//! `#[custom_route("/path", methods = ["GET", ..], crate = path)]`.

use proc_macro2::{Ident, Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Lit, LitStr, Meta, Path, Token};

use crate::ctxt::Ctxt;
use crate::tool::attr;

/// The methods axum's `MethodFilter` knows.
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

const USAGE: &str = "#[custom_route(\"/health\", methods = [\"GET\"])]";

/// The route's path, methods (`MethodFilter` constant names) and crate path.
pub(crate) struct RouteAttr {
    pub(crate) path: Option<LitStr>,
    pub(crate) methods: Vec<Ident>,
    pub(crate) krate: Option<Path>,
}

impl RouteAttr {
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        let mut route = Self {
            path: None,
            methods: Vec::new(),
            krate: None,
        };
        let (path, rest) = match split_path.parse2(tokens) {
            Ok(parts) => parts,
            Err(error) => {
                cx.syn_error(error);
                return route;
            }
        };
        route.path = check_path(cx, path);
        let mut methods = None;
        for (key, meta) in attr::keyed(
            cx,
            "#[custom_route]",
            &["methods", "crate"],
            attr::metas(cx, rest),
        ) {
            match key.as_str() {
                "methods" => methods = Some(parse_methods(cx, &meta)),
                "crate" => route.krate = attr::crate_path(cx, &meta),
                _ => {}
            }
        }
        route.methods = methods.unwrap_or_else(|| vec![Ident::new("GET", Span::call_site())]);
        route
    }
}

/// The leading literal (if any), and the `key = value` list after it.
fn split_path(input: ParseStream<'_>) -> syn::Result<(Option<Lit>, TokenStream)> {
    let mut path = None;
    if input.peek(Lit) {
        path = Some(input.parse()?);
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok((path, input.parse()?))
}

fn check_path(cx: &Ctxt, path: Option<Lit>) -> Option<LitStr> {
    let message = format!("expected the route's path first, as a string literal: {USAGE}");
    let path = match path {
        Some(Lit::Str(path)) => path,
        Some(other) => {
            cx.error_spanned_by(other, message);
            return None;
        }
        None => {
            cx.syn_error(syn::Error::new(Span::call_site(), message));
            return None;
        }
    };
    let value = path.value();
    if !value.starts_with('/') {
        cx.error_spanned_by(
            &path,
            format!("a route path starts with `/`: write \"/{value}\""),
        );
    } else if value
        .split('/')
        .any(|segment| segment.starts_with(':') || segment.starts_with('*'))
    {
        cx.error_spanned_by(
            &path,
            "axum 0.8 writes path parameters in braces: write `/{id}` and `/{*rest}`, not `/:id` and `/*rest`",
        );
    }
    Some(path)
}

/// `methods = ["GET", "post", ..]`, checked and upper-cased.
fn parse_methods(cx: &Ctxt, meta: &Meta) -> Vec<Ident> {
    let example = "methods = [\"GET\", \"POST\"]";
    let lits = attr::strings(cx, meta, example);
    let is_empty_list = matches!(meta, Meta::NameValue(nv) if matches!(&nv.value, Expr::Array(a) if a.elems.is_empty()));
    if is_empty_list {
        cx.error_spanned_by(
            meta,
            format!("`methods` is empty: list at least one, e.g. {example}"),
        );
    }
    let mut methods = Vec::new();
    for lit in lits {
        let method = lit.value().to_ascii_uppercase();
        if METHODS.contains(&method.as_str()) {
            methods.push(Ident::new(&method, lit.span()));
        } else {
            cx.error_spanned_by(
                &lit,
                format!(
                    "unknown HTTP method `{}`: expected one of {}",
                    lit.value(),
                    METHODS.join(", ")
                ),
            );
        }
    }
    methods
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(tokens: TokenStream) -> (RouteAttr, Vec<String>) {
        let cx = Ctxt::new();
        let attr = RouteAttr::parse(&cx, tokens);
        let errors = cx
            .check()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        (attr, errors)
    }

    #[test]
    fn methods_default_to_get_and_ignore_case() {
        let (attr, errors) = parse(quote!("/health"));
        assert!(errors.is_empty());
        assert_eq!(attr.methods[0], "GET");
        let (attr, errors) = parse(quote!("/x", methods = ["post", "Delete"]));
        assert!(errors.is_empty());
        assert_eq!(attr.methods, ["POST", "DELETE"]);
    }

    #[test]
    fn reports_every_problem() {
        let (_, errors) = parse(quote!("health", methods = ["FETCH"], verb = "x"));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0], "a route path starts with `/`: write \"/health\"");
        assert!(errors[1].starts_with("unknown HTTP method `FETCH`"));
        assert!(errors[2].starts_with("unknown key `verb` in #[custom_route]"));
    }
}
