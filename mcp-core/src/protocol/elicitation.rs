//! `elicitation/create`: the server asks the user, through the client, for structured input
//! (form mode) or to visit a URL (URL mode, 2025-11-25).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How the user answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ElicitAction {
    /// Submitted (form: `content` holds the values; URL: agreed to open it).
    Accept,
    /// Explicitly said no.
    Decline,
    /// Dismissed without choosing.
    Cancel,
}

/// The raw `elicitation/create` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitResult {
    /// What the user did.
    pub action: ElicitAction,
    /// The submitted values (form mode, on accept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Map<String, Value>>,
}

/// A typed form answer: what [`Context::elicit`](crate::Context::elicit) returns.
///
/// ```
/// use quickmcp_core::protocol::elicitation::Elicitation;
///
/// let answer: Elicitation<u32> = Elicitation::Accept(3);
/// assert_eq!(answer.accepted(), Some(3));
/// assert_eq!(Elicitation::<u32>::Decline.accepted(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elicitation<T> {
    /// The user submitted the form.
    Accept(T),
    /// The user said no.
    Decline,
    /// The user dismissed the form.
    Cancel,
}

impl<T> Elicitation<T> {
    /// The submitted value, if the user accepted.
    pub fn accepted(self) -> Option<T> {
        match self {
            Self::Accept(value) => Some(value),
            Self::Decline | Self::Cancel => None,
        }
    }

    /// The action, without the value.
    pub fn action(&self) -> ElicitAction {
        match self {
            Self::Accept(_) => ElicitAction::Accept,
            Self::Decline => ElicitAction::Decline,
            Self::Cancel => ElicitAction::Cancel,
        }
    }
}

/// Form-mode params. `mode` is left out: form is the default in every revision, and
/// 2025-06-18 clients do not know the field.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FormParams<'a> {
    pub(crate) message: &'a str,
    pub(crate) requested_schema: &'a Value,
}

/// URL-mode params (2025-11-25).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UrlParams<'a> {
    pub(crate) mode: &'static str,
    pub(crate) message: &'a str,
    pub(crate) url: &'a str,
    pub(crate) elicitation_id: &'a str,
}

/// `notifications/elicitation/complete` params (2025-11-25).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CompleteParams<'a> {
    pub(crate) elicitation_id: &'a str,
}
