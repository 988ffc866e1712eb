//! `#[resource("uri", ...)]`: the URI first, then keys.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, ExprLit, Lit, LitStr, Meta, Path, Token};

use crate::complete::{self, nested_metas, Completer};
use crate::ctxt::Ctxt;
use crate::policy::{self, Policy};
use crate::tool::attr::{crate_path, for_each_key, string, strings, syntax_error, tags};

const RESOURCE_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "mime_type",
    "icons",
    "tags",
    "annotations",
    "complete",
    "ttl_ms",
    "cache_scope",
    "timeout",
    "scopes",
    "crate",
];
const ANNOTATION_KEYS: &[&str] = &["audience", "priority"];

/// How `#[resource(...)]` looks, for syntax errors.
const RESOURCE_USAGE: &str =
    "#[resource(\"scheme://path\", key = value, ...)], e.g. #[resource(\"docs://readme\", \
                              mime_type = \"text/markdown\")]";

/// How `annotations(...)` looks, for syntax errors.
const ANNOTATIONS_USAGE: &str = "annotations(audience = [\"user\"], priority = 0.5)";

/// Everything `#[resource(...)]` says.
#[derive(Default)]
pub(crate) struct ResourceAttr {
    pub(crate) uri: Option<LitStr>,
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) mime_type: Option<LitStr>,
    pub(crate) icons: Vec<LitStr>,
    pub(crate) tags: Vec<LitStr>,
    pub(crate) audience: Vec<LitStr>,
    /// `priority` as written, checked to be within 0..=1.
    pub(crate) priority: Option<f64>,
    pub(crate) complete: Vec<Completer>,
    /// `ttl_ms = 60000`: `ttlMs` of its `resources/read` results (2026-07-28).
    pub(crate) ttl_ms: Option<u64>,
    /// `cache_scope = "public" | "private"`: their `cacheScope`.
    pub(crate) cache_scope: Option<CacheScopeAttr>,
    /// `timeout = "30s"`, `scopes = ["files:read"]`.
    pub(crate) policy: Policy,
    pub(crate) krate: Option<Path>,
}

/// The `cacheScope` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CacheScopeAttr {
    Public,
    Private,
}

impl ResourceAttr {
    /// Parses the tokens inside `#[resource(...)]`, reporting every problem to `cx`.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        let mut attr = Self::default();
        let (uri, metas, strays) = match parse_args.parse2(tokens) {
            Ok(parsed) => parsed,
            Err(error) => {
                cx.syn_error(syntax_error(&error, RESOURCE_USAGE));
                return attr;
            }
        };
        attr.uri = uri;
        for stray in strays {
            if attr.uri.is_none() {
                let message = format!(
                    "the URI comes first in #[resource]: write #[resource({}, ...)]",
                    stray.token()
                );
                cx.error_spanned_by(&stray, message);
                attr.uri = Some(stray);
            } else {
                cx.error_spanned_by(
                    &stray,
                    "#[resource] takes one URI: remove this one, and serve it from another #[resource] function",
                );
            }
        }
        if attr.uri.is_none() {
            let message = "#[resource] needs the resource's URI first: write #[resource(\"scheme://path\")], or \
                           #[resource(\"scheme://items/{id}\")] for a template";
            cx.syn_error(syn::Error::new(Span::call_site(), message));
        }
        for_each_key(
            cx,
            "#[resource]",
            RESOURCE_KEYS,
            metas,
            |key, meta| match key {
                "name" => attr.name = string(cx, meta, "name = \"readme\""),
                "title" => attr.title = string(cx, meta, "title = \"Project readme\""),
                "description" => {
                    attr.description =
                        string(cx, meta, "description = \"What the resource holds.\"")
                }
                "mime_type" => attr.mime_type = string(cx, meta, "mime_type = \"text/markdown\""),
                "icons" => {
                    attr.icons = strings(cx, meta, "icons = [\"https://example.com/icon.png\"]")
                }
                "tags" => attr.tags = tags(cx, meta),
                "annotations" => attr.annotations(cx, meta),
                "complete" => attr.complete = complete::parse(cx, meta),
                "ttl_ms" => attr.ttl_ms = ttl_ms(cx, meta),
                "cache_scope" => attr.cache_scope = cache_scope(cx, meta),
                "timeout" => attr.policy.timeout = policy::timeout(cx, meta),
                "scopes" => attr.policy.scopes = policy::scopes(cx, meta),
                "crate" => attr.krate = crate_path(cx, meta),
                _ => {}
            },
        );
        attr
    }

    fn annotations(&mut self, cx: &Ctxt, meta: &Meta) {
        let Meta::List(list) = meta else {
            cx.error_spanned_by(
                meta,
                format!("`annotations` takes a list: write {ANNOTATIONS_USAGE}"),
            );
            return;
        };
        let metas = nested_metas(cx, list, ANNOTATIONS_USAGE);
        for_each_key(
            cx,
            "annotations(...)",
            ANNOTATION_KEYS,
            metas,
            |key, meta| {
                if key == "audience" {
                    self.audience = strings(cx, meta, "audience = [\"user\", \"assistant\"]");
                    for role in &self.audience {
                        if !["user", "assistant"].contains(&role.value().as_str()) {
                            cx.error_spanned_by(
                                role,
                                format!(
                                    "{} is not an audience: write \"user\" or \"assistant\"",
                                    role.token()
                                ),
                            );
                        }
                    }
                } else {
                    self.priority = priority(cx, meta);
                }
            },
        );
    }
}

/// `"uri"` (optional), then `key = value` metas, comma-separated; string literals after the
/// first item are returned apart (`strays`), to report them in place.
fn parse_args(input: ParseStream<'_>) -> syn::Result<(Option<LitStr>, Vec<Meta>, Vec<LitStr>)> {
    let mut uri = None;
    let mut metas = Vec::new();
    let mut strays = Vec::new();
    let mut first = true;
    while !input.is_empty() {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            if first {
                uri = Some(lit);
            } else {
                strays.push(lit);
            }
        } else {
            metas.push(input.parse()?);
        }
        first = false;
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok((uri, metas, strays))
}

/// `ttl_ms = 60000`: milliseconds, a non-negative integer.
fn ttl_ms(cx: &Ctxt, meta: &Meta) -> Option<u64> {
    if let Meta::NameValue(nv) = meta {
        if let Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) = &nv.value
        {
            if let Ok(ttl) = int.base10_parse::<u64>() {
                return Some(ttl);
            }
        }
    }
    cx.error_spanned_by(
        meta,
        "expected how many milliseconds clients may cache a read, a non-negative integer: write ttl_ms = 60000",
    );
    None
}

/// `cache_scope = "public"` or `"private"`.
fn cache_scope(cx: &Ctxt, meta: &Meta) -> Option<CacheScopeAttr> {
    let lit = string(cx, meta, "cache_scope = \"private\"")?;
    match lit.value().as_str() {
        "public" => Some(CacheScopeAttr::Public),
        "private" => Some(CacheScopeAttr::Private),
        _ => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "{} is not a cache scope: write \"public\" (any client may reuse the read) or \"private\" \
                     (only the client that asked)",
                    lit.token()
                ),
            );
            None
        }
    }
}

fn priority(cx: &Ctxt, meta: &Meta) -> Option<f64> {
    if let Meta::NameValue(nv) = meta {
        let value = match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Float(f), ..
            }) => f.base10_parse::<f64>().ok(),
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => i.base10_parse::<f64>().ok(),
            _ => None,
        };
        if let Some(value) = value.filter(|v| (0.0..=1.0).contains(v)) {
            return Some(value);
        }
    }
    cx.error_spanned_by(meta, "expected a number from 0 to 1: write priority = 0.5");
    None
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn errors(cx: Ctxt) -> Vec<String> {
        cx.messages()
    }

    #[test]
    fn parses_every_key() {
        let cx = Ctxt::new();
        let attr = ResourceAttr::parse(
            &cx,
            quote!(
                "t://{id}",
                name = "n",
                title = "T",
                description = "D",
                mime_type = "text/plain",
                icons = ["i"],
                tags = ["admin"],
                annotations(audience = ["user"], priority = 0.5),
                complete(id = c),
                ttl_ms = 60_000,
                cache_scope = "private",
                timeout = "5m",
                crate = ::qm
            ),
        );
        assert!(errors(cx).is_empty());
        assert_eq!(attr.policy.timeout, Some(300_000));
        assert_eq!(attr.ttl_ms, Some(60_000));
        assert_eq!(attr.cache_scope, Some(CacheScopeAttr::Private));
        assert_eq!(attr.uri.unwrap().value(), "t://{id}");
        assert_eq!(attr.mime_type.unwrap().value(), "text/plain");
        assert_eq!(attr.audience.len(), 1);
        assert_eq!(attr.tags[0].value(), "admin");
        assert_eq!(attr.priority, Some(0.5));
        assert_eq!(attr.complete.len(), 1);
        assert!(attr.krate.is_some());
    }

    #[test]
    fn reports_bad_input() {
        let cx = Ctxt::new();
        ResourceAttr::parse(
            &cx,
            quote!(
                name = "x",
                annotations(audience = ["robot"], priority = 2),
                mime = "x"
            ),
        );
        let errors = errors(cx);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("#[resource] needs the resource's URI first"));
        assert_eq!(
            errors[1],
            "\"robot\" is not an audience: write \"user\" or \"assistant\""
        );
        assert_eq!(
            errors[2],
            "expected a number from 0 to 1: write priority = 0.5"
        );
        assert!(
            errors[3].starts_with("unknown key `mime` in #[resource]: expected one of name, title")
        );
    }

    #[test]
    fn the_uri_comes_first_and_once() {
        let cx = Ctxt::new();
        let attr = ResourceAttr::parse(&cx, quote!(name = "n", "a://late", "a://again"));
        assert_eq!(attr.uri.unwrap().value(), "a://late");
        let errors = errors(cx);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            errors[0],
            "the URI comes first in #[resource]: write #[resource(\"a://late\", ...)]"
        );
        assert!(errors[1].starts_with("#[resource] takes one URI"));
    }
}
