//! Parameters of a `#[prompt]` function: string arguments parsed with `FromStr`, or values
//! injected from the request like a tool's.

use std::fmt::Display;
use std::str::FromStr;

use super::{marker, FromCallContext};
use crate::error::McpError;
use crate::handler::CallContext;
use crate::protocol::prompts::PromptArguments;
use crate::protocol::prompts::{PromptArgument, PromptDefinition};

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
        cx: &CallContext<'_>,
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
        _: &CallContext<'_>,
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
        _: &CallContext<'_>,
        name: &'static str,
    ) -> Result<Self, McpError> {
        args.take(name).map(|value| parse(name, &value)).transpose()
    }
}

impl<T: FromCallContext> PromptParam<marker::Injected> for T {
    fn declare(_: &mut PromptDefinition, _: &'static str, _: Option<&'static str>) {}

    fn extract(
        _: &mut PromptArguments,
        cx: &CallContext<'_>,
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
    cx: &CallContext<'_>,
    name: &'static str,
) -> Result<T, McpError> {
    T::extract(args, cx, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<T: PromptParam<M>, M>(
        pairs: &[(&str, &str)],
        name: &'static str,
    ) -> Result<T, McpError> {
        let mut args = PromptArguments::from_pairs(pairs.iter().copied());
        let (id, request) = (
            crate::jsonrpc::RequestId::Number(1),
            crate::handler::RequestCx::detached(),
        );
        T::extract(&mut args, &CallContext::detached(&id, &request), name)
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
}
