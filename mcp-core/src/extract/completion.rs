//! Completers: the functions `complete(arg = path)` names, for `completion/complete`.

use crate::protocol::completion::CompletionContext;

/// The marker of a completer taking only the partial value.
#[derive(Debug)]
pub enum ValueOnly {}
/// The marker of a completer also taking the other arguments.
#[derive(Debug)]
pub enum WithContext {}

/// A completion function, named in `complete(arg = path)`: `fn(&str) -> Vec<String>` or
/// `fn(&str, &CompletionContext) -> Vec<String>`. Completers are synchronous: look values up
/// in memory (refresh them from a background task if they live elsewhere).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a completer",
    note = "a completer is `fn(value: &str) -> Vec<String>` or `fn(value: &str, context: &CompletionContext) -> Vec<String>`"
)]
pub trait Completer<M> {
    /// Suggestions for `value`.
    fn complete(&self, value: &str, context: &CompletionContext) -> Vec<String>;
}

impl<F: Fn(&str) -> Vec<String>> Completer<ValueOnly> for F {
    fn complete(&self, value: &str, _: &CompletionContext) -> Vec<String> {
        self(value)
    }
}

impl<F: Fn(&str, &CompletionContext) -> Vec<String>> Completer<WithContext> for F {
    fn complete(&self, value: &str, context: &CompletionContext) -> Vec<String> {
        self(value, context)
    }
}

/// Runs a completer; generated code calls this.
pub fn complete<C: Completer<M>, M>(
    completer: &C,
    value: &str,
    context: &CompletionContext,
) -> Vec<String> {
    completer.complete(value, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completers_of_both_shapes() {
        fn by_value(v: &str) -> Vec<String> {
            vec![format!("{v}1")]
        }
        fn with_context(v: &str, cx: &CompletionContext) -> Vec<String> {
            vec![format!("{v}{}", cx.arguments.len())]
        }
        let cx = CompletionContext::default();
        assert_eq!(complete(&by_value, "a", &cx), ["a1"]);
        assert_eq!(complete(&with_context, "a", &cx), ["a0"]);
    }
}
