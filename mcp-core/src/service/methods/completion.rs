//! `completion/complete`.

use bytes::Bytes;
use serde_json::value::RawValue;

use super::params;
use crate::error::McpError;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::completion::{CompleteParams, CompleteResult, Completion, Reference};
use crate::service::Engine;
use crate::session::Session;

impl Engine {
    /// Suggests values for a prompt argument or a template placeholder, at most 100. A known
    /// reference without a completer gets no values; an unknown one is `-32602`.
    pub(crate) fn complete(
        &self,
        raw: Option<&RawValue>,
        id: &RequestId,
        session: Option<&Session>,
    ) -> Result<Bytes, McpError> {
        let p: CompleteParams = params(raw, "completion/complete")?;
        let rules = session.and_then(Session::visibility);
        let rules = rules.as_deref();
        let (argument, context) = (&p.argument, &p.context);
        let values = match &p.reference {
            Reference::Prompt { name } => {
                let prompts = self.prompts.snapshot();
                let prompt = prompts
                    .get(name, rules)
                    .ok_or_else(|| McpError::invalid_params(format!("unknown prompt `{name}`")))?;
                prompt
                    .handler
                    .complete(&argument.name, &argument.value, context)
            }
            Reference::Resource { uri } => {
                let templates = self.templates.snapshot();
                match templates.get(uri, rules) {
                    Some(t) => t.handler.complete(&argument.name, &argument.value, context),
                    None if self.resources.snapshot().get(uri, rules).is_some() => None,
                    None => {
                        return Err(McpError::invalid_params(format!(
                            "unknown resource template `{uri}`"
                        )))
                    }
                }
            }
        };
        let completion = Completion::capped(values.unwrap_or_default());
        Ok(jsonrpc::response(id, &CompleteResult { completion }))
    }
}
