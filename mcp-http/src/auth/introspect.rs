//! [`IntrospectionVerifier`]: opaque tokens, checked by asking the authorization server
//! (RFC 7662 token introspection).

use std::sync::Arc;

use base64::Engine;
use bytes::Bytes;
use quickmcp_core::Principal;
use serde_json::{Map, Value};

use super::cache::unix_now;
use super::jwt::principal_from_claims;
use super::{AuthError, HttpFetch, ReqwestFetch, TokenVerifier, VerifyFuture};

/// How the resource server authenticates to the introspection endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic (`client_secret_basic`, the default).
    #[default]
    Basic,
    /// In the form body (`client_secret_post`).
    Post,
}

/// Verifies tokens through RFC 7662 introspection. A token is accepted only when the answer
/// is `active: true`, its `aud` names the resource (fail closed: no `aud`, no access), its
/// `exp` (when given) is ahead and its `iss` (when given) is the configured issuer.
///
/// Each call is a round trip; the verified-token cache of
/// [`AuthConfig`](super::AuthConfig) keeps a result until the token expires (and at most its
/// `max_ttl`, which bounds how long a revoked token still works).
///
/// ```
/// use quickmcp_http::auth::{ClientAuth, IntrospectionVerifier};
///
/// let verifier = IntrospectionVerifier::new(
///     "https://as.example.com",
///     "https://as.example.com/token/introspection",
///     "mcp-server",
///     "its-secret",
/// )
/// .client_auth(ClientAuth::Post);
/// ```
pub struct IntrospectionVerifier {
    issuer: String,
    endpoint: String,
    client_id: String,
    client_secret: String,
    auth: ClientAuth,
    fetch: Arc<dyn HttpFetch>,
}

impl IntrospectionVerifier {
    /// Introspects at `endpoint` as `client_id`/`client_secret`; `issuer` names the principals.
    pub fn new(
        issuer: impl Into<String>,
        endpoint: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            endpoint: endpoint.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            auth: ClientAuth::default(),
            fetch: Arc::new(ReqwestFetch::default()),
        }
    }

    /// Authenticates with `auth` (default [`ClientAuth::Basic`]).
    #[must_use]
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// Sends the requests with `fetch`.
    #[must_use]
    pub fn fetch(mut self, fetch: Arc<dyn HttpFetch>) -> Self {
        self.fetch = fetch;
        self
    }

    fn request(&self, token: &str) -> Result<http::Request<Bytes>, AuthError> {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("token", token)
            .append_pair("token_type_hint", "access_token");
        let mut request = http::Request::post(&self.endpoint)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json");
        match self.auth {
            ClientAuth::Basic => {
                // RFC 6749 §2.3.1: both halves form-encoded before base64.
                let encode = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                let pair = format!(
                    "{}:{}",
                    encode(&self.client_id),
                    encode(&self.client_secret)
                );
                let basic = base64::engine::general_purpose::STANDARD.encode(pair);
                request = request.header(http::header::AUTHORIZATION, format!("Basic {basic}"));
            }
            ClientAuth::Post => {
                form.append_pair("client_id", &self.client_id)
                    .append_pair("client_secret", &self.client_secret);
            }
        }
        request
            .body(Bytes::from(form.finish()))
            .map_err(|e| AuthError::unavailable(format!("bad introspection endpoint: {e}")))
    }

    async fn introspect(&self, token: &str, resource: &str) -> Result<Principal, AuthError> {
        let response = self.fetch.fetch(self.request(token)?).await.map_err(|e| {
            AuthError::unavailable(format!("introspection at {} failed: {e}", self.endpoint))
        })?;
        if !response.status().is_success() {
            return Err(AuthError::unavailable(format!(
                "introspection at {} answered {}",
                self.endpoint,
                response.status()
            )));
        }
        let mut claims: Map<String, Value> =
            serde_json::from_slice(response.body()).map_err(|e| {
                AuthError::unavailable(format!("introspection answered no JSON object: {e}"))
            })?;
        check(&claims, &self.issuer, resource)?;
        claims.remove("active");
        claims
            .entry("iss")
            .or_insert_with(|| self.issuer.clone().into());
        principal_from_claims(claims)
    }
}

/// The rules an introspection answer must pass.
fn check(claims: &Map<String, Value>, issuer: &str, resource: &str) -> Result<(), AuthError> {
    if claims.get("active") != Some(&Value::Bool(true)) {
        return Err(AuthError::invalid("the token is not active"));
    }
    let audience = match claims.get("aud") {
        Some(Value::String(aud)) => aud == resource,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(resource)),
        _ => false,
    };
    if !audience {
        return Err(AuthError::invalid(
            "the token's audience does not name this resource",
        ));
    }
    if claims
        .get("exp")
        .and_then(Value::as_u64)
        .is_some_and(|exp| exp <= unix_now())
    {
        return Err(AuthError::invalid("the token expired"));
    }
    if claims
        .get("iss")
        .and_then(Value::as_str)
        .is_some_and(|iss| iss != issuer)
    {
        return Err(AuthError::invalid("the token is from another issuer"));
    }
    Ok(())
}

impl TokenVerifier for IntrospectionVerifier {
    fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a> {
        Box::pin(self.introspect(token, resource))
    }
}

impl std::fmt::Debug for IntrospectionVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntrospectionVerifier")
            .field("issuer", &self.issuer)
            .field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn fails_closed() {
        let r = "https://mcp.example.com/mcp";
        let ok = json!({"active": true, "aud": r, "exp": unix_now() + 60, "iss": "i"});
        assert!(check(&answer(ok.clone()), "i", r).is_ok());
        assert!(check(&answer(json!({"active": true, "aud": [r, "x"]})), "i", r).is_ok());
        for bad in [
            json!({"active": false, "aud": r}),
            json!({"active": "true", "aud": r}),
            json!({"active": true}),
            json!({"active": true, "aud": "https://other/mcp"}),
            json!({"active": true, "aud": r, "exp": unix_now() - 1}),
            json!({"active": true, "aud": r, "iss": "other"}),
        ] {
            assert!(check(&answer(bad.clone()), "i", r).is_err(), "{bad}");
        }
    }
}
