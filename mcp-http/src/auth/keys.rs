//! Verification keys, each bound to the algorithms its type allows, so that a token cannot pick
//! an algorithm its key was not made for (`alg` confusion: an RSA public key used as an HMAC
//! secret, `none`).

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

use super::ConfigError;

/// A key that verifies token signatures, with the algorithms it may verify and its `kid`.
///
/// ```
/// use jsonwebtoken::Algorithm;
/// use quickmcp_http::auth::VerificationKey;
///
/// let hmac = VerificationKey::hmac(b"a secret of at least 32 bytes.....", Algorithm::HS256)
///     .unwrap()
///     .with_kid("k1");
/// let jwk = VerificationKey::jwk(r#"{"kty":"EC","crv":"P-256","kid":"es",
///     "x":"ZqCkRcp6kbxOVZK5HEbOd5_NsOTQDLJpGw58tcM4XYk",
///     "y":"BALZ_xbXLMYY6ql9kQ3Pvacvm47aVbtQpm70emUPnGA"}"#).unwrap();
/// assert_eq!(jwk.algorithms(), [Algorithm::ES256]);
/// ```
#[derive(Clone)]
pub struct VerificationKey {
    pub(crate) kid: Option<String>,
    pub(crate) key: DecodingKey,
    pub(crate) algorithms: Vec<Algorithm>,
}

const RSA: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

fn bad(what: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("unusable verification key: {what}"))
}

impl VerificationKey {
    /// A public key in PEM (`-----BEGIN PUBLIC KEY-----`, or an RSA/EC/Ed25519 key PEM) that
    /// verifies `algorithm` only.
    pub fn pem(pem: &[u8], algorithm: Algorithm) -> Result<Self, ConfigError> {
        let key = match algorithm {
            a if RSA.contains(&a) => DecodingKey::from_rsa_pem(pem),
            Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(pem),
            Algorithm::EdDSA => DecodingKey::from_ed_pem(pem),
            other => {
                return Err(bad(format!(
                    "{other:?} is not a public-key algorithm: use VerificationKey::hmac"
                )))
            }
        }
        .map_err(bad)?;
        Ok(Self {
            kid: None,
            key,
            algorithms: vec![algorithm],
        })
    }

    /// A shared secret for HMAC (`HS256`, `HS384`, `HS512`): at least 32 bytes.
    pub fn hmac(secret: &[u8], algorithm: Algorithm) -> Result<Self, ConfigError> {
        if !matches!(
            algorithm,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            return Err(bad(format!("{algorithm:?} is not an HMAC algorithm")));
        }
        if secret.len() < 32 {
            return Err(bad("an HMAC secret needs at least 32 bytes"));
        }
        Ok(Self {
            kid: None,
            key: DecodingKey::from_secret(secret),
            algorithms: vec![algorithm],
        })
    }

    /// A public JWK (JSON); its algorithms follow its `kty`/`crv` (and its `alg`, when set).
    pub fn jwk(json: &str) -> Result<Self, ConfigError> {
        let jwk: Jwk = serde_json::from_str(json).map_err(bad)?;
        Self::from_jwk(&jwk).map_err(bad)
    }

    /// Names the key: a token whose header has a `kid` only uses the key with that `kid`.
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The algorithms this key verifies.
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.algorithms
    }

    /// The key's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// A JWK from a key set, or why it cannot verify signatures (encryption keys, symmetric
    /// keys in a published set, unknown curves and algorithms are skipped by the JWKS cache).
    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Self, String> {
        if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
            return Err("an encryption key (use: enc)".into());
        }
        let by_type: Vec<Algorithm> = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => RSA.to_vec(),
            AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
                EllipticCurve::P256 => vec![Algorithm::ES256],
                EllipticCurve::P384 => vec![Algorithm::ES384],
                ref other => return Err(format!("unsupported curve {other:?}")),
            },
            AlgorithmParameters::OctetKeyPair(_) => vec![Algorithm::EdDSA],
            AlgorithmParameters::OctetKey(_) => {
                vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]
            }
        };
        let algorithms = match jwk.common.key_algorithm {
            None => by_type,
            Some(alg) => {
                let alg =
                    signing_algorithm(alg).ok_or_else(|| format!("`alg` {alg:?} does not sign"))?;
                if !by_type.contains(&alg) {
                    return Err(format!("`alg` {alg:?} does not fit the key type"));
                }
                vec![alg]
            }
        };
        let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
        Ok(Self {
            kid: jwk.common.key_id.clone(),
            key,
            algorithms,
        })
    }

    /// Whether this is a shared secret.
    pub(crate) fn is_symmetric(&self) -> bool {
        self.algorithms
            .iter()
            .any(|a| matches!(a, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512))
    }
}

fn signing_algorithm(alg: KeyAlgorithm) -> Option<Algorithm> {
    Some(match alg {
        KeyAlgorithm::HS256 => Algorithm::HS256,
        KeyAlgorithm::HS384 => Algorithm::HS384,
        KeyAlgorithm::HS512 => Algorithm::HS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        _ => return None,
    })
}

impl std::fmt::Debug for VerificationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerificationKey")
            .field("kid", &self.kid)
            .field("algorithms", &self.algorithms)
            .finish_non_exhaustive()
    }
}

/// Parses a JWKS document, keeping every usable signing key and skipping the others (one odd
/// key must not take the whole set down). Published symmetric keys are skipped too.
pub(crate) fn parse_jwks(body: &[u8]) -> Result<Vec<VerificationKey>, String> {
    #[derive(serde::Deserialize)]
    struct Set {
        keys: Vec<serde_json::Value>,
    }
    let set: Set = serde_json::from_slice(body).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = Vec::new();
    for value in set.keys {
        let parsed = serde_json::from_value::<Jwk>(value)
            .map_err(|e| e.to_string())
            .and_then(|jwk| VerificationKey::from_jwk(&jwk));
        match parsed {
            Ok(key) if !key.is_symmetric() => keys.push(key),
            Ok(_) => tracing::debug!("JWKS: skipped a symmetric key"),
            Err(reason) => tracing::debug!(reason, "JWKS: skipped an unusable key"),
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC: &str = r#"{"kty":"EC","crv":"P-256","kid":"es","x":"ZqCkRcp6kbxOVZK5HEbOd5_NsOTQDLJpGw58tcM4XYk","y":"BALZ_xbXLMYY6ql9kQ3Pvacvm47aVbtQpm70emUPnGA"}"#;

    #[test]
    fn algorithms_follow_the_key_type() {
        let key = VerificationKey::jwk(EC).unwrap();
        assert_eq!(key.algorithms(), [Algorithm::ES256]);
        assert_eq!(key.kid(), Some("es"));
        let mismatched = EC.replace(r#""kty""#, r#""alg":"RS256","kty""#);
        let error = VerificationKey::jwk(&mismatched).unwrap_err();
        assert!(error.to_string().contains("does not fit"), "{error}");
        assert!(VerificationKey::hmac(b"short", Algorithm::HS256).is_err());
        assert!(VerificationKey::pem(b"x", Algorithm::HS256).is_err());
    }

    #[test]
    fn a_key_set_skips_what_it_cannot_use() {
        let body = format!(
            r#"{{"keys":[{EC},{{"kty":"oct","k":"c2VjcmV0"}},{{"kty":"EC","crv":"P-256","use":"enc","x":"a","y":"b"}},{{"kty":"weird"}}]}}"#
        );
        let keys = parse_jwks(body.as_bytes()).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(parse_jwks(b"[]").is_err());
    }
}
