//! [`JwtVerifier`]: JWT access tokens (RFC 9068) signed by the authorization server.
//!
//! Checked, in order: the header's `typ` (`at+jwt`), the `iss` claim against the configured
//! issuer (before any key fetch, so foreign tokens cost nothing), a key for the header's `kid`
//! whose type allows the header's `alg`, the signature, then `exp` (required), `nbf` (when
//! present), `aud` (required, must name the resource) and `sub` (required).

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use quickmcp_core::Principal;
use serde_json::{Map, Value};

use super::jwks::{JwksCache, JwksOptions};
use super::keys::VerificationKey;
use super::{AuthError, HttpFetch, TokenVerifier, VerifyFuture};

enum Keys {
    Static(Arc<Vec<VerificationKey>>),
    Jwks(JwksCache),
}

/// Verifies JWT access tokens of one issuer, with keys from its JWKS (cached, see
/// [`JwksCache`]) or given up front.
///
/// Secure by default: `typ` must be `at+jwt` (RFC 9068; [`allow_jwt_typ`](Self::allow_jwt_typ)
/// admits the plain `JWT` some IdPs send), `exp`, `iss`, `aud` and `sub` are required, `nbf`
/// is honoured, and the leeway for clock skew is 60 s.
///
/// ```
/// use std::time::Duration;
/// use quickmcp_http::auth::JwtVerifier;
///
/// let verifier = JwtVerifier::jwks("https://as.example.com", "https://as.example.com/jwks")
///     .leeway(Duration::from_secs(30))
///     .allow_jwt_typ(true); // an IdP that sends `typ: JWT`
/// ```
pub struct JwtVerifier {
    issuer: String,
    keys: Keys,
    leeway: Duration,
    allow_jwt_typ: bool,
    audiences: Vec<String>,
}

impl JwtVerifier {
    /// Tokens of `issuer` (the exact `iss` value), keys from the JWKS at `jwks_uri`.
    pub fn jwks(issuer: impl Into<String>, jwks_uri: impl Into<String>) -> Self {
        Self::with_jwks(issuer, JwksCache::new(jwks_uri))
    }

    /// Tokens of `issuer`, keys from `jwks` (with its own fetcher and options).
    pub fn with_jwks(issuer: impl Into<String>, jwks: JwksCache) -> Self {
        Self::with(issuer, Keys::Jwks(jwks))
    }

    /// Tokens of `issuer`, signed by one of `keys`.
    ///
    /// ```
    /// use jsonwebtoken::Algorithm;
    /// use quickmcp_http::auth::{JwtVerifier, VerificationKey};
    ///
    /// let key = VerificationKey::hmac(b"0123456789abcdef0123456789abcdef", Algorithm::HS256).unwrap();
    /// let verifier = JwtVerifier::with_keys("https://as.example.com", [key]);
    /// ```
    pub fn with_keys(
        issuer: impl Into<String>,
        keys: impl IntoIterator<Item = VerificationKey>,
    ) -> Self {
        Self::with(issuer, Keys::Static(Arc::new(keys.into_iter().collect())))
    }

    fn with(issuer: impl Into<String>, keys: Keys) -> Self {
        Self {
            issuer: issuer.into(),
            keys,
            leeway: Duration::from_secs(60),
            allow_jwt_typ: false,
            audiences: Vec::new(),
        }
    }

    /// Fetches the JWKS with `fetch` (a JWKS verifier only).
    #[must_use]
    pub fn fetch(mut self, fetch: Arc<dyn HttpFetch>) -> Self {
        if let Keys::Jwks(jwks) = self.keys {
            self.keys = Keys::Jwks(jwks.fetch(fetch));
        }
        self
    }

    /// Refreshes the JWKS by `options` (a JWKS verifier only).
    #[must_use]
    pub fn jwks_options(mut self, options: JwksOptions) -> Self {
        if let Keys::Jwks(jwks) = self.keys {
            self.keys = Keys::Jwks(jwks.options(options));
        }
        self
    }

    /// The clock skew allowed on `exp` and `nbf` (default 60 s).
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Also accept `typ: JWT` (or no `typ`), for IdPs that do not mint RFC 9068 tokens
    /// (Entra ID, Auth0...). Off by default: `typ` must be `at+jwt`, so that an ID token or
    /// another JWT of the same issuer is not taken for an access token.
    #[must_use]
    pub fn allow_jwt_typ(mut self, allow: bool) -> Self {
        self.allow_jwt_typ = allow;
        self
    }

    /// Also accept tokens whose `aud` is `audience` (an old URL of the server, say) besides
    /// the resource.
    #[must_use]
    pub fn audience_alias(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    fn check_typ(&self, typ: Option<&str>) -> Result<(), AuthError> {
        let access = typ.is_some_and(|t| {
            t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
        });
        let plain = typ.is_none_or(|t| t.eq_ignore_ascii_case("jwt"));
        if access || (self.allow_jwt_typ && plain) {
            Ok(())
        } else {
            Err(AuthError::invalid(
                "the token is not an access token (typ is not at+jwt)",
            ))
        }
    }

    fn validation(&self, alg: Algorithm, resource: &str) -> Validation {
        let mut validation = Validation::new(alg);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        let mut audiences = vec![resource];
        audiences.extend(self.audiences.iter().map(String::as_str));
        validation.set_audience(&audiences);
        validation.validate_nbf = true;
        validation.leeway = self.leeway.as_secs();
        validation
    }

    async fn verify_jwt(&self, token: &str, resource: &str) -> Result<Principal, AuthError> {
        // `alg: none` and unknown algorithms fail here: jsonwebtoken has no such variant.
        let header = decode_header(token).map_err(|_| AuthError::invalid("not a signed JWT"))?;
        self.check_typ(header.typ.as_deref())?;
        if peek_issuer(token).as_deref() != Some(self.issuer.as_str()) {
            return Err(AuthError::invalid("the token is from another issuer"));
        }
        let keys = match &self.keys {
            Keys::Static(keys) => keys.clone(),
            Keys::Jwks(jwks) => jwks.keys_for(header.kid.as_deref()).await?,
        };
        let candidates: Vec<_> = keys
            .iter()
            .filter(|key| header.kid.is_none() || key.kid() == header.kid.as_deref())
            .filter(|key| key.algorithms().contains(&header.alg))
            .collect();
        if header.kid.is_none() && keys.len() > 1 {
            return Err(AuthError::invalid(
                "the token names no key (kid) and the issuer has several",
            ));
        }
        let key = candidates.first().ok_or(AuthError::invalid(
            "no key of the issuer verifies this alg and kid",
        ))?;
        let validation = self.validation(header.alg, resource);
        let data = decode::<Map<String, Value>>(token, &key.key, &validation)
            .map_err(|e| AuthError::invalid(format!("the token was refused: {e}")))?;
        principal_from_claims(data.claims)
    }
}

impl TokenVerifier for JwtVerifier {
    fn verify<'a>(&'a self, token: &'a str, resource: &'a str) -> VerifyFuture<'a> {
        Box::pin(self.verify_jwt(token, resource))
    }
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = match &self.keys {
            Keys::Static(keys) => format!("{} static", keys.len()),
            Keys::Jwks(jwks) => format!("JWKS {}", jwks.url()),
        };
        f.debug_struct("JwtVerifier")
            .field("issuer", &self.issuer)
            .field("keys", &keys)
            .field("allow_jwt_typ", &self.allow_jwt_typ)
            .finish_non_exhaustive()
    }
}

/// The `iss` of a token's payload, read without verifying anything.
fn peek_issuer(token: &str) -> Option<String> {
    use base64::Engine;
    #[derive(serde::Deserialize)]
    struct Issuer {
        iss: String,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice::<Issuer>(&bytes).ok().map(|i| i.iss)
}

fn string_or_list(value: Option<&Value>, split_spaces: bool) -> Vec<String> {
    match value {
        Some(Value::String(s)) if split_spaces => s.split_whitespace().map(str::to_owned).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A principal from verified claims (a JWT's, or an introspection response's): `scope`
/// (space-separated) or `scp` (a list), `client_id` or `azp`.
pub(crate) fn principal_from_claims(claims: Map<String, Value>) -> Result<Principal, AuthError> {
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let issuer = text("iss").ok_or(AuthError::invalid("no iss claim"))?;
    let client_id = text("client_id").or_else(|| text("azp"));
    // Client credentials tokens may name only the client (introspection often has no `sub`).
    let subject = text("sub")
        .or_else(|| client_id.clone())
        .ok_or(AuthError::invalid("no sub claim"))?;
    let scopes = match claims.get("scope") {
        Some(scope) => string_or_list(Some(scope), true),
        None => string_or_list(claims.get("scp"), true),
    };
    let audience = string_or_list(claims.get("aud"), false);
    let mut principal = Principal::new(issuer, subject)
        .with_scopes(scopes)
        .with_audience(audience);
    principal.client_id = client_id;
    principal.expires_at = claims.get("exp").and_then(Value::as_u64);
    principal.token_id = text("jti");
    Ok(principal.with_claims(claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn scopes_come_from_scope_or_scp() {
        let p =
            principal_from_claims(claims(json!({"iss": "i", "sub": "s", "scope": "a b"}))).unwrap();
        assert_eq!(p.scopes, ["a", "b"]);
        let p = principal_from_claims(claims(json!({"iss": "i", "sub": "s", "scp": ["a", "b"]})))
            .unwrap();
        assert_eq!(p.scopes, ["a", "b"]);
        let p = principal_from_claims(claims(json!({"iss": "i", "client_id": "c", "aud": "r"})))
            .unwrap();
        assert_eq!(
            (p.subject.as_str(), p.client_id.as_deref()),
            ("c", Some("c"))
        );
        assert_eq!(p.audience, ["r"]);
        assert!(principal_from_claims(claims(json!({"sub": "s"}))).is_err());
    }

    #[test]
    fn typ_must_be_at_jwt_unless_allowed() {
        let strict = JwtVerifier::with_keys("i", []);
        assert!(strict.check_typ(Some("at+jwt")).is_ok());
        assert!(strict.check_typ(Some("application/AT+JWT")).is_ok());
        assert!(strict.check_typ(Some("JWT")).is_err());
        assert!(strict.check_typ(None).is_err());
        let lax = JwtVerifier::with_keys("i", []).allow_jwt_typ(true);
        assert!(lax.check_typ(Some("JWT")).is_ok() && lax.check_typ(None).is_ok());
        assert!(lax.check_typ(Some("id_token+jwt")).is_err());
    }
}
