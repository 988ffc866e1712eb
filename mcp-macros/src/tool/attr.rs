//! The attributes' arguments: `#[tool(...)]` and `#[arg(...)]`, plus the key/value helpers
//! `#[tools(...)]` and `#[custom_route(...)]` share.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitBool, LitStr, Meta, MetaList, Path, Token};

use crate::ctxt::Ctxt;
use crate::policy::{self, Policy};

/// The keys `#[tool(...)]` accepts, for error messages.
const TOOL_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "read_only",
    "destructive",
    "idempotent",
    "open_world",
    "icons",
    "tags",
    "input_schema",
    "task",
    "defer_task",
    "blocking",
    "timeout",
    "scopes",
    "crate",
];

/// How `#[tool(...)]` looks, for syntax errors.
const TOOL_USAGE: &str =
    "#[tool(key = value, ...)], e.g. #[tool(name = \"get_weather\", read_only)]";

/// The keys `#[arg(...)]` accepts.
const ARG_KEYS: &[&str] = &["description", "rename", "header"];

/// How `#[arg(...)]` looks, for syntax errors.
const ARG_USAGE: &str = "#[arg(description = \"...\", rename = \"...\", header = \"...\")]";

/// `#[tool(...)]`: everything is optional.
#[derive(Default)]
pub(crate) struct ToolAttr {
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) read_only: Option<LitBool>,
    pub(crate) destructive: Option<LitBool>,
    pub(crate) idempotent: Option<LitBool>,
    pub(crate) open_world: Option<LitBool>,
    pub(crate) icons: Vec<LitStr>,
    /// `tags = ["admin"]`: server-side labels.
    pub(crate) tags: Vec<LitStr>,
    /// `input_schema = path`: a fn returning the schema (`Value` or JSON text).
    pub(crate) input_schema: Option<Path>,
    /// `task = "optional" | "required"`: the tool may run as a task (tasks extension).
    pub(crate) task: Option<LitStr>,
    /// `defer_task`: the body becomes a task only when it calls `ctx.start_task()`.
    pub(crate) defer_task: Option<LitBool>,
    /// `blocking` (when not `= false`): the key as written, for spans. The sync body runs on
    /// tokio's blocking pool.
    pub(crate) blocking: Option<Path>,
    /// `timeout = "30s"`, `scopes = ["files:read"]`.
    pub(crate) policy: Policy,
    pub(crate) krate: Option<Path>,
}

impl ToolAttr {
    /// Parses the tokens inside `#[tool(...)]`, reporting every bad key to `cx`.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        Self::from_metas(cx, metas(cx, tokens, TOOL_USAGE))
    }

    fn from_metas(cx: &Ctxt, metas: Vec<Meta>) -> Self {
        let mut attr = Self::default();
        for_each_key(cx, "#[tool]", TOOL_KEYS, metas, |key, meta| match key {
            "name" => attr.name = string(cx, meta, "name = \"get_weather\""),
            "title" => attr.title = string(cx, meta, "title = \"Get the weather\""),
            "description" => {
                attr.description = string(cx, meta, "description = \"What the tool does.\"")
            }
            "read_only" => attr.read_only = flag(cx, meta),
            "destructive" => attr.destructive = flag(cx, meta),
            "idempotent" => attr.idempotent = flag(cx, meta),
            "open_world" => attr.open_world = flag(cx, meta),
            "icons" => attr.icons = strings(cx, meta, "icons = [\"https://example.com/icon.png\"]"),
            "tags" => attr.tags = tags(cx, meta),
            "input_schema" => attr.input_schema = fn_path(cx, meta),
            "task" => attr.task = task_support(cx, meta),
            "defer_task" => attr.defer_task = flag(cx, meta),
            "blocking" => {
                let on = flag(cx, meta).is_some_and(|flag| flag.value);
                attr.blocking = on.then(|| meta.path().clone());
            }
            "timeout" => attr.policy.timeout = policy::timeout(cx, meta),
            "scopes" => attr.policy.scopes = policy::scopes(cx, meta),
            "crate" => attr.krate = crate_path(cx, meta),
            _ => {}
        });
        attr
    }

    /// Parses a `#[tool]` attribute found on a method inside `#[tools]`.
    pub(crate) fn from_attribute(cx: &Ctxt, attr: &Attribute) -> Self {
        match &attr.meta {
            Meta::Path(_) => Self::default(),
            Meta::List(list) => Self::from_metas(cx, list_metas(cx, list, TOOL_USAGE)),
            Meta::NameValue(_) => {
                cx.error_spanned_by(attr, "write #[tool] or #[tool(key = value, ...)]");
                Self::default()
            }
        }
    }
}

/// `#[arg(...)]` on a parameter.
#[derive(Default)]
pub(crate) struct ArgAttr {
    pub(crate) description: Option<LitStr>,
    pub(crate) rename: Option<LitStr>,
    /// `header = "Region"`: mirror the argument into `Mcp-Param-Region` (`x-mcp-header`).
    pub(crate) header: Option<LitStr>,
}

impl ArgAttr {
    /// Merges every `#[arg(...)]` of one parameter.
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut metas = Vec::new();
        for attr in attrs {
            match &attr.meta {
                Meta::List(list) => metas.extend(list_metas(cx, list, ARG_USAGE)),
                _ => cx.error_spanned_by(attr, "#[arg] needs keys: write #[arg(description = \"...\")] or #[arg(rename = \"...\")]"),
            }
        }
        let mut arg = Self::default();
        for_each_key(cx, "#[arg]", ARG_KEYS, metas, |key, meta| match key {
            "description" => {
                arg.description = string(cx, meta, "description = \"What the argument means.\"")
            }
            "rename" => arg.rename = string(cx, meta, "rename = \"query\""),
            "header" => arg.header = string(cx, meta, "header = \"Region\""),
            _ => {}
        });
        if let Some(rename) = arg.rename.as_ref().filter(|r| r.value().is_empty()) {
            cx.error_spanned_by(
                rename,
                "`rename` cannot be empty: give the argument's JSON name, e.g. rename = \"query\"",
            );
        }
        arg
    }
}

/// Whether `attr` is `#[arg(...)]`.
pub(crate) fn is_arg(attr: &Attribute) -> bool {
    attr.path().is_ident("arg")
}

/// Whether `attr` is `#[tool]` (or a path ending in `tool`, such as `#[quickmcp::tool]`).
pub(crate) fn is_tool(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "tool")
}

/// The comma-separated `key`, `key = value` list of an attribute; a syntax error says what
/// the attribute looks like (`usage`).
pub(crate) fn metas(cx: &Ctxt, tokens: TokenStream, usage: &str) -> Vec<Meta> {
    match Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens) {
        Ok(metas) => metas.into_iter().collect(),
        Err(error) => {
            cx.syn_error(syntax_error(&error, usage));
            Vec::new()
        }
    }
}

/// The same, for an attribute inside the item: a syntax error at the end points at its `)`.
fn list_metas(cx: &Ctxt, list: &MetaList, usage: &str) -> Vec<Meta> {
    match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
        Ok(metas) => metas.into_iter().collect(),
        Err(error) => {
            cx.syn_error(syntax_error(&error, usage));
            Vec::new()
        }
    }
}

/// syn's parse error, at its span, followed by how to write the attribute.
pub(crate) fn syntax_error(error: &syn::Error, usage: &str) -> syn::Error {
    syn::Error::new(error.span(), format!("{error}: write {usage}"))
}

/// Calls `each` with every known key and its meta, in source order, reporting unknown and
/// repeated keys in their place: every problem of an attribute comes out in the order written.
pub(crate) fn for_each_key(
    cx: &Ctxt,
    attribute: &str,
    keys: &[&str],
    metas: Vec<Meta>,
    mut each: impl FnMut(&str, &Meta),
) {
    let mut seen: Vec<String> = Vec::new();
    for meta in metas {
        let key = meta
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !keys.contains(&key.as_str()) {
            let written = quote::ToTokens::to_token_stream(meta.path())
                .to_string()
                .replace(' ', "");
            let expected = keys.join(", ");
            cx.error_spanned_by(
                meta.path(),
                format!("unknown key `{written}` in {attribute}: expected one of {expected}"),
            );
        } else if seen.contains(&key) {
            cx.error_spanned_by(
                meta.path(),
                format!("`{key}` is given twice in {attribute}: keep one"),
            );
        } else {
            each(&key, &meta);
            seen.push(key);
        }
    }
}

/// `key = "text"`.
pub(crate) fn string(cx: &Ctxt, meta: &Meta, example: &str) -> Option<LitStr> {
    if let Meta::NameValue(nv) = meta {
        if let Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) = &nv.value
        {
            return Some(lit.clone());
        }
    }
    cx.error_spanned_by(meta, format!("expected a string literal: write {example}"));
    None
}

/// `task = "optional" | "required"`.
fn task_support(cx: &Ctxt, meta: &Meta) -> Option<LitStr> {
    let lit = string(cx, meta, "task = \"optional\" or task = \"required\"")?;
    if matches!(lit.value().as_str(), "optional" | "required") {
        return Some(lit);
    }
    cx.error_spanned_by(
        &lit,
        format!(
            "unknown task support `{}`: write task = \"optional\" (a task when the client supports tasks) or task = \"required\" (always a task); leave `task` out for a plain tool",
            lit.value()
        ),
    );
    None
}

/// `key` (true) or `key = true|false`.
fn flag(cx: &Ctxt, meta: &Meta) -> Option<LitBool> {
    match meta {
        Meta::Path(path) => return Some(LitBool::new(true, syn::spanned::Spanned::span(path))),
        Meta::NameValue(nv) => {
            if let Expr::Lit(ExprLit {
                lit: Lit::Bool(lit),
                ..
            }) = &nv.value
            {
                return Some(lit.clone());
            }
        }
        Meta::List(_) => {}
    }
    let key = quote::ToTokens::to_token_stream(meta.path());
    cx.error_spanned_by(
        meta,
        format!("`{key}` is a flag: write `{key}` or `{key} = false`"),
    );
    None
}

/// `key = ["a", "b"]`.
pub(crate) fn strings(cx: &Ctxt, meta: &Meta, example: &str) -> Vec<LitStr> {
    if let Meta::NameValue(nv) = meta {
        if let Expr::Array(array) = &nv.value {
            let lits: Option<Vec<LitStr>> = array
                .elems
                .iter()
                .map(|e| match e {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(lit), ..
                    }) => Some(lit.clone()),
                    _ => None,
                })
                .collect();
            if let Some(lits) = lits {
                return lits;
            }
        }
    }
    cx.error_spanned_by(
        meta,
        format!("expected a list of string literals: write {example}"),
    );
    Vec::new()
}

/// `tags = ["admin", "beta"]`: string literals, none empty.
pub(crate) fn tags(cx: &Ctxt, meta: &Meta) -> Vec<LitStr> {
    let tags = strings(cx, meta, "tags = [\"admin\", \"beta\"]");
    for tag in tags.iter().filter(|t| t.value().trim().is_empty()) {
        cx.error_spanned_by(
            tag,
            "a tag cannot be empty: write a word, e.g. tags = [\"admin\"]",
        );
    }
    tags
}

/// `input_schema = path::to::schema_fn`.
fn fn_path(cx: &Ctxt, meta: &Meta) -> Option<Path> {
    if let Meta::NameValue(nv) = meta {
        if let Expr::Path(p) = &nv.value {
            if p.qself.is_none() {
                return Some(p.path.clone());
            }
        }
    }
    cx.error_spanned_by(
        meta,
        "expected the path of a function returning the schema: write input_schema = my_schema, where \
         `fn my_schema() -> serde_json::Value` (or `-> &'static str` to serve JSON text as written)",
    );
    None
}

/// `crate = path::to::quickmcp` (or the path as a string, as serde accepts).
pub(crate) fn crate_path(cx: &Ctxt, meta: &Meta) -> Option<Path> {
    if let Meta::NameValue(nv) = meta {
        match &nv.value {
            Expr::Path(p) if p.qself.is_none() => return Some(p.path.clone()),
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => {
                if let Ok(path) = lit.parse::<Path>() {
                    return Some(path);
                }
            }
            _ => {}
        }
    }
    cx.error_spanned_by(meta, "expected the path to the quickmcp crate: write crate = ::quickmcp (or your re-export of it)");
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
        let attr = ToolAttr::parse(
            &cx,
            quote!(
                name = "n",
                title = "T",
                description = "D",
                read_only,
                destructive = false,
                idempotent = true,
                open_world,
                icons = ["a", "b"],
                tags = ["admin", "beta"],
                blocking,
                timeout = "90s",
                scopes = ["files:read"],
                crate = ::qm
            ),
        );
        assert!(errors(cx).is_empty());
        assert!(attr.blocking.is_some());
        assert_eq!(attr.policy.timeout, Some(90_000));
        assert_eq!(attr.policy.scopes[0].value(), "files:read");
        assert_eq!(attr.name.unwrap().value(), "n");
        assert_eq!(attr.title.unwrap().value(), "T");
        assert_eq!(attr.description.unwrap().value(), "D");
        assert!(attr.read_only.unwrap().value);
        assert!(!attr.destructive.unwrap().value);
        assert!(attr.idempotent.unwrap().value);
        assert!(attr.open_world.unwrap().value);
        assert_eq!(attr.icons.len(), 2);
        let tags: Vec<String> = attr.tags.iter().map(LitStr::value).collect();
        assert_eq!(tags, ["admin", "beta"]);
        assert_eq!(
            quote::ToTokens::to_token_stream(&attr.krate.unwrap()).to_string(),
            ":: qm"
        );
    }

    #[test]
    fn reports_every_bad_key() {
        let cx = Ctxt::new();
        ToolAttr::parse(
            &cx,
            quote!(
                nme = "x",
                read_only = 1,
                name = "a",
                name = "b",
                icons = "x"
            ),
        );
        let errors = errors(cx);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("unknown key `nme` in #[tool]: expected one of name, title"));
        assert_eq!(
            errors[1],
            "`read_only` is a flag: write `read_only` or `read_only = false`"
        );
        assert_eq!(errors[2], "`name` is given twice in #[tool]: keep one");
        assert!(errors[3].starts_with("expected a list of string literals"));
    }

    #[test]
    fn syntax_errors_say_how_to_write_the_attribute() {
        let cx = Ctxt::new();
        ToolAttr::parse(&cx, quote!(name = ));
        let errors = errors(cx);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].ends_with(
            ": write #[tool(key = value, ...)], e.g. #[tool(name = \"get_weather\", read_only)]"
        ));
    }

    #[test]
    fn tags_are_non_empty_strings() {
        let cx = Ctxt::new();
        ToolAttr::parse(&cx, quote!(tags = "admin"));
        ToolAttr::parse(&cx, quote!(tags = [admin]));
        ToolAttr::parse(&cx, quote!(tags = ["ok", " "]));
        let errors = errors(cx);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("expected a list of string literals: write tags = ["));
        assert!(errors[1].starts_with("expected a list of string literals"));
        assert!(errors[2].starts_with("a tag cannot be empty"));
    }

    #[test]
    fn blocking_is_a_flag() {
        let cx = Ctxt::new();
        assert!(ToolAttr::parse(&cx, quote!(blocking = true))
            .blocking
            .is_some());
        assert!(ToolAttr::parse(&cx, quote!(blocking = false))
            .blocking
            .is_none());
        assert!(ToolAttr::parse(&cx, quote!()).blocking.is_none());
        assert!(errors(cx).is_empty());
        let cx = Ctxt::new();
        assert!(ToolAttr::parse(&cx, quote!(blocking = "yes"))
            .blocking
            .is_none());
        assert_eq!(
            errors(cx),
            ["`blocking` is a flag: write `blocking` or `blocking = false`"]
        );
    }

    #[test]
    fn crate_accepts_a_string() {
        let cx = Ctxt::new();
        let attr = ToolAttr::parse(&cx, quote!(crate = "my::qm"));
        assert!(errors(cx).is_empty());
        assert!(attr.krate.is_some());
    }

    #[test]
    fn input_schema_takes_a_function_path() {
        let cx = Ctxt::new();
        let attr = ToolAttr::parse(&cx, quote!(input_schema = schemas::search));
        assert!(errors(cx).is_empty());
        assert!(attr.input_schema.is_some());
        let cx = Ctxt::new();
        ToolAttr::parse(&cx, quote!(input_schema = "{}"));
        let errors = errors(cx);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("expected the path of a function returning the schema"));
    }
}
