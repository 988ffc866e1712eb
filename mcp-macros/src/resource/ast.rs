//! The typed model of a `#[resource]` function.

use proc_macro2::TokenStream;
use syn::Type;

use super::attr::ResourceAttr;
use crate::ctxt::Ctxt;
use crate::tool::ast::{FnParts, ItemFn, Param};

/// One `#[resource]` function, ready to validate and expand.
pub(crate) struct Resource {
    /// The function, with `#[arg]` attributes removed.
    pub(crate) item: ItemFn,
    pub(crate) attr: ResourceAttr,
    /// `name = ..`, else the function's name.
    pub(crate) name: String,
    /// `description = ..`, else the doc comment.
    pub(crate) description: Option<TokenStream>,
    pub(crate) params: Vec<Param>,
    /// The declared return type (`()` when there is none).
    pub(crate) output: Type,
    /// The URI's placeholders (empty for a static resource), or why it is not a template.
    pub(crate) placeholders: Result<Vec<String>, String>,
}

impl Resource {
    /// Builds the model, reporting attribute errors to `cx`.
    pub(crate) fn new(cx: &Ctxt, mut item: ItemFn, attr: ResourceAttr) -> Self {
        let FnParts {
            params,
            name,
            description,
            output,
        } = FnParts::new(cx, &mut item, attr.name.as_ref(), attr.description.as_ref());
        let placeholders = attr
            .uri
            .as_ref()
            .map_or(Ok(Vec::new()), |uri| placeholders(&uri.value()));
        Self {
            item,
            attr,
            name,
            description,
            params,
            output,
            placeholders,
        }
    }

    /// Whether the URI has placeholders.
    pub(crate) fn is_template(&self) -> bool {
        self.placeholders.as_ref().is_ok_and(|p| !p.is_empty())
    }
}

/// The placeholders of an RFC 6570 level 1 template, by the rules `quickmcp_core::UriTemplate`
/// applies at registration; the error says why the URI is not one, and what to write instead.
pub(crate) fn placeholders(uri: &str) -> Result<Vec<String>, String> {
    const FORM: &str = "write each placeholder as `{name}`";
    let mut names: Vec<String> = Vec::new();
    let mut rest = uri;
    while let Some(open) = rest.find('{') {
        if rest[..open].contains('}') {
            return Err(format!("a `}}` has no matching `{{`: {FORM}"));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("a `{{` has no matching `}}`: {FORM}"))?
            + open;
        let name = &rest[open + 1..close];
        if name.is_empty() {
            return Err(
                "`{}` is a placeholder without a name: write `{name}` with letters, digits and `_`"
                    .into(),
            );
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            let plain: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let plain = if plain.is_empty() { "name" } else { &plain };
            return Err(format!(
                "`{{{name}}}` is not a level 1 placeholder (operators such as `+`, `#` or `/` and modifiers such \
                 as `*` are not supported): write `{{{plain}}}`, with letters, digits and `_`"
            ));
        }
        if let (0, Some(previous)) = (open, names.last()) {
            return Err(format!(
                "the placeholders `{{{previous}}}{{{name}}}` touch: separate them with literal text, as in \
                 `{{{previous}}}/{{{name}}}`"
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(format!(
                "the placeholder `{{{name}}}` appears twice: give each placeholder its own name"
            ));
        }
        names.push(name.into());
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("a `}}` has no matching `{{`: {FORM}"));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        assert_eq!(placeholders("a://{x}/b/{y}").unwrap(), ["x", "y"]);
        assert!(placeholders("a://static").unwrap().is_empty());
        assert!(placeholders("a://{+x}").is_err());
        assert!(placeholders("a://{x}{y}").is_err());
        assert!(placeholders("a://{x").is_err());
        assert!(placeholders("a://{x}/{x}").is_err());
    }

    #[test]
    fn says_why_and_what_to_write() {
        let why = |uri| placeholders(uri).unwrap_err();
        assert_eq!(
            why("a://{x}{y}"),
            "the placeholders `{x}{y}` touch: separate them with literal text, as in `{x}/{y}`"
        );
        assert!(why("a://{+path}").ends_with("write `{path}`, with letters, digits and `_`"));
        assert!(why("a://{}").starts_with("`{}` is a placeholder without a name"));
        assert!(why("a://x}").starts_with("a `}` has no matching `{`"));
        assert!(why("a://{x}/{x}").ends_with("give each placeholder its own name"));
        assert_eq!(placeholders("{scheme}://{a.b}").unwrap(), ["scheme", "a.b"]);
    }
}
