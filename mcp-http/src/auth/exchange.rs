//! [`SubjectToken`]: the caller's access token, handed to tools only when the server opts in,
//! and only to exchange it (RFC 8693) for a token of another audience, never to pass it on.

use std::sync::Arc;

/// The access token of the request, put into the request extensions only with
/// [`AuthConfigBuilder::subject_token_for_exchange`](super::AuthConfigBuilder::subject_token_for_exchange).
///
/// The MCP spec forbids passing the client's token to upstream APIs (token passthrough): the
/// token's audience is this server. To act for the caller upstream, exchange it at the
/// authorization server (RFC 8693) for a token whose audience is the upstream API, and send
/// that one. `Debug` shows nothing of the token; there is no `Display`.
///
/// ```
/// use quickmcp_core::Extension;
/// use quickmcp_http::auth::SubjectToken;
///
/// async fn upstream(Extension(subject): Extension<SubjectToken>) -> Result<String, String> {
///     let form = subject.exchange_form("https://api.example.com");
///     let response = reqwest::Client::new()
///         .post("https://as.example.com/token")
///         .basic_auth("mcp-server", Some("its-secret"))
///         .form(&form)
///         .send()
///         .await
///         .map_err(|e| e.to_string())?;
///     // ... read `access_token` from the JSON answer and call the API with it.
///     Ok(response.status().to_string())
/// }
/// ```
#[derive(Clone)]
pub struct SubjectToken(Arc<str>);

impl SubjectToken {
    /// RFC 8693's `subject_token_type` of an OAuth access token.
    pub const TOKEN_TYPE: &'static str = "urn:ietf:params:oauth:token-type:access_token";

    /// RFC 8693's `grant_type`.
    pub const GRANT_TYPE: &'static str = "urn:ietf:params:oauth:grant-type:token-exchange";

    pub(crate) fn new(token: &str) -> Self {
        Self(token.into())
    }

    /// The form of a token-exchange request for a token whose audience is `resource`: POST it
    /// to the authorization server's token endpoint with this server's client credentials.
    pub fn exchange_form<'a>(&'a self, resource: &'a str) -> [(&'static str, &'a str); 4] {
        [
            ("grant_type", Self::GRANT_TYPE),
            ("subject_token", &self.0),
            ("subject_token_type", Self::TOKEN_TYPE),
            ("resource", resource),
        ]
    }

    /// The raw token, for a token-exchange request built by hand. Never send it anywhere else.
    pub fn expose_for_token_exchange(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SubjectToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubjectToken(<redacted>)")
    }
}
