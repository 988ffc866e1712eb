//! The keys `#[tool]`, `#[resource]` and `#[prompt]` share about what an operation asks of the
//! engine, not what clients are shown: `timeout = "30s"` and `scopes = ["files:read"]`. Parsed
//! and checked here, expanded into the definition's builder calls.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Expr, ExprLit, Lit, LitStr, Meta};

use crate::ctxt::Ctxt;
use crate::tool::attr::strings;

/// The forms a duration takes, for error messages.
const DURATION_FORMS: &str =
    "an integer followed by ms, s, m or h, e.g. \"500ms\", \"30s\", \"5m\" or \"1h\"";

/// Everything the shared keys said.
#[derive(Default)]
pub(crate) struct Policy {
    /// `timeout = "30s"`, in milliseconds.
    pub(crate) timeout: Option<u64>,
    /// `scopes = ["files:read"]`: valid, distinct scope tokens.
    pub(crate) scopes: Vec<LitStr>,
}

impl Policy {
    /// The builder calls that put the policy on a definition: `.timeout(..)`, `.scopes(..)`.
    pub(crate) fn builders(&self) -> TokenStream {
        let timeout = self.timeout.map(|ms| {
            let ms = Literal::u64_suffixed(ms);
            quote!(.timeout(::core::time::Duration::from_millis(#ms)))
        });
        let scopes = &self.scopes;
        let scopes = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
        quote!(#timeout #scopes)
    }
}

/// `timeout = "30s"`: a positive duration.
pub(crate) fn timeout(cx: &Ctxt, meta: &Meta) -> Option<u64> {
    let message = format!("expected a duration string: write timeout = \"30s\", {DURATION_FORMS}");
    let lit = match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => lit,
            // At the value written instead.
            other => {
                cx.error_spanned_by(other, message);
                return None;
            }
        },
        _ => {
            cx.error_spanned_by(meta, message);
            return None;
        }
    };
    match duration_ms(&lit.value()) {
        Ok(ms) => Some(ms),
        Err(problem) => {
            report(cx, lit, &problem);
            None
        }
    }
}

/// `scopes = ["files:read", "files:write"]`: RFC 6749 scope tokens, each given once. Every
/// problem is reported at its literal; the valid ones are kept.
pub(crate) fn scopes(cx: &Ctxt, meta: &Meta) -> Vec<LitStr> {
    let mut kept: Vec<LitStr> = Vec::new();
    for scope in strings(cx, meta, "scopes = [\"files:read\", \"files:write\"]") {
        let text = scope.value();
        if let Some(problem) = scope_problem(&text) {
            cx.error_spanned_by(&scope, problem);
        } else if kept.iter().any(|k| k.value() == text) {
            cx.error_spanned_by(
                &scope,
                format!("the scope `{text}` is given twice: keep one"),
            );
        } else {
            kept.push(scope);
        }
    }
    kept
}

/// What is wrong with `scope` as an RFC 6749 `scope-token` (`1*( %x21 / %x23-5B / %x5D-7E )`),
/// as `quickmcp_core`'s `.scopes(..)` builder checks it, and what to write instead.
fn scope_problem(scope: &str) -> Option<String> {
    const RULE: &str =
        "a scope is printable ASCII without spaces, `\"` or `\\` (an RFC 6749 scope token)";
    if scope.is_empty() {
        return Some(
            "a scope cannot be empty: write an OAuth scope, e.g. scopes = [\"files:read\"]".into(),
        );
    }
    let bad = scope
        .chars()
        .find(|&c| !matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E'))?;
    if bad == ' ' {
        let each: Vec<String> = scope.split_whitespace().map(|s| format!("{s:?}")).collect();
        return Some(format!(
            "`{scope}` holds a space, and {RULE}: to require several scopes, list each one, as in \
             scopes = [{}]",
            each.join(", ")
        ));
    }
    // Visible characters as written, the others escaped.
    let bad = if bad.is_control() || bad.is_whitespace() {
        format!("{bad:?}")
    } else {
        format!("`{bad}`")
    };
    Some(format!("`{scope}` holds {bad}, and {RULE}: remove it"))
}

fn report(cx: &Ctxt, lit: &LitStr, problem: &DurationProblem) {
    let text = lit.value();
    let message = match problem {
        DurationProblem::Form => {
            format!("`{text}` is not a duration: write {DURATION_FORMS}")
        }
        DurationProblem::Zero => format!(
            "a timeout of `{text}` would fail every call: give a positive duration, e.g. \"30s\", or remove `timeout`"
        ),
        DurationProblem::TooLong => format!(
            "`{text}` is too long for a timeout: remove `timeout` for no limit of its own, or write a shorter duration, e.g. \"1h\""
        ),
    };
    cx.error_spanned_by(lit, message);
}

/// Why a duration string is rejected.
#[derive(Debug, PartialEq, Eq)]
enum DurationProblem {
    /// Not digits then one of the units.
    Form,
    Zero,
    /// More milliseconds than a `u64` holds.
    TooLong,
}

/// `"500ms"`, `"30s"`, `"5m"`, `"1h"` in milliseconds: ASCII digits, then a unit, nothing
/// else (no sign, space, fraction or `_`).
fn duration_ms(text: &str) -> Result<u64, DurationProblem> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or(DurationProblem::Form)?;
    let (digits, unit) = text.split_at(split);
    let per_unit: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(DurationProblem::Form),
    };
    if digits.is_empty() {
        return Err(DurationProblem::Form);
    }
    let count: u64 = digits.parse().map_err(|_| DurationProblem::TooLong)?;
    match count.checked_mul(per_unit) {
        Some(0) => Err(DurationProblem::Zero),
        Some(ms) => Ok(ms),
        None => Err(DurationProblem::TooLong),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_ms("500ms"), Ok(500));
        assert_eq!(duration_ms("30s"), Ok(30_000));
        assert_eq!(duration_ms("5m"), Ok(300_000));
        assert_eq!(duration_ms("1h"), Ok(3_600_000));
        assert_eq!(duration_ms("007s"), Ok(7_000));
        for bad in [
            "", "30", "s", "1.5s", "-1s", "+1s", "1 s", " 1s", "1s ", "1_000ms", "1sec", "1S",
            "1d", "1h30m", "１s",
        ] {
            assert_eq!(duration_ms(bad), Err(DurationProblem::Form), "{bad:?}");
        }
        assert_eq!(duration_ms("0ms"), Err(DurationProblem::Zero));
        assert_eq!(duration_ms("0h"), Err(DurationProblem::Zero));
        assert_eq!(
            duration_ms("18446744073709551616ms"),
            Err(DurationProblem::TooLong)
        );
        assert_eq!(
            duration_ms("18446744073709551615s"),
            Err(DurationProblem::TooLong)
        );
        assert_eq!(
            duration_ms("18446744073709551615ms"),
            Ok(18_446_744_073_709_551_615)
        );
    }

    #[test]
    fn says_what_to_write() {
        let cx = Ctxt::new();
        for tokens in [
            quote!(timeout = 30),
            quote!(timeout),
            quote!(timeout = "30 s"),
            quote!(timeout = "0s"),
            quote!(timeout = "9999999999999h"),
        ] {
            let meta: Meta = syn::parse2(tokens).unwrap();
            assert_eq!(timeout(&cx, &meta), None);
        }
        let meta: Meta = syn::parse2(quote!(timeout = "2m")).unwrap();
        assert_eq!(timeout(&cx, &meta), Some(120_000));
        let errors = cx.messages();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert_eq!(
            errors[0],
            "expected a duration string: write timeout = \"30s\", an integer followed by ms, s, m or h, \
             e.g. \"500ms\", \"30s\", \"5m\" or \"1h\""
        );
        assert_eq!(errors[0], errors[1]);
        assert!(errors[2].starts_with("`30 s` is not a duration: write an integer followed by"));
        assert!(errors[3].starts_with("a timeout of `0s` would fail every call"));
        assert!(errors[4].starts_with("`9999999999999h` is too long for a timeout"));
    }

    #[test]
    fn scope_rules() {
        for good in [
            "files:read",
            "a",
            "https://api.example.com/x.y",
            "!#[]~{|}^`",
        ] {
            assert_eq!(scope_problem(good), None, "{good}");
        }
        assert!(scope_problem("")
            .unwrap()
            .starts_with("a scope cannot be empty"));
        assert!(scope_problem("files read  write")
            .unwrap()
            .ends_with("list each one, as in scopes = [\"files\", \"read\", \"write\"]"));
        let starts = |scope: &str, with: &str| {
            let problem = scope_problem(scope).unwrap();
            assert!(problem.starts_with(with), "{problem}");
        };
        starts("a\"b", "`a\"b` holds `\"`, and a scope is");
        starts("a\\b", "`a\\b` holds `\\`");
        starts("café", "`café` holds `é`");
        starts("a\tb", "`a\tb` holds '\\t'");
        starts("a\u{a0}b", "`a\u{a0}b` holds '\\u{a0}'");
    }

    #[test]
    fn scopes_report_each_bad_literal_and_keep_the_rest() {
        let cx = Ctxt::new();
        let meta: Meta = syn::parse2(quote!(
            scopes = ["files:read", "", "files:read", "a b", "files:write"]
        ))
        .unwrap();
        let kept: Vec<String> = scopes(&cx, &meta).iter().map(LitStr::value).collect();
        assert_eq!(kept, ["files:read", "files:write"]);
        let errors = cx.messages();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("a scope cannot be empty"));
        assert_eq!(errors[1], "the scope `files:read` is given twice: keep one");
        assert!(errors[2].starts_with("`a b` holds a space"));
        let cx = Ctxt::new();
        let meta: Meta = syn::parse2(quote!(scopes = "files:read")).unwrap();
        assert!(scopes(&cx, &meta).is_empty());
        assert_eq!(
            cx.messages(),
            ["expected a list of string literals: write scopes = [\"files:read\", \"files:write\"]"]
        );
    }

    #[test]
    fn builds_the_builder_calls() {
        let policy = Policy {
            timeout: Some(1_500),
            scopes: vec![syn::parse_quote!("a"), syn::parse_quote!("b")],
        };
        assert_eq!(
            policy.builders().to_string(),
            quote!(.timeout(::core::time::Duration::from_millis(1500u64)).scopes(["a", "b"]))
                .to_string()
        );
        assert!(Policy::default().builders().is_empty());
    }
}
