//! The HTTP endpoint as an OAuth 2.1 resource server, against a real authorization server:
//! npm `oidc-provider` on loopback (tests/auth/oidc_provider.mjs), started and stopped by each
//! test. Every refused token is derived from a token that passes in the same test by changing
//! one property: tokens the AS minted for another audience or client, or the AS's token with
//! its header or claims edited and re-signed with the AS's own key (tests/auth/keys.json, which
//! the AS signs with), or signed with a key it does not publish.
#![allow(
    clippy::too_many_lines,
    reason = "a scenario reads top to bottom in the order of the exchange it checks"
)]

#[path = "auth/harness.rs"]
mod harness;
mod support;

use std::time::Duration;

use harness::{
    call, challenge, http_client, initialize, key, messages, now, post, resign, serve, unsigned,
    AuthServer, Counting,
};
use quickmcp::auth::{AnyOf, IntrospectionVerifier, JwksOptions, JwtVerifier, SubjectToken};
use quickmcp::prelude::*;
use quickmcp::Principal;
use serde_json::{json, Value};

/// Who the token speaks for: `subject client scopes`.
#[tool]
fn whoami(principal: Principal) -> String {
    format!(
        "{} {} {}",
        principal.subject,
        principal.client_id.as_deref().unwrap_or("-"),
        principal.scopes.join(",")
    )
}

/// The principal through `Option<Principal>` and `Context::principal`.
#[tool]
fn both_ways(maybe: Option<Principal>, ctx: Context) -> String {
    let from_ctx = ctx.principal().map(|p| p.subject.clone());
    format!("{:?} {:?}", maybe.map(|p| p.subject), from_ctx)
}

/// Whether the tool can exchange the caller's token (RFC 8693): the token's length, or `none`.
#[tool]
fn subject_token(subject: Option<Extension<SubjectToken>>) -> String {
    subject.map_or("none".into(), |Extension(s)| {
        s.expose_for_token_exchange().len().to_string()
    })
}

/// Writes a note: needs `tools:write`.
#[tool(scopes = ["tools:write"])]
fn write_note() -> String {
    "written".into()
}

/// The admin's notes: needs `admin`.
#[resource("notes://admin", scopes = ["admin"])]
fn admin_notes() -> String {
    "secret".into()
}

/// A custom route: not covered by `HttpOptions::auth`.
#[custom_route("/health", methods = ["GET"])]
async fn health() -> &'static str {
    "ok"
}

fn server() -> Server {
    Server::new("auth-test")
        .tool(whoami)
        .tool(both_ways)
        .tool(subject_token)
        .route(health)
}

fn jwt(auth: &AuthServer) -> JwtVerifier {
    JwtVerifier::jwks(&auth.issuer, auth.jwks_uri()).fetch(Counting::new())
}

const GENERIC: &str =
    "error=\"invalid_token\", error_description=\"The access token is invalid or expired\"";

/// POSTs `tools/call whoami` with `token` and expects 401 `invalid_token`.
async fn refused(url: &str, token: &str, what: &str) {
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    let response = post(url, Some(token), None, &body).send().await.unwrap();
    assert_eq!(
        response.status(),
        401,
        "{what}: {:?}",
        response.text().await
    );
    let header = challenge(&response);
    assert!(
        header.starts_with("Bearer ") && header.contains(GENERIC),
        "{what}: {header}"
    );
    assert!(header.contains("resource_metadata=\""), "{what}: {header}");
}

#[tokio::test]
async fn valid_tokens_serve_every_wire_and_missing_ones_are_challenged() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.scopes_supported(["tools:read"]).verifier(jwt(&auth))
    })
    .await;
    let url = app.resource.clone();
    let token = auth.token("mcp-client", "tools:read", Some(&url)).await;

    // 2025 session: POST, GET, DELETE.
    let session = initialize(&url, &token).await;
    assert_eq!(
        call(&url, Some(&token), Some(&session), "whoami").await,
        (200, "mcp-client mcp-client tools:read".into())
    );
    assert_eq!(
        call(&url, Some(&token), Some(&session), "both_ways")
            .await
            .1,
        "Some(\"mcp-client\") Some(\"mcp-client\")"
    );
    let get = |token: Option<String>| {
        let mut request = http_client()
            .get(&url)
            .header("accept", "text/event-stream")
            .header("mcp-session-id", &session)
            .header("mcp-protocol-version", support::PROTOCOL);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let no_token = get(None).await.unwrap();
    assert_eq!(no_token.status(), 401);
    let stream = get(Some(token.clone())).await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    drop(stream);
    let delete = |token: Option<&str>| {
        let mut request = http_client()
            .delete(&url)
            .header("mcp-session-id", &session);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(delete(None).await.unwrap().status(), 401);
    assert_eq!(delete(Some(&token)).await.unwrap().status(), 200);

    // The 2026-07-28 stateless POST, same endpoint.
    assert_eq!(
        call(&url, Some(&token), None, "whoami").await,
        (200, "mcp-client mcp-client tools:read".into())
    );
    let (status, _) = call(&url, None, None, "whoami").await;
    assert_eq!(status, 401);

    // Legacy SSE: the stream and the message endpoint.
    let sse = format!("{}/sse", app.base);
    let no_token = http_client()
        .get(&sse)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 401);
    let mut legacy = harness::Legacy::open(&sse, &token).await;
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let refused = http_client()
        .post(&legacy.endpoint)
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401, "POST /messages without a token");
    let reply = legacy.request(&token, &init).await;
    assert_eq!(reply["result"]["protocolVersion"], "2024-11-05");
    let call =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    let reply = legacy.request(&token, &call).await;
    assert_eq!(
        reply["result"]["content"][0]["text"],
        "mcp-client mcp-client tools:read"
    );

    // The challenge without a token: no `error`, the metadata URL, the scopes.
    let response = post(&url, None, None, &call).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let metadata = format!("{}/.well-known/oauth-protected-resource/mcp", app.base);
    assert_eq!(
        challenge(&response),
        format!("Bearer resource_metadata=\"{metadata}\", scope=\"tools:read\"")
    );
    // Another scheme is no bearer credential: the same challenge.
    let basic = post(&url, None, None, &call)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            basic.status().as_u16(),
            challenge(&basic).contains("error=")
        ),
        (401, false)
    );
    // Custom routes are not covered; a CORS preflight needs no token.
    let custom = http_client()
        .get(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(custom.status(), 200);
    let preflight = http_client()
        .request(reqwest::Method::OPTIONS, &url)
        .send()
        .await
        .unwrap();
    assert_ne!(preflight.status(), 401);
}

#[tokio::test]
async fn malformed_credentials_get_400() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let token = auth
        .token("mcp-client", "tools:read", Some(&app.resource))
        .await;
    let call =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "no token after Bearer",
            post(&app.resource, None, None, &call).header("authorization", "Bearer"),
        ),
        (
            "a token with spaces",
            post(&app.resource, None, None, &call)
                .header("authorization", format!("Bearer {token} x")),
        ),
        (
            "two Authorization headers",
            post(&app.resource, Some(&token), None, &call)
                .header("authorization", format!("Bearer {token}")),
        ),
        (
            "a token in the query string",
            post(
                &format!("{}?access_token={token}", app.resource),
                None,
                None,
                &call,
            ),
        ),
    ];
    for (what, request) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 400, "{what}");
        let header = challenge(&response);
        assert!(
            header.starts_with("Bearer error=\"invalid_request\""),
            "{what}: {header}"
        );
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("bad request: "),
            "{what}: {body}"
        );
    }
    // The same token, well formed, passes.
    assert_eq!(
        harness::call(&app.resource, Some(&token), None, "whoami")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn every_bad_jwt_gets_invalid_token() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let url = &app.resource;
    let good = auth.token("mcp-client", "tools:read", Some(url)).await;
    assert_eq!(
        call(url, Some(&good), None, "whoami").await.0,
        200,
        "the AS's token"
    );
    let as_key = key("as_key_1");
    // Re-signed unchanged with the AS's key it still passes: what follows fails for its one change.
    let same = resign(&good, &as_key, |_, claims| {
        claims.insert("jti".into(), json!("resigned"));
    });
    assert_eq!(
        call(url, Some(&same), None, "whoami").await.0,
        200,
        "re-signed with the AS key"
    );

    let other_resource = format!("{}/other", app.base);
    let cases = vec![
        (
            "wrong audience (minted by the AS)",
            auth.token("mcp-client", "tools:read", Some(&other_resource))
                .await,
        ),
        (
            "wrong audience",
            resign(&good, &as_key, |_, c| {
                drop(c.insert("aud".into(), json!(other_resource)))
            }),
        ),
        (
            "missing audience",
            resign(&good, &as_key, |_, c| drop(c.remove("aud"))),
        ),
        (
            "expired",
            resign(&good, &as_key, |_, c| {
                drop(c.insert("exp".into(), json!(now() - 3600)))
            }),
        ),
        (
            "missing exp",
            resign(&good, &as_key, |_, c| drop(c.remove("exp"))),
        ),
        (
            "not yet valid (nbf)",
            resign(&good, &as_key, |_, c| {
                drop(c.insert("nbf".into(), json!(now() + 3600)))
            }),
        ),
        (
            "wrong issuer",
            resign(&good, &as_key, |_, c| {
                drop(c.insert("iss".into(), json!("http://127.0.0.1:1")))
            }),
        ),
        (
            "missing issuer",
            resign(&good, &as_key, |_, c| drop(c.remove("iss"))),
        ),
        (
            "missing sub",
            resign(&good, &as_key, |_, c| drop(c.remove("sub"))),
        ),
        (
            "untrusted key, the AS's kid",
            resign(&good, &key("untrusted"), |_, _| {}),
        ),
        (
            "untrusted key, its own kid",
            resign(&good, &key("untrusted"), |h, _| {
                drop(h.insert("kid".into(), json!("untrusted-key")))
            }),
        ),
        (
            "alg none",
            unsigned(&good, |h, _| drop(h.insert("alg".into(), json!("none")))),
        ),
        (
            "alg HS256",
            resign(&good, &as_key, |h, _| {
                drop(h.insert("alg".into(), json!("HS256")))
            }),
        ),
        (
            "typ JWT",
            resign(&good, &as_key, |h, _| {
                drop(h.insert("typ".into(), json!("JWT")))
            }),
        ),
        (
            "no typ",
            resign(&good, &as_key, |h, _| drop(h.remove("typ"))),
        ),
        (
            "typ of an ID token",
            resign(&good, &as_key, |h, _| {
                drop(h.insert("typ".into(), json!("id_token+jwt")))
            }),
        ),
        ("tampered signature", {
            let mut bytes = good.clone().into_bytes();
            let at = good.rfind('.').unwrap() + 10;
            bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
            String::from_utf8(bytes).unwrap()
        }),
        ("tampered claims", {
            let (head, rest) = good.split_once('.').unwrap();
            let (_, signature) = rest.rsplit_once('.').unwrap();
            let (_, mut claims) = harness::parts(&good);
            claims.insert("scope".into(), json!("admin"));
            let claims = base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                serde_json::to_vec(&claims).unwrap(),
            );
            format!("{head}.{claims}.{signature}")
        }),
        (
            "an opaque token",
            auth.token("opaque-client", "tools:read", Some(url)).await,
        ),
    ];
    for (what, token) in &cases {
        refused(url, token, what).await;
    }

    // The `typ` opt-out, for IdPs that send `JWT`: the same token passes there.
    let lax = serve(&server(), &auth.issuer, "", |c| {
        c.verifier(jwt(&auth).allow_jwt_typ(true))
    })
    .await;
    let typ_jwt = resign(&good, &as_key, |h, c| {
        h.insert("typ".into(), json!("JWT"));
        c.insert("aud".into(), json!(lax.resource));
    });
    assert_eq!(
        call(&lax.resource, Some(&typ_jwt), None, "whoami").await.0,
        200,
        "typ JWT allowed"
    );
    refused(
        &lax.resource,
        &unsigned(&typ_jwt, |h, _| drop(h.insert("alg".into(), json!("none")))),
        "alg none, lax",
    )
    .await;
}

#[tokio::test]
async fn a_real_token_expires() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.verifier(jwt(&auth).leeway(Duration::ZERO))
    })
    .await;
    // short-client's tokens live 2 s.
    let token = auth
        .token("short-client", "tools:read", Some(&app.resource))
        .await;
    assert_eq!(
        call(&app.resource, Some(&token), None, "whoami").await.0,
        200,
        "fresh"
    );
    tokio::time::sleep(Duration::from_millis(3200)).await;
    refused(&app.resource, &token, "expired (minted by the AS, 2 s TTL)").await;
}

#[tokio::test]
async fn key_rotation_takes_one_fetch_and_kid_storms_are_bounded() {
    let cooldown = Duration::from_secs(2);
    let options = JwksOptions {
        cooldown,
        ..JwksOptions::default()
    };
    let auth = AuthServer::start("as_key_1").await;
    let counting = Counting::new();
    let verifier = JwtVerifier::jwks(&auth.issuer, auth.jwks_uri())
        .fetch(counting.clone())
        .jwks_options(options);
    let app = serve(&server(), &auth.issuer, "", |c| c.verifier(verifier)).await;
    let url = &app.resource;
    let first = auth.token("mcp-client", "tools:read", Some(url)).await;
    assert_eq!(call(url, Some(&first), None, "whoami").await.0, 200);
    assert_eq!(counting.jwks_fetches(), 1);
    let started = std::time::Instant::now();

    // A storm of made-up kids (signed with the AS's key): at most one fetch per cooldown.
    let storm = |round: usize| {
        let first = first.clone();
        let url = url.clone();
        async move {
            let calls = (0..40).map(|i| {
                let token = resign(&first, &key("as_key_1"), |h, _| {
                    drop(h.insert("kid".into(), json!(format!("storm-{round}-{i}"))))
                });
                let url = url.clone();
                async move { call(&url, Some(&token), None, "whoami").await.0 }
            });
            futures_util::future::join_all(calls).await
        }
    };
    assert!(storm(0).await.iter().all(|&s| s == 401));
    assert_eq!(
        counting.jwks_fetches(),
        1,
        "within the cooldown of the first fetch: no fetch"
    );
    tokio::time::sleep(cooldown.saturating_sub(started.elapsed()) + Duration::from_millis(100))
        .await;
    assert!(storm(1).await.iter().all(|&s| s == 401));
    assert_eq!(
        counting.jwks_fetches(),
        2,
        "after the cooldown: one fetch for 40 unknown kids"
    );

    // Rotation: the AS now signs with as_key_2 (and still publishes as_key_1).
    let auth = auth.restart("as_key_2,as_key_1").await;
    tokio::time::sleep(cooldown + Duration::from_millis(100)).await;
    let rotated = auth.token("mcp-client", "tools:read", Some(url)).await;
    assert_eq!(harness::parts(&rotated).0["kid"], "as-key-2");
    assert_eq!(
        call(url, Some(&rotated), None, "whoami").await.0,
        200,
        "the new key, after one refresh"
    );
    assert_eq!(counting.jwks_fetches(), 3);
    let again = auth.token("mcp-client", "tools:read", Some(url)).await;
    assert_eq!(call(url, Some(&again), None, "whoami").await.0, 200);
    assert_eq!(counting.jwks_fetches(), 3, "known keys need no fetch");
}

#[tokio::test]
async fn stale_keys_are_served_when_the_jwks_is_down() {
    let short = Duration::from_millis(500);
    let options = JwksOptions {
        ttl: short,
        min_ttl: short,
        max_ttl: short,
        cooldown: short,
    };
    let mut auth = AuthServer::start("as_key_1").await;
    let verifier = JwtVerifier::jwks(&auth.issuer, auth.jwks_uri())
        .fetch(Counting::new())
        .jwks_options(options);
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.verifier(verifier).no_token_cache()
    })
    .await;
    let token = auth
        .token("mcp-client", "tools:read", Some(&app.resource))
        .await;
    assert_eq!(
        call(&app.resource, Some(&token), None, "whoami").await.0,
        200
    );
    auth.stop().await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    // The keys are due and the refresh fails: the known key still verifies.
    assert_eq!(
        call(&app.resource, Some(&token), None, "whoami").await.0,
        200,
        "stale key served"
    );

    // Without any key ever fetched, an unreachable JWKS fails closed with 503.
    let cold = serve(&server(), &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    let response = post(&cold.resource, Some(&token), None, &body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
}

#[tokio::test]
async fn introspection_accepts_active_tokens_for_this_resource_only() {
    let auth = AuthServer::start("as_key_1").await;
    let introspection = IntrospectionVerifier::new(
        &auth.issuer,
        auth.introspection_endpoint(),
        "mcp-rs",
        "mcp-rs-secret",
    )
    .fetch(Counting::new());
    let verifier = AnyOf::new().or(jwt(&auth)).or(introspection);
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.verifier(verifier).no_token_cache()
    })
    .await;
    let url = &app.resource;
    let opaque = auth.token("opaque-client", "tools:read", Some(url)).await;
    assert!(!opaque.contains('.'), "an opaque token: {opaque}");
    assert_eq!(
        call(url, Some(&opaque), None, "whoami").await,
        (200, "opaque-client opaque-client tools:read".into())
    );
    // The JWT verifier comes first in the composition.
    let jwt_token = auth.token("mcp-client", "tools:read", Some(url)).await;
    assert_eq!(call(url, Some(&jwt_token), None, "whoami").await.0, 200);

    let no_aud = auth.token("opaque-client", "tools:read", None).await;
    refused(
        url,
        &no_aud,
        "introspection without aud (same client and scope, no resource)",
    )
    .await;
    let other = auth
        .token(
            "opaque-client",
            "tools:read",
            Some(&format!("{}/other", app.base)),
        )
        .await;
    refused(url, &other, "introspection for another resource").await;
    auth.revoke("opaque-client", &opaque).await;
    refused(url, &opaque, "introspection: inactive (revoked)").await;
}

#[tokio::test]
async fn protected_resource_metadata_under_a_mount_prefix() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "/api", |c| {
        c.scopes_supported(["tools:read", "tools:write"])
            .resource_name("Auth test")
            .verifier(jwt(&auth))
    })
    .await;
    assert_eq!(app.resource, format!("{}/api/mcp", app.base));
    let inserted = format!("{}/.well-known/oauth-protected-resource/api/mcp", app.base);
    let root = format!("{}/.well-known/oauth-protected-resource", app.base);
    let want = json!({
        "resource": app.resource,
        "authorization_servers": [auth.issuer],
        "scopes_supported": ["tools:read", "tools:write"],
        "bearer_methods_supported": ["header"],
        "resource_name": "Auth test",
    });
    for url in [&inserted, &root] {
        let response = http_client()
            .get(url)
            .header("origin", "https://app.example")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(response.json::<Value>().await.unwrap(), want, "{url}");
        let preflight = http_client()
            .request(reqwest::Method::OPTIONS, url)
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 204);
        let post = http_client().post(url).send().await.unwrap();
        assert_eq!(post.status(), 405);
        assert_eq!(post.headers()["allow"], "GET, HEAD, OPTIONS");
    }
    // The challenge of the mounted endpoint points at the path-inserted URI.
    let call_body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    let response = post(&app.resource, None, None, &call_body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(challenge(&response).contains(&format!("resource_metadata=\"{inserted}\"")));
    let token = auth
        .token("mcp-client", "tools:read", Some(&app.resource))
        .await;
    assert_eq!(
        call(&app.resource, Some(&token), None, "whoami").await.0,
        200
    );
    // A token for the unprefixed URL is for another resource.
    let unprefixed = auth
        .token(
            "mcp-client",
            "tools:read",
            Some(&format!("{}/mcp", app.base)),
        )
        .await;
    refused(
        &app.resource,
        &unprefixed,
        "audience without the mount prefix",
    )
    .await;

    // Forwarded headers change nothing unless trusted.
    let forwarded = http_client()
        .get(&inserted)
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "mcp.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forwarded.json::<Value>().await.unwrap()["resource"],
        app.resource
    );
    let trusting = serve(&server(), &auth.issuer, "/api", |c| {
        c.trust_forwarded_headers(true).verifier(jwt(&auth))
    })
    .await;
    let forwarded = http_client()
        .get(format!(
            "{}/.well-known/oauth-protected-resource/api/mcp",
            trusting.base
        ))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "mcp.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forwarded.json::<Value>().await.unwrap()["resource"],
        "https://mcp.example.com/api/mcp"
    );
}

#[tokio::test]
async fn sessions_are_bound_to_the_principal_that_created_them() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let url = &app.resource;
    let alice = auth.token("mcp-client", "tools:read", Some(url)).await;
    let mallory = auth.token("other-client", "tools:read", Some(url)).await;
    let session = initialize(url, &alice).await;
    assert_eq!(
        call(url, Some(&alice), Some(&session), "whoami").await.0,
        200
    );

    // Another principal with the same session id: 404 on POST, GET and DELETE.
    let (status, body) = call(url, Some(&mallory), Some(&session), "whoami").await;
    assert_eq!(status, 404, "{body}");
    let get = http_client()
        .get(url)
        .bearer_auth(&mallory)
        .header("accept", "text/event-stream")
        .header("mcp-session-id", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 404);
    let delete = http_client()
        .delete(url)
        .bearer_auth(&mallory)
        .header("mcp-session-id", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 404);
    // Mallory can still use her own session.
    let hers = initialize(url, &mallory).await;
    assert_eq!(
        call(url, Some(&mallory), Some(&hers), "whoami").await.0,
        200
    );

    // A new token of the same principal (a refresh) keeps the session.
    let refreshed = auth
        .token("mcp-client", "tools:read tools:write", Some(url))
        .await;
    assert_ne!(refreshed, alice);
    assert_eq!(
        call(url, Some(&refreshed), Some(&session), "whoami").await,
        (200, "mcp-client mcp-client tools:read,tools:write".into())
    );

    // Legacy SSE: the stream's message endpoint belongs to who opened it.
    let mut legacy = harness::Legacy::open(&format!("{}/sse", app.base), &alice).await;
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let hijack = http_client()
        .post(&legacy.endpoint)
        .bearer_auth(&mallory)
        .json(&init)
        .send()
        .await
        .unwrap();
    assert_eq!(hijack.status(), 404);
    assert_eq!(
        legacy.request(&refreshed, &init).await["result"]["protocolVersion"],
        "2024-11-05"
    );
    let _ = messages;
}

#[tokio::test]
async fn the_raw_token_reaches_tools_only_when_opted_in_for_exchange() {
    let auth = AuthServer::start("as_key_1").await;
    let plain = serve(&server(), &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let token = auth
        .token("mcp-client", "tools:read", Some(&plain.resource))
        .await;
    assert_eq!(
        call(&plain.resource, Some(&token), None, "subject_token").await,
        (200, "none".into())
    );
    let exchanging = serve(&server(), &auth.issuer, "", |c| {
        c.subject_token_for_exchange(true).verifier(jwt(&auth))
    })
    .await;
    let token = auth
        .token("mcp-client", "tools:read", Some(&exchanging.resource))
        .await;
    assert_eq!(
        call(&exchanging.resource, Some(&token), None, "subject_token").await,
        (200, token.len().to_string())
    );
}

/// The official TypeScript SDK client runs the whole OAuth flow headless against the real AS:
/// 401 → Protected Resource Metadata from the challenge → AS metadata → authorization code with
/// PKCE (S256) for our resource → token → tools. tests/auth/oauth_client.mjs is the client.
#[tokio::test]
async fn the_typescript_sdk_client_runs_the_oauth_flow() {
    let auth = AuthServer::start("as_key_1").await;
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.scopes_supported(["tools:read"]).verifier(jwt(&auth))
    })
    .await;
    let node = support::node();
    let output = support::command(node)
        .arg(support::repo().join("tests/auth/oauth_client.mjs"))
        .arg(&app.resource)
        .env("QUICKMCP_CACHE", support::cache())
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("the OAuth flow ends within 60 s")
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "oauth_client.mjs failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(report["challenge"]["status"], 401);
    let metadata = format!("{}/.well-known/oauth-protected-resource/mcp", app.base);
    assert_eq!(
        report["challenge"]["header"],
        format!("Bearer resource_metadata=\"{metadata}\", scope=\"tools:read\"")
    );
    assert_eq!(report["authorize"]["resource"], app.resource.as_str());
    assert_eq!(report["authorize"]["scope"], "tools:read");
    assert_eq!(report["authorize"]["code_challenge_method"], "S256");
    assert_eq!(report["authorize"]["steps"], json!(["login", "consent"]));
    assert_eq!(
        report["tools"],
        json!(["both_ways", "subject_token", "whoami"])
    );
    assert_eq!(report["whoami"], "alice mcp-public tools:read");
}

/// examples/auth.rs as a user runs it: `run_http_with` serves the metadata at the root too,
/// and the tools see the principal.
#[tokio::test]
async fn the_example_serves_metadata_and_checks_tokens() {
    let auth = AuthServer::start("as_key_1").await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _example = support::command(support::example_binary("auth"))
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .env("ISSUER", &auth.issuer)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the auth example");
    let base = format!("http://127.0.0.1:{port}");
    let resource = format!("{base}/mcp");
    let started = std::time::Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the example is not listening"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for path in [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ] {
        let document: Value = http_client()
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(document["resource"], resource.as_str(), "{path}");
        assert_eq!(
            document["authorization_servers"],
            json!([auth.issuer]),
            "{path}"
        );
    }
    let (status, _) = call(&resource, None, None, "whoami").await;
    assert_eq!(status, 401);
    let token = auth
        .token("mcp-client", "tools:read", Some(&resource))
        .await;
    let (status, text) = call(&resource, Some(&token), None, "whoami").await;
    assert_eq!(
        (status, text.as_str()),
        (
            200,
            "subject mcp-client (client mcp-client), scopes: tools:read"
        )
    );
    assert_eq!(
        call(&resource, Some(&token), None, "greet").await.1,
        "Hello, mcp-client!"
    );
}

#[tokio::test]
async fn insufficient_scope_gets_403_naming_every_required_scope() {
    let auth = AuthServer::start("as_key_1").await;
    let required = ["tools:read", "tools:write"];
    let app = serve(&server(), &auth.issuer, "", |c| {
        c.scopes_supported(required)
            .required_scopes(required)
            .verifier(jwt(&auth))
    })
    .await;
    let url = &app.resource;
    let both = auth
        .token("mcp-client", "tools:read tools:write", Some(url))
        .await;
    assert_eq!(call(url, Some(&both), None, "whoami").await.0, 200);
    let metadata = format!("{}/.well-known/oauth-protected-resource/mcp", app.base);
    let want = format!(
        "Bearer error=\"insufficient_scope\", scope=\"tools:read tools:write\", resource_metadata=\"{metadata}\", \
         error_description=\"The access token lacks a scope this request needs\""
    );
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "whoami"}});
    for (scope, missing) in [
        ("tools:read", "tools:write"),
        ("admin", "tools:read tools:write"),
    ] {
        // The same client, one scope fewer.
        let token = auth.token("mcp-client", scope, Some(url)).await;
        let response = post(url, Some(&token), None, &body).send().await.unwrap();
        assert_eq!(response.status(), 403, "{scope}");
        assert_eq!(challenge(&response), want, "{scope}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains(missing),
            "{error}"
        );
    }
    // A broader scope covers the narrower ones only under a hierarchy.
    let broad = auth.token("mcp-client", "tools", Some(url)).await;
    assert_eq!(
        call(url, Some(&broad), None, "whoami").await.0,
        403,
        "exact matching"
    );
    let hierarchy = serve(&server(), &auth.issuer, "", |c| {
        c.required_scopes(required)
            .scope_matcher(quickmcp::auth::ColonHierarchy)
            .verifier(jwt(&auth))
    })
    .await;
    let broad = auth
        .token("mcp-client", "tools", Some(&hierarchy.resource))
        .await;
    assert_eq!(
        call(&hierarchy.resource, Some(&broad), None, "whoami").await,
        (200, "mcp-client mcp-client tools".into())
    );
    let narrow = auth
        .token("mcp-client", "tools:read", Some(&hierarchy.resource))
        .await;
    assert_eq!(
        call(&hierarchy.resource, Some(&narrow), None, "whoami")
            .await
            .0,
        403,
        "tools:read does not cover tools:write"
    );
}

/// The names a list result holds, under `key` (`tools`, `resources`).
fn listed(body: &str, key: &str, field: &str) -> Vec<String> {
    let message = messages(body).pop().unwrap();
    message["result"][key]
        .as_array()
        .unwrap_or_else(|| panic!("{message}"))
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

/// POSTs `method` with `params` on the 2025 session, or on the 2026 wire without one.
async fn request(
    url: &str,
    token: &str,
    session: Option<&str>,
    method: &str,
    mut params: Value,
) -> reqwest::Response {
    if session.is_none() {
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        });
    }
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
    let mut request = post(url, Some(token), session, &body);
    if session.is_none() {
        request = request
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", method);
        if let Some(name) = params["name"].as_str().or(params["uri"].as_str()) {
            request = request.header("mcp-name", name);
        }
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn per_tool_scopes_get_403_and_lists_show_only_what_the_token_may_use() {
    let auth = AuthServer::start("as_key_1").await;
    let server = server().tool(write_note).resource(admin_notes);
    let app = serve(&server, &auth.issuer, "", |c| c.verifier(jwt(&auth))).await;
    let url = &app.resource;
    let reader = auth.token("mcp-client", "tools:read", Some(url)).await;
    let writer = auth
        .token("mcp-client", "tools:read tools:write", Some(url))
        .await;
    let metadata = format!("{}/.well-known/oauth-protected-resource/mcp", app.base);
    let reader_session = initialize(url, &reader).await;
    let writer_session = initialize(url, &writer).await;
    for (session, wire) in [(Some(&*reader_session), "2025"), (None, "2026")] {
        // The reader: 403 naming the tool's scope, before the tool runs; other tools work.
        let params = json!({"name": "write_note", "arguments": {}});
        let response = request(url, &reader, session, "tools/call", params).await;
        assert_eq!(response.status(), 403, "{wire}");
        assert_eq!(
            challenge(&response),
            format!(
                "Bearer error=\"insufficient_scope\", scope=\"tools:write\", resource_metadata=\"{metadata}\", \
                 error_description=\"The access token lacks a scope this request needs\""
            ),
            "{wire}"
        );
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["id"], 7, "{wire}: {error}");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("tools:write"),
            "{wire}: {error}"
        );
        assert_eq!(
            call(url, Some(&reader), session, "whoami").await.0,
            200,
            "{wire}"
        );
        let response = request(url, &reader, session, "tools/list", json!({})).await;
        let body = response.text().await.unwrap();
        let tools = listed(&body, "tools", "name");
        assert!(
            tools.contains(&"whoami".to_owned()) && !tools.contains(&"write_note".to_owned()),
            "{wire}: {tools:?}"
        );
        if session.is_none() {
            assert!(body.contains(r#""cacheScope":"private""#), "{body}");
        }
        // A resource is refused the same way, and left out of the list.
        let params = json!({"uri": "notes://admin"});
        let response = request(url, &reader, session, "resources/read", params).await;
        assert_eq!(response.status(), 403, "{wire}");
        assert!(challenge(&response).contains(r#"scope="admin""#), "{wire}");
        let response = request(url, &reader, session, "resources/list", json!({})).await;
        let uris = listed(&response.text().await.unwrap(), "resources", "uri");
        assert!(uris.is_empty(), "{wire}: {uris:?}");
    }
    // Legacy SSE: the POST /messages itself is refused, and the stream carries nothing.
    let mut legacy = harness::Legacy::open(&format!("{}/sse", app.base), &reader).await;
    let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    legacy.request(&reader, &init).await;
    let write = json!({"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": {"name": "write_note"}});
    let refused = post(&legacy.endpoint, Some(&reader), None, &write)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "POST /messages");
    assert!(challenge(&refused).contains(r#"scope="tools:write""#));
    let who =
        json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "whoami"}});
    let reply = legacy.request(&reader, &who).await;
    assert_eq!(
        reply["id"], 9,
        "the next message on the stream answers the next call: {reply}"
    );

    // The writer, one scope more: listed and served.
    for session in [Some(&*writer_session), None] {
        assert_eq!(
            call(url, Some(&writer), session, "write_note").await,
            (200, "written".into())
        );
        let response = request(url, &writer, session, "tools/list", json!({})).await;
        let tools = listed(&response.text().await.unwrap(), "tools", "name");
        assert!(tools.contains(&"write_note".to_owned()), "{tools:?}");
    }
}
