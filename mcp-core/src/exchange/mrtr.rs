//! The 2026-07-28 implementation of [`ClientExchange`]: multi-round-trip requests (MRTR,
//! `InputRequiredResult`). A call's server→client requests are answered from the retried
//! call's `inputResponses`; when an answer is missing, the request is recorded and never
//! resolves, so that the dispatcher stops the call and returns `resultType: "input_required"`
//! with every request gathered so far and a signed `requestState`. The state carries the
//! answers already used (so the retry needs only the new ones), the tool's own state and the
//! time it was issued: a state older than the server's maximum age
//! ([`McpServer::set_request_state_max_age`](crate::McpServer::set_request_state_max_age),
//! 10 minutes by default) is refused like a tampered one.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use sha2::Sha256;
use tokio::sync::Notify;

use super::{ClientExchange, ClientRequest, ExchangeFuture};
use crate::error::McpError;
use crate::jsonrpc::{self, RequestId};

type HmacSha256 = Hmac<Sha256>;

/// How long a `requestState` stays valid unless the server says otherwise.
pub(crate) const DEFAULT_MAX_AGE: Duration = Duration::from_secs(10 * 60);

/// Milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// The key that signs `requestState` (HMAC-SHA256). Random per server unless set with
/// [`McpServer::set_request_state_key`](crate::McpServer::set_request_state_key) (needed when
/// several server processes serve the same clients).
#[derive(Clone)]
pub(crate) struct StateKey(Arc<[u8]>);

impl Default for StateKey {
    fn default() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(Arc::new(bytes))
    }
}

impl StateKey {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        Self(bytes.into())
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length.
        HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length")
    }

    /// `base64url(payload).base64url(hmac(payload))`.
    fn sign(&self, payload: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(payload);
        let tag = mac.finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The payload of a state this key signed; `None` when it was altered or is malformed.
    fn verify(&self, state: &str) -> Option<Vec<u8>> {
        let (payload, tag) = state.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        let mut mac = self.mac();
        mac.update(&payload);
        mac.verify_slice(&tag).ok()?;
        Some(payload)
    }
}

/// What `requestState` holds, signed.
#[derive(Serialize, Deserialize, Default)]
struct StatePayload {
    /// `tools/call:<name>` or `prompts/get:<name>`: a state is valid only for the same target.
    t: String,
    /// Answers used in earlier rounds, by key.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    a: Map<String, Value>,
    /// The tool's own state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    s: Option<Value>,
    /// When the state was issued, in milliseconds since the Unix epoch.
    #[serde(default)]
    i: u64,
}

/// `InputRequiredResult`; `resultType` first, which tells the 2026 wire not to add its own.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InputRequired<'a> {
    result_type: &'static str,
    input_requests: &'a BTreeMap<String, Value>,
    request_state: String,
}

#[derive(Deserialize)]
struct RoundParams {
    #[serde(default, rename = "inputResponses")]
    input_responses: Option<Map<String, Value>>,
    #[serde(default, rename = "requestState")]
    request_state: Option<String>,
}

/// The payload of `signed`, if this server issued it for `target` less than `max_age` ago.
fn verified_state(
    signed: &str,
    target: &str,
    key: &StateKey,
    max_age: Duration,
) -> Result<StatePayload, McpError> {
    let invalid = || {
        McpError::invalid_params(
            "`requestState` failed its integrity check: echo the value the server sent, unchanged",
        )
        .with_data(serde_json::json!({ "reason": "integrity" }))
    };
    let payload = key.verify(signed).ok_or_else(invalid)?;
    let state: StatePayload = serde_json::from_slice(&payload).map_err(|_| invalid())?;
    if state.t != target {
        return Err(invalid());
    }
    let age = Duration::from_millis(now_ms().saturating_sub(state.i));
    if age >= max_age {
        return Err(McpError::invalid_params(format!(
            "`requestState` expired: issued {} s ago, the server accepts {} s; start the request again without it",
            age.as_secs(),
            max_age.as_secs()
        ))
        .with_data(serde_json::json!({ "reason": "expired" })));
    }
    Ok(state)
}

/// One round of an MRTR call: the answers it has, the requests it still needs.
pub(crate) struct InputRound {
    /// The state's target is `method:name`, formatted only when a state is verified or signed.
    method: &'static str,
    name: Cow<'static, str>,
    answers: Map<String, Value>,
    used: Mutex<BTreeSet<String>>,
    pending: Mutex<BTreeMap<String, Value>>,
    counter: AtomicU32,
    prior_state: Option<Value>,
    next_state: Mutex<Option<Value>>,
    notify: Notify,
}

impl InputRound {
    /// Reads `inputResponses` and `requestState` from a `tools/call`, `prompts/get` or
    /// `resources/read`'s params. A `requestState` that this server did not sign for
    /// `method:name`, or signed `max_age` ago or earlier, is `-32602`. `key` is asked for only
    /// when there is a state to verify.
    pub(crate) fn from_params(
        params: &RawValue,
        method: &'static str,
        name: Cow<'static, str>,
        key: impl FnOnce() -> StateKey,
        max_age: Duration,
    ) -> Result<Self, McpError> {
        let wire: RoundParams = serde_json::from_str(params.get())
            .map_err(|e| McpError::invalid_params(format!("invalid `inputResponses`: {e}")))?;
        let state = match &wire.request_state {
            Some(signed) => verified_state(signed, &format!("{method}:{name}"), &key(), max_age)?,
            None => StatePayload::default(),
        };
        let mut round = Self::first(method, name);
        round.answers = state.a;
        // Answers must be result objects; anything else is not an answer and is asked again.
        round.answers.extend(
            wire.input_responses
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, v)| v.is_object()),
        );
        round.prior_state = state.s;
        Ok(round)
    }

    /// The first round of a call whose params carry neither `inputResponses` nor
    /// `requestState`: nothing to read or verify.
    pub(crate) fn first(method: &'static str, name: Cow<'static, str>) -> Self {
        Self {
            method,
            name,
            answers: Map::new(),
            used: Mutex::default(),
            pending: Mutex::default(),
            counter: AtomicU32::new(0),
            prior_state: None,
            next_state: Mutex::default(),
            notify: Notify::new(),
        }
    }

    /// The tool's state from the previous round.
    pub(crate) fn request_state(&self) -> Option<&Value> {
        self.prior_state.as_ref()
    }

    /// Sets the state the next round sees.
    pub(crate) fn set_request_state(&self, state: Value) {
        *self.next_state.lock() = Some(state);
    }

    /// Resolves once the call is waiting for an answer it does not have.
    pub(crate) async fn stopped(&self) {
        loop {
            self.notify.notified().await;
            if !self.pending.lock().is_empty() {
                return;
            }
        }
    }

    /// The `input_required` response: every pending request, and the signed state.
    pub(crate) fn input_required(&self, id: &RequestId, key: &StateKey) -> Bytes {
        let used = self.used.lock();
        let a = self
            .answers
            .iter()
            .filter(|(k, _)| used.contains(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let s = self
            .next_state
            .lock()
            .clone()
            .or_else(|| self.prior_state.clone());
        let payload = serde_json::to_vec(&StatePayload {
            t: format!("{}:{}", self.method, self.name),
            a,
            s,
            i: now_ms(),
        })
        .unwrap_or_default();
        let result = InputRequired {
            result_type: "input_required",
            input_requests: &self.pending.lock(),
            request_state: key.sign(&payload),
        };
        jsonrpc::response(id, &result)
    }

    fn ask(&self, request: ClientRequest) -> Option<Box<RawValue>> {
        let key = request.key.clone().unwrap_or_else(|| {
            let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
            let kind = request.method.split('/').next().unwrap_or("input");
            format!("{kind}-{n}")
        });
        if let Some(answer) = self.answers.get(&key) {
            self.used.lock().insert(key);
            return serde_json::value::to_raw_value(answer).ok();
        }
        let params: Value = serde_json::from_str(request.params.get()).unwrap_or_default();
        self.pending.lock().insert(
            key,
            serde_json::json!({ "method": request.method, "params": params }),
        );
        self.notify.notify_one();
        None
    }
}

/// The round is the call's exchange itself, so that setting it up allocates nothing more.
impl ClientExchange for InputRound {
    fn request(&self, request: ClientRequest) -> ExchangeFuture {
        match self.ask(request) {
            Some(answer) => Box::pin(async move { Ok(answer) }),
            // Never answered: the dispatcher stops the call and returns `input_required`.
            None => Box::pin(std::future::pending()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    fn request(method: &'static str, key: Option<&str>) -> ClientRequest {
        ClientRequest {
            method,
            params: raw("{}"),
            key: key.map(Into::into),
        }
    }

    fn state_of(response: &Bytes) -> (Value, String) {
        let v: Value = serde_json::from_slice(response).unwrap();
        let state = v["result"]["requestState"].as_str().unwrap().to_owned();
        (v["result"].clone(), state)
    }

    /// Reads a retry of `tools/call:{name}` carrying `state`, as the server with `key` would.
    fn retry(
        state: &str,
        name: &'static str,
        key: &StateKey,
        max_age: Duration,
    ) -> Result<InputRound, McpError> {
        let params = raw(&serde_json::json!({ "requestState": state }).to_string());
        InputRound::from_params(&params, "tools/call", name.into(), || key.clone(), max_age)
    }

    #[test]
    fn tampered_or_foreign_state_is_invalid_params() {
        let key = StateKey::default();
        let round = InputRound::first("tools/call", "a".into());
        assert!(round.ask(request("roots/list", None)).is_none());
        let (_, state) = state_of(&round.input_required(&RequestId::Number(1), &key));
        assert!(retry(&state, "a", &key, DEFAULT_MAX_AGE).is_ok());
        for bad in [
            format!("{state}-TAMPERED"),
            format!("x{state}"),
            "garbage".into(),
        ] {
            let err = retry(&bad, "a", &key, DEFAULT_MAX_AGE);
            assert_eq!(err.err().unwrap().code, -32602, "{bad}");
        }
        let other = retry(&state, "b", &key, DEFAULT_MAX_AGE);
        assert_eq!(other.err().unwrap().code, -32602, "bound to its target");
        let other_key = StateKey::new(b"another");
        let err = retry(&state, "a", &other_key, DEFAULT_MAX_AGE);
        assert_eq!(err.err().unwrap().code, -32602, "signed by another key");
    }

    /// A state for `tools/call:a` signed with `key`, issued `age` ago.
    fn state_issued_ago(key: &StateKey, age: Duration) -> String {
        let issued = now_ms() - u64::try_from(age.as_millis()).unwrap();
        let payload = serde_json::json!({ "t": "tools/call:a", "i": issued });
        key.sign(payload.to_string().as_bytes())
    }

    #[test]
    fn old_states_expire() {
        let key = StateKey::default();
        let max_age = Duration::from_secs(600);
        let recent = state_issued_ago(&key, Duration::from_secs(540));
        assert!(retry(&recent, "a", &key, max_age).is_ok());
        let old = state_issued_ago(&key, Duration::from_secs(660));
        let err = retry(&old, "a", &key, max_age).err().unwrap();
        assert_eq!(err.code, -32602);
        assert!(err.message.contains("expired"), "{}", err.message);
        assert_eq!(err.data.unwrap()["reason"], "expired");
        // A state without an issue time (as before expiry existed) is as old as the epoch.
        let undated = key.sign(br#"{"t":"tools/call:a"}"#);
        let err = retry(&undated, "a", &key, max_age);
        assert!(err.err().unwrap().message.contains("expired"));
    }

    #[test]
    fn answers_carry_over_rounds_and_missing_ones_are_asked_again() {
        let key = StateKey::default();
        // Round 1: two concurrent asks, both pending.
        let r1 = InputRound::first("tools/call", "t".into());
        assert!(r1
            .ask(request("elicitation/create", Some("name")))
            .is_none());
        assert!(r1.ask(request("roots/list", None)).is_none());
        let (result, state) = state_of(&r1.input_required(&RequestId::Number(1), &key));
        assert_eq!(result["resultType"], "input_required");
        assert_eq!(
            result["inputRequests"]["name"]["method"],
            "elicitation/create"
        );
        assert_eq!(result["inputRequests"]["roots-1"]["method"], "roots/list");
        // Round 2: one answer, one garbage answer (asked again), the tool sets its state.
        let params = serde_json::json!({
            "requestState": state,
            "inputResponses": {"name": {"action": "accept"}, "roots-1": 5, "extra": {}},
        });
        let r2 = InputRound::from_params(
            &raw(&params.to_string()),
            "tools/call",
            "t".into(),
            || key.clone(),
            DEFAULT_MAX_AGE,
        )
        .unwrap();
        assert!(r2
            .ask(request("elicitation/create", Some("name")))
            .is_some());
        assert!(r2.ask(request("roots/list", None)).is_none());
        r2.set_request_state(serde_json::json!("step2"));
        let (result, state2) = state_of(&r2.input_required(&RequestId::Number(2), &key));
        assert_ne!(state, state2);
        assert!(result["inputRequests"].get("name").is_none());
        // Round 3: only the new answer is sent; the first comes from the state.
        let params = serde_json::json!({
            "requestState": state2,
            "inputResponses": {"roots-1": {"roots": []}},
        });
        let r3 = InputRound::from_params(
            &raw(&params.to_string()),
            "tools/call",
            "t".into(),
            || key.clone(),
            DEFAULT_MAX_AGE,
        )
        .unwrap();
        assert_eq!(r3.request_state(), Some(&serde_json::json!("step2")));
        assert!(r3
            .ask(request("elicitation/create", Some("name")))
            .is_some());
        assert!(r3.ask(request("roots/list", None)).is_some());
    }
}
