//! `#[prompt(...)]`: everything is optional.

use proc_macro2::TokenStream;
use syn::{LitStr, Path};

use crate::complete::{self, Completer};
use crate::ctxt::Ctxt;
use crate::policy::{self, Policy};
use crate::tool::attr::{crate_path, for_each_key, metas, string, strings, tags};

const PROMPT_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "icons",
    "tags",
    "complete",
    "timeout",
    "scopes",
    "crate",
];

/// How `#[prompt(...)]` looks, for syntax errors.
const PROMPT_USAGE: &str = "#[prompt(key = value, ...)], e.g. #[prompt(name = \"code_review\")]";

/// Everything `#[prompt(...)]` says.
#[derive(Default)]
pub(crate) struct PromptAttr {
    pub(crate) name: Option<LitStr>,
    pub(crate) title: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) icons: Vec<LitStr>,
    pub(crate) tags: Vec<LitStr>,
    pub(crate) complete: Vec<Completer>,
    /// `timeout = "30s"`, `scopes = ["files:read"]`.
    pub(crate) policy: Policy,
    pub(crate) krate: Option<Path>,
}

impl PromptAttr {
    /// Parses the tokens inside `#[prompt(...)]`, reporting every bad key to `cx`.
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        let mut attr = Self::default();
        let metas = metas(cx, tokens, PROMPT_USAGE);
        for_each_key(cx, "#[prompt]", PROMPT_KEYS, metas, |key, meta| match key {
            "name" => attr.name = string(cx, meta, "name = \"code_review\""),
            "title" => attr.title = string(cx, meta, "title = \"Review code\""),
            "description" => {
                attr.description = string(cx, meta, "description = \"What the prompt is for.\"")
            }
            "icons" => attr.icons = strings(cx, meta, "icons = [\"https://example.com/icon.png\"]"),
            "tags" => attr.tags = tags(cx, meta),
            "complete" => attr.complete = complete::parse(cx, meta),
            "timeout" => attr.policy.timeout = policy::timeout(cx, meta),
            "scopes" => attr.policy.scopes = policy::scopes(cx, meta),
            "crate" => attr.krate = crate_path(cx, meta),
            _ => {}
        });
        attr
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
    fn parses_every_key() {
        let cx = Ctxt::new();
        let attr = PromptAttr::parse(
            &cx,
            quote!(
                name = "n",
                title = "T",
                description = "D",
                icons = ["i"],
                tags = ["admin"],
                complete(a = f),
                timeout = "500ms",
                crate = ::qm
            ),
        );
        assert!(errors(cx).is_empty());
        assert_eq!(attr.policy.timeout, Some(500));
        assert_eq!(attr.name.unwrap().value(), "n");
        assert_eq!(attr.complete.len(), 1);
        assert_eq!(attr.tags[0].value(), "admin");
        assert!(attr.krate.is_some());
    }

    #[test]
    fn reports_bad_keys() {
        let cx = Ctxt::new();
        PromptAttr::parse(&cx, quote!(nam = "x", title = 1));
        let errors = errors(cx);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown key `nam` in #[prompt]: expected one of name, title")
        );
        assert_eq!(
            errors[1],
            "expected a string literal: write title = \"Review code\""
        );
    }
}
