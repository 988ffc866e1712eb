//! RFC 6570 level 1 URI templates (`users://{id}/profile`): parsing, and matching a URI back to
//! its placeholder values.

use std::fmt;
use std::str::FromStr;

use crate::error::McpError;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Var(String),
}

/// A parsed level 1 URI template: literals and `{name}` placeholders.
///
/// A placeholder matches a non-empty run of characters other than `/`, `?` and `#` (a simple
/// expansion percent-encodes those), and its value is percent-decoded.
///
/// ```
/// use quickmcp_core::UriTemplate;
///
/// let template = UriTemplate::parse("test://template/{id}/data").unwrap();
/// let vars = template.matches("test://template/12%203/data").unwrap();
/// assert_eq!(vars.get("id"), Some("12 3"));
/// assert!(template.matches("test://template/1/2/data").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriTemplate {
    source: String,
    parts: Vec<Part>,
}

/// The placeholder values of a URI that matched a template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UriVars {
    pairs: Vec<(String, String)>,
}

impl UriVars {
    /// The decoded value of placeholder `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Parses placeholder `name` with `FromStr`; a bad value is `-32602` naming it.
    pub fn parse<T>(&self, name: &str) -> Result<T, McpError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let value = self.get(name).ok_or_else(|| {
            McpError::invalid_params(format!("the URI has no value for `{{{name}}}`"))
        })?;
        value.parse().map_err(|e| {
            McpError::invalid_params(format!(
                "invalid value `{value}` for `{{{name}}}` in the URI: {e}"
            ))
        })
    }
}

impl UriTemplate {
    /// Parses `source`; operators (`{+x}`, `{?x}`...), lists and modifiers are level 2 and
    /// beyond, and refused.
    pub fn parse(source: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            if rest[..open].contains('}') {
                return Err("a `}` has no matching `{`".into());
            }
            if open > 0 {
                parts.push(Part::Literal(rest[..open].into()));
            } else if matches!(parts.last(), Some(Part::Var(_))) {
                return Err("two placeholders must be separated by literal text".into());
            }
            let close = rest[open..].find('}').ok_or("a `{` has no matching `}`")? + open;
            let name = &rest[open + 1..close];
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            {
                return Err(format!(
                    "`{{{name}}}` is not a level 1 placeholder: use `{{name}}` with letters, digits and `_`"
                ));
            }
            if parts.iter().any(|p| matches!(p, Part::Var(v) if v == name)) {
                return Err(format!("the placeholder `{{{name}}}` appears twice"));
            }
            parts.push(Part::Var(name.into()));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err("a `}` has no matching `{`".into());
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.into()));
        }
        Ok(Self {
            source: source.into(),
            parts,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The placeholder names, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// The placeholder values if `uri` is an expansion of this template.
    pub fn matches(&self, uri: &str) -> Option<UriVars> {
        let mut vars = UriVars::default();
        let mut rest = uri;
        let mut parts = self.parts.iter().peekable();
        while let Some(part) = parts.next() {
            match part {
                Part::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
                Part::Var(name) => {
                    let end = match parts.peek() {
                        Some(Part::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.len(),
                    };
                    let raw = &rest[..end];
                    if raw.is_empty() || raw.contains(['/', '?', '#']) {
                        return None;
                    }
                    vars.pairs.push((name.clone(), percent_decode(raw)?));
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(vars)
    }
}

fn percent_decode(raw: &str) -> Option<String> {
    if !raw.contains('%') {
        return Some(raw.to_owned());
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_level_one_only() {
        let t = UriTemplate::parse("a://{x}/b/{y_1}").unwrap();
        assert_eq!(t.variables().collect::<Vec<_>>(), ["x", "y_1"]);
        for bad in [
            "a://{+x}",
            "a://{x",
            "a://x}",
            "a://{}",
            "a://{x}{y}",
            "a://{x}/{x}",
        ] {
            assert!(UriTemplate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn matches_and_decodes() {
        let t = UriTemplate::parse("test://template/{id}/data").unwrap();
        assert_eq!(
            t.matches("test://template/123/data").unwrap().get("id"),
            Some("123")
        );
        assert!(t.matches("test://template//data").is_none());
        assert!(t.matches("test://template/123/data/more").is_none());
        assert!(t.matches("test://other/123/data").is_none());
        let t = UriTemplate::parse("files://{dir}/{name}").unwrap();
        let vars = t.matches("files://src/m%C3%A9moire.rs").unwrap();
        assert_eq!(vars.get("dir"), Some("src"));
        assert_eq!(vars.get("name"), Some("mémoire.rs"));
        assert!(t.matches("files://src/a%zz").is_none());
    }

    #[test]
    fn parses_values_naming_the_placeholder() {
        let t = UriTemplate::parse("n://{n}").unwrap();
        let vars = t.matches("n://abc").unwrap();
        let error = vars.parse::<u32>("n").unwrap_err();
        assert_eq!(error.code, -32602);
        assert!(error.message.contains("`{n}`"), "{}", error.message);
        assert_eq!(t.matches("n://42").unwrap().parse::<u32>("n").unwrap(), 42);
    }

    /// `value` percent-encoded as a URI expansion writes it (everything but unreserved).
    fn encode(value: &str) -> String {
        value
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    proptest::proptest! {
        /// Expanding a template with any values and matching the result gives the values
        /// back (literals after a placeholder start with `/` or `:`, which an expansion
        /// always encodes).
        #[test]
        fn expand_then_match_gives_the_values_back(
            head in "[a-z]{1,6}://",
            pieces in proptest::collection::vec(("[/:][a-z/]{0,5}", ".{1,12}"), 1..4),
        ) {
            let mut template = head.clone();
            let mut uri = head;
            for (i, (literal, value)) in pieces.iter().enumerate() {
                if i > 0 {
                    template.push_str(literal);
                    uri.push_str(literal);
                }
                template.push_str(&format!("{{v{i}}}"));
                uri.push_str(&encode(value));
            }
            let parsed = UriTemplate::parse(&template).unwrap();
            let vars = parsed.matches(&uri);
            proptest::prop_assert!(vars.is_some(), "{} does not match {}", uri, template);
            let vars = vars.unwrap();
            for (i, (_, value)) in pieces.iter().enumerate() {
                proptest::prop_assert_eq!(vars.get(&format!("v{i}")), Some(value.as_str()));
            }
        }

        /// Any template text parses or is refused, and any URI matches or not: never a panic.
        #[test]
        fn any_template_and_uri_are_handled(template in ".{0,30}", uri in ".{0,30}") {
            if let Ok(parsed) = UriTemplate::parse(&template) {
                let _ = parsed.matches(&uri);
            }
        }
    }
}
