//! `Principal` and `Option<Principal>` as tool parameters.

use super::FromCallContext;
use crate::error::McpError;
use crate::handler::CallContext;
use crate::principal::Principal;

/// The principal the request carries (put there by the authorization layer, see
/// [`Principal::from_extensions`], or by an MCP-level layer).
/// Missing, as on stdio or on a server without authorization, is a JSON-RPC error; ask for
/// `Option<Principal>` where anonymous calls are fine.
///
/// ```
/// use quickmcp_core::Principal;
///
/// fn whoami(principal: Principal) -> String {
///     format!("{} via {}", principal.subject, principal.client_id.as_deref().unwrap_or("?"))
/// }
///
/// fn greet(principal: Option<Principal>) -> String {
///     match principal {
///         Some(p) => format!("hello {}", p.subject),
///         None => "hello stranger".into(),
///     }
/// }
/// ```
impl FromCallContext for Principal {
    type Rejection = McpError;

    fn from_call_context(cx: &CallContext<'_>) -> Result<Self, McpError> {
        cx.principal().cloned().ok_or_else(|| {
            McpError::internal(
                "this call has no authenticated principal: turn on authorization for the HTTP \
                 endpoint (HttpOptions::auth), or take `Option<Principal>`",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonrpc::RequestId;

    #[test]
    fn missing_principal_is_an_error_and_option_is_none() {
        let (id, request) = (RequestId::Number(1), crate::handler::RequestCx::detached());
        let cx = CallContext::detached(&id, &request);
        let err = Principal::from_call_context(&cx).unwrap_err();
        assert!(err.message.contains("HttpOptions::auth"), "{}", err.message);
        assert_eq!(Option::<Principal>::from_call_context(&cx).unwrap(), None);
    }
}
