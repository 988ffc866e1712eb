//! The 2026-07-28 wire around the shared methods: the version and the method checked once,
//! its own methods (`server/discover`, `subscriptions/listen`, `tasks/*`), and every result
//! finished: `resultType`, `_meta.serverInfo` and caching hints spliced in, a call that needed
//! a capability the client did not declare answered `-32021`, and the errors whose HTTP status
//! the wire fixes (404 for an unknown method, 400 for -32020 to -32022) carried as rejections.

use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use http::StatusCode;
use serde_json::json;

use super::invoke::{Answer, Outcome};
use super::{Engine, McpRequest, McpResponse, Outgoing};
use crate::error::{code, McpError, Rejection};
use crate::exchange::ExchangeError;
use crate::jsonrpc::{self, RequestId};
use crate::protocol::v2026::{
    self, unsupported_version, CacheHint, CacheScope, DiscoverCapabilities, DiscoverResult,
    RequestMeta,
};

/// Runs a request of the 2026 wire.
pub(crate) fn dispatch_v2026(
    engine: &Arc<Engine>,
    McpRequest { request, cx }: McpRequest,
) -> Outgoing {
    let meta = cx.v2026.clone().expect("a 2026 request carries its _meta");
    let id = request.id.clone();
    if meta.protocol_version != v2026::VERSION {
        return rejected(&id, unsupported_version(&meta.protocol_version));
    }
    let method = &*request.method;
    if !engine.serves_v2026(method) {
        return rejected(&id, McpError::method_not_found(method));
    }
    let cache = match cacheable(method) {
        // What an authenticated request lists depends on its principal's scopes.
        true if method.ends_with("/list") && cx.scope_gate().is_some() => Cache::Private,
        true => Cache::Hinted,
        false => Cache::None,
    };
    let answer = match method {
        "server/discover" => Answer::ready(Ok(engine.discover(&id))),
        "subscriptions/listen" => engine.listen(request, cx),
        "tasks/get" | "tasks/update" | "tasks/cancel" => engine.task_method(request, meta.clone()),
        _ => engine.route(request, cx),
    };
    let finish = {
        let engine = engine.clone();
        move |outcome: Outcome| engine.finish(&id, &meta, cache, outcome)
    };
    match answer {
        Answer::Ready(outcome) => Outgoing::Ready(finish(outcome)),
        Answer::Running(running) => {
            Outgoing::Running(Box::pin(async move { finish(running.await) }))
        }
        Answer::Refused(rejection) => Outgoing::Ready(Err(rejection)),
    }
}

fn rejected(id: &RequestId, error: McpError) -> Outgoing {
    Outgoing::Ready(Err(reject(id, error)))
}

/// An error of the 2026 wire, with the HTTP status its code calls for.
fn reject(id: &RequestId, error: McpError) -> Rejection {
    let status = match error.code {
        code::METHOD_NOT_FOUND => Some(StatusCode::NOT_FOUND),
        code::HEADER_MISMATCH | code::MISSING_CLIENT_CAPABILITY | code::UNSUPPORTED_VERSION => {
            Some(StatusCode::BAD_REQUEST)
        }
        _ => None,
    };
    let rejection = Rejection::new(error).with_id(Some(id.clone()));
    match status {
        Some(status) => rejection.with_status(status),
        None => rejection,
    }
}

/// Which caching hints a result gets.
#[derive(Clone, Copy)]
enum Cache {
    /// None: the result is not cacheable.
    None,
    /// The server's, or the read resource's.
    Hinted,
    /// Those, scoped to the client that asked.
    Private,
}

fn cacheable(method: &str) -> bool {
    matches!(
        method,
        "server/discover"
            | "tools/list"
            | "prompts/list"
            | "resources/list"
            | "resources/templates/list"
            | "resources/read"
    )
}

impl Engine {
    /// Whether `method` is answered on the 2026 wire, given what the server offers (else
    /// `-32601`, HTTP 404). Checks only what the method needs (cheap registry flags).
    pub(crate) fn serves_v2026(&self, method: &str) -> bool {
        let resources = || self.resources.has_entries() || self.templates.has_entries();
        match method {
            "server/discover" => true,
            "tools/list" | "tools/call" => self.tools.has_entries(),
            "resources/list" | "resources/templates/list" | "resources/read" => resources(),
            "prompts/list" | "prompts/get" => self.prompts.has_entries(),
            "completion/complete" => self.capabilities().completions.is_some(),
            "tasks/get" | "tasks/update" | "tasks/cancel" => self.offers_tasks(),
            "subscriptions/listen" => {
                self.tools.has_entries() || self.prompts.has_entries() || resources()
            }
            _ => false,
        }
    }

    fn finish(
        &self,
        id: &RequestId,
        meta: &RequestMeta,
        cache: Cache,
        outcome: Outcome,
    ) -> Result<McpResponse, Rejection> {
        let Some(outcome) = outcome else {
            return Ok(McpResponse::none());
        };
        // A call that failed for want of a capability the client did not declare is answered
        // with -32021, whatever the tool made of the failure (2026: the server MUST NOT rely on
        // undeclared capabilities and says which it needed).
        let missing = meta
            .missing_capability()
            .map(ExchangeError::MissingCapability);
        match (outcome, missing) {
            (Err(_), Some(missing)) => Err(reject(id, missing.into())),
            (Ok(_), Some(missing)) if meta.had_error_result() => Err(reject(id, missing.into())),
            (Ok(bytes), _) => {
                let cache = match cache {
                    Cache::None => None,
                    Cache::Hinted => Some(meta.resource_cache()),
                    Cache::Private => Some(CacheHint {
                        scope: Some(CacheScope::Private),
                        ..meta.resource_cache()
                    }),
                };
                Ok(McpResponse::new(self.decorate(bytes, cache)))
            }
            // 2026-07-28 replaced -32002 with -32602 (`data.uri` is already there).
            (Err(e), _) if e.code == code::RESOURCE_NOT_FOUND => Err(reject(
                id,
                McpError {
                    code: code::INVALID_PARAMS,
                    ..e
                },
            )),
            (Err(e), _) => Err(reject(id, e)),
        }
    }

    pub(crate) fn discover(&self, id: &RequestId) -> Bytes {
        let caps = self.capabilities();
        let info = self.info.read();
        jsonrpc::response(
            id,
            &DiscoverResult {
                supported_versions: [v2026::VERSION],
                capabilities: DiscoverCapabilities {
                    core: &caps,
                    extensions: self
                        .offers_tasks()
                        .then(|| json!({ crate::tasks::EXTENSION: {} })),
                },
                instructions: info.instructions.as_deref(),
            },
        )
    }

    /// Splices `resultType`, `_meta.serverInfo` and (when `cache` is some: the result is
    /// cacheable, with these overrides of the server's hints) the caching hints into a
    /// serialized result response, without parsing it.
    pub(crate) fn decorate(&self, response: Bytes, cache: Option<CacheHint>) -> Bytes {
        const RESULT: &[u8] = br#","result":{"#;
        let Some(at) = find(&response, RESULT).map(|i| i + RESULT.len()) else {
            return response;
        };
        let info = self.server_info_json();
        let mut out = BytesMut::with_capacity(response.len() + info.len() + 128);
        out.put_slice(&response[..at]);
        let rest = &response[at..];
        // A result that says its own type (`input_required`, which comes first) keeps it.
        if !rest.starts_with(br#""resultType""#) {
            out.put_slice(br#""resultType":"complete","#);
        }
        out.put_slice(br#""_meta":{"io.modelcontextprotocol/serverInfo":"#);
        out.put_slice(&info);
        out.put_u8(b'}');
        if let Some(resource) = cache {
            self.cache.put(&mut out, resource);
        }
        if !rest.starts_with(b"}") {
            out.put_u8(b',');
        }
        out.put_slice(rest);
        out.freeze()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::value::RawValue;
    use serde_json::Value;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn results_get_result_type_server_info_and_cache_hints() {
        let server = Engine::new("demo".into());
        let id = RequestId::Number(7);
        let out = server.decorate(
            jsonrpc::response_raw(&id, &raw("{}")),
            Some(CacheHint::default()),
        );
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["resultType"], "complete");
        assert_eq!(v["result"]["ttlMs"], 0);
        assert_eq!(v["result"]["cacheScope"], "public");
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "demo");
        server.info.write().implementation.name = "renamed".into();
        server.identity_changed();
        let out = server.decorate(jsonrpc::response_raw(&id, &raw("{}")), None);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "renamed");
        let out = server.decorate(jsonrpc::response_raw(&id, &raw(r#"{"a":1}"#)), None);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["a"], 1);
        assert!(v["result"].get("ttlMs").is_none());
    }

    #[test]
    fn a_resource_hint_overrides_the_server_hints_it_sets() {
        let server = Engine::new("demo".into());
        server.cache.set(5_000, CacheScope::Public);
        let id = RequestId::Number(7);
        let finish = |hint| {
            let out = server.decorate(jsonrpc::response_raw(&id, &raw("{}")), Some(hint));
            serde_json::from_slice::<Value>(&out).unwrap()["result"].clone()
        };
        let ttl_only = finish(CacheHint {
            ttl_ms: Some(60_000),
            scope: None,
        });
        assert_eq!(
            (&ttl_only["ttlMs"], &ttl_only["cacheScope"]),
            (&json!(60_000), &json!("public"))
        );
        let scope_only = finish(CacheHint {
            ttl_ms: None,
            scope: Some(CacheScope::Private),
        });
        assert_eq!(
            (&scope_only["ttlMs"], &scope_only["cacheScope"]),
            (&json!(5_000), &json!("private"))
        );
    }

    #[test]
    fn typed_results_keep_their_type() {
        let server = Engine::new("demo".into());
        let id = RequestId::Number(7);
        let typed = raw(r#"{"resultType":"input_required","inputRequests":{}}"#);
        let out = server.decorate(jsonrpc::response_raw(&id, &typed), None);
        let text = std::str::from_utf8(&out).unwrap();
        assert_eq!(text.matches("resultType").count(), 1, "{text}");
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["result"]["resultType"], "input_required");
        assert_eq!(v["result"]["_meta"][META_SERVER_INFO]["name"], "demo");
    }

    const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
}
