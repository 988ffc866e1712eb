//! `completion/complete` shapes.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The most values one completion result carries.
pub const MAX_COMPLETION_VALUES: usize = 100;

/// What is being completed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type")]
pub enum Reference {
    /// An argument of a prompt.
    #[serde(rename = "ref/prompt")]
    Prompt {
        /// The prompt's name.
        name: String,
    },
    /// A placeholder of a resource template.
    #[serde(rename = "ref/resource")]
    Resource {
        /// The template (or resource URI).
        uri: String,
    },
}

/// The argument being completed.
#[derive(Debug, Clone, Deserialize)]
pub struct CompleteArgument {
    /// The argument (or placeholder) name.
    pub name: String,
    /// What the user typed so far.
    pub value: String,
}

/// Values already chosen for the other arguments.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompletionContext {
    /// Argument name to value.
    #[serde(default)]
    pub arguments: HashMap<String, String>,
}

/// `completion/complete` params.
#[derive(Debug, Clone, Deserialize)]
pub struct CompleteParams {
    /// What is being completed.
    #[serde(rename = "ref")]
    pub reference: Reference,
    /// The argument and its partial value.
    pub argument: CompleteArgument,
    /// The other arguments.
    #[serde(default)]
    pub context: CompletionContext,
}

/// The completion values, capped at [`MAX_COMPLETION_VALUES`].
///
/// ```
/// use quickmcp_core::protocol::completion::Completion;
///
/// let done = Completion::capped((0..150).map(|i| i.to_string()).collect());
/// assert_eq!(done.values.len(), 100);
/// assert_eq!(done.total, Some(150));
/// assert!(done.has_more);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// At most 100 suggestions.
    pub values: Vec<String>,
    /// How many suggestions exist in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    /// More suggestions exist than `values` holds.
    pub has_more: bool,
}

impl Completion {
    /// Keeps the first 100 values, recording the total and whether more exist.
    pub fn capped(mut values: Vec<String>) -> Self {
        let total = values.len();
        values.truncate(MAX_COMPLETION_VALUES);
        Self {
            has_more: total > values.len(),
            values,
            total: Some(total),
        }
    }
}

/// The result of `completion/complete`.
#[derive(Debug, Serialize)]
pub struct CompleteResult {
    /// The suggestions.
    pub completion: Completion,
}
