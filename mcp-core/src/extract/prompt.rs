//! Parameters of a `#[prompt]` function: string arguments parsed with `FromStr`, or values
//! injected from the request like a tool's.

use std::fmt::Display;
use std::str::FromStr;

use super::{marker, FromCallContext};
use crate::error::McpError;
use crate::exchange::RequestContext;
use crate::protocol::completion::CompletionContext;
use crate::protocol::prompts::{PromptArgument, PromptDefinition};
use crate::registry::prompt::PromptArguments;

/// The marker of an optional prompt argument (`Option<T>`, `T: FromStr`).
#[derive(Debug)]
pub enum OptionalArgument {}

/// A type that can be a parameter of a `#[prompt]` function: an argument (`String`, any
/// `FromStr` type; `Option<T>` when it may be left out) or an injected value
/// ([`FromCallContext`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a #[prompt] function",
    label = "not a prompt argument nor an injected value",
    note = "prompt arguments are strings on the wire: use String, Option<String>, or a type implementing `FromStr`",
    note = "an injected parameter implements `quickmcp::FromCallContext` (Context, State<T>, Extension<T>, HeaderMap)"
)]
pub trait PromptParam<M>: Sized {
    /// Adds this parameter to the prompt's arguments (or not).
    fn declare(
        definition: &mut PromptDefinition,
        name: &'static str,
        description: Option<&'static str>,
    );

    /// Produces the value for one `prompts/get`.
    fn extract(
        args: &mut PromptArguments,
        cx: &RequestContext,
        name: &'static str,
    ) -> Result<Self, McpError>;
}

fn argument(
    name: &'static str,
    description: Option<&'static str>,
    required: bool,
) -> PromptArgument {
    let argument = PromptArgument::new(name, required);
    match description {
        Some(text) => argument.description(text),
        None => argument,
    }
}

fn parse<T: FromStr>(name: &str, value: &str) -> Result<T, McpError>
where
    T::Err: Display,
{
    value
        .parse()
        .map_err(|e| McpError::invalid_params(format!("invalid value for argument `{name}`: {e}")))
}

impl<T: FromStr> PromptParam<marker::Argument> for T
where
    T::Err: Display,
{
    fn declare(
        definition: &mut PromptDefinition,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        definition.arguments.push(argument(name, description, true));
    }

    fn extract(
        args: &mut PromptArguments,
        _: &RequestContext,
        name: &'static str,
    ) -> Result<Self, McpError> {
        parse(name, &args.required(name)?)
    }
}

impl<T: FromStr> PromptParam<OptionalArgument> for Option<T>
where
    T::Err: Display,
{
    fn declare(
        definition: &mut PromptDefinition,
        name: &'static str,
        description: Option<&'static str>,
    ) {
        definition
            .arguments
            .push(argument(name, description, false));
    }

    fn extract(
        args: &mut PromptArguments,
        _: &RequestContext,
        name: &'static str,
    ) -> Result<Self, McpError> {
        args.take(name).map(|value| parse(name, &value)).transpose()
    }
}

impl<T: FromCallContext> PromptParam<marker::Injected> for T {
    fn declare(_: &mut PromptDefinition, _: &'static str, _: Option<&'static str>) {}

    fn extract(
        _: &mut PromptArguments,
        cx: &RequestContext,
        _: &'static str,
    ) -> Result<Self, McpError> {
        T::from_call_context(cx).map_err(Into::into)
    }
}

/// Declares prompt parameter `name` of type `T`; generated code calls this once per parameter.
pub fn declare_prompt_param<T: PromptParam<M>, M>(
    definition: &mut PromptDefinition,
    name: &'static str,
    description: Option<&'static str>,
) {
    T::declare(definition, name, description);
}

/// Extracts prompt parameter `name` of type `T`; generated code calls this once per parameter.
pub fn extract_prompt_param<T: PromptParam<M>, M>(
    args: &mut PromptArguments,
    cx: &RequestContext,
    name: &'static str,
) -> Result<T, McpError> {
    T::extract(args, cx, name)
}

/// A parameter of a `#[resource]` function that is not a URI placeholder: it must be injected.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of this #[resource] function",
    label = "no URI placeholder has this parameter's name, and it cannot be injected",
    note = "a URI placeholder `{{name}}` becomes the parameter called `name` (any `FromStr` type)",
    note = "any other parameter is injected: Context, State<T>, Extension<T>, HeaderMap, or a type implementing `quickmcp::FromCallContext`"
)]
pub trait ResourceParam: Sized {
    /// Produces the value for one read.
    fn inject(cx: &RequestContext) -> Result<Self, McpError>;
}

impl<T: FromCallContext> ResourceParam for T {
    fn inject(cx: &RequestContext) -> Result<Self, McpError> {
        T::from_call_context(cx).map_err(Into::into)
    }
}

/// An injected parameter of a resource function (every parameter that is not a placeholder);
/// generated code calls this.
pub fn inject<T: ResourceParam>(cx: &RequestContext) -> Result<T, McpError> {
    T::inject(cx)
}

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

    fn get<T: PromptParam<M>, M>(
        pairs: &[(&str, &str)],
        name: &'static str,
    ) -> Result<T, McpError> {
        let mut args = PromptArguments::from_pairs(pairs.iter().copied());
        T::extract(
            &mut args,
            &RequestContext::detached(crate::jsonrpc::RequestId::Number(1)),
            name,
        )
    }

    #[test]
    fn arguments_parse_and_name_themselves() {
        assert_eq!(get::<u32, _>(&[("n", "7")], "n").unwrap(), 7);
        let error = get::<u32, _>(&[("n", "x")], "n").unwrap_err();
        assert_eq!(error.code, -32602);
        assert!(error.message.contains("`n`"));
        let error = get::<String, _>(&[], "s").unwrap_err();
        assert_eq!(error.message, "missing required argument `s`");
        assert_eq!(get::<Option<String>, _>(&[], "s").unwrap(), None);
    }

    #[test]
    fn declares_required_unless_optional() {
        let mut def = PromptDefinition::new("p", "P");
        declare_prompt_param::<String, _>(&mut def, "a", Some("A"));
        declare_prompt_param::<Option<u8>, _>(&mut def, "b", None);
        declare_prompt_param::<crate::Context, _>(&mut def, "ctx", None);
        assert_eq!(def.arguments.len(), 2);
        assert!(def.arguments[0].required && !def.arguments[1].required);
    }

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
