//! Prompts: the [`PromptHandler`] trait `#[prompt]` implements, the arguments it receives, and
//! its registry entry.

use std::sync::Arc;

use super::{Entry, RegisterError, Registry, Reply};
use crate::handler::CallContext;
use crate::protocol::completion::CompletionContext;
use crate::protocol::prompts::{GetPromptResult, PromptArguments, PromptDefinition};

/// A prompt template the client can fetch with arguments.
///
/// `#[prompt]` implements this for you; implement it by hand for prompts loaded at runtime.
///
/// ```
/// use quickmcp_core::protocol::prompts::{GetPromptResult, PromptArgument, PromptDefinition};
/// use quickmcp_core::{PromptArguments, PromptHandler, PromptMessage, Reply, CallContext};
///
/// struct Review;
///
/// impl PromptHandler for Review {
///     fn definition(&self) -> PromptDefinition {
///         PromptDefinition::new("review", "Review code.").argument(PromptArgument::new("code", true))
///     }
///     fn get(&self, mut args: PromptArguments, _cx: &CallContext<'_>) -> Reply<GetPromptResult> {
///         Reply::ready(args.required("code").map(|code| {
///             GetPromptResult::new(vec![PromptMessage::user(format!("Review:\n{code}"))])
///         }))
///     }
/// }
/// ```
pub trait PromptHandler: Send + Sync + 'static {
    /// Name, description and arguments. Called once, at registration.
    fn definition(&self) -> PromptDefinition;

    /// Renders the prompt with these arguments.
    fn get(&self, args: PromptArguments, cx: &CallContext<'_>) -> Reply<GetPromptResult>;

    /// Suggestions for `argument` starting from `value`; `None` when it has no completer.
    fn complete(
        &self,
        argument: &str,
        value: &str,
        context: &CompletionContext,
    ) -> Option<Vec<String>> {
        let _ = (argument, value, context);
        None
    }

    /// Whether [`complete`](Self::complete) can answer for some argument (this turns on the
    /// `completions` capability).
    fn has_completions(&self) -> bool {
        false
    }
}

#[derive(Clone)]
pub(crate) struct RegisteredPrompt {
    pub(crate) handler: Arc<dyn PromptHandler>,
    pub(crate) definition: PromptDefinition,
}

impl Entry for RegisteredPrompt {
    const LIST_KEY: &'static str = "prompts";
    const KIND: crate::protocol::ListKind = crate::protocol::ListKind::Prompts;
    type Definition = PromptDefinition;

    fn key(&self) -> &str {
        &self.definition.name
    }

    fn definition(&self) -> &PromptDefinition {
        &self.definition
    }

    fn tags(&self) -> &[String] {
        &self.definition.tags
    }

    fn scopes(&self) -> &[String] {
        &self.definition.scopes
    }

    fn duplicate(key: &str) -> RegisterError {
        RegisterError::DuplicatePrompt(key.into())
    }
}

impl Registry<RegisteredPrompt> {
    pub(crate) fn add(&self, handler: Arc<dyn PromptHandler>) -> Result<(), RegisterError> {
        let definition = handler.definition();
        self.insert(RegisteredPrompt {
            handler,
            definition,
        })
    }
}
