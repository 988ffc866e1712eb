//! JSON-RPC 2.0 framing: parsing one incoming message, writing outgoing ones as bytes.
//!
//! Outgoing messages are serialized once, straight into the bytes a transport writes; params stay
//! raw JSON (`RawValue`) until the handler that owns their type deserializes them.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::McpError;

/// A JSON-RPC request id: a string or an integer (MCP forbids `null`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RequestId {
    /// An integer id.
    Number(i64),
    /// A string id.
    String(Arc<str>),
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::String(s) => write!(f, "{s:?}"),
        }
    }
}

impl Serialize for RequestId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => s.serialize_i64(*n),
            Self::String(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = RequestId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or integer request id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RequestId, E> {
                Ok(RequestId::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RequestId, E> {
                i64::try_from(v)
                    .map(RequestId::Number)
                    .map_err(|_| E::custom("request id out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RequestId, E> {
                Ok(RequestId::String(v.into()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A request: expects exactly one response.
#[derive(Debug)]
pub struct Request {
    /// The id the response must echo.
    pub id: RequestId,
    /// The method name, e.g. `tools/call`.
    pub method: Box<str>,
    /// The params, still as raw JSON.
    pub params: Option<Box<RawValue>>,
}

/// A notification: no id, never answered.
#[derive(Debug)]
pub struct Notification {
    /// The method name, e.g. `notifications/cancelled`.
    pub method: Box<str>,
    /// The params, still as raw JSON.
    pub params: Option<Box<RawValue>>,
}

/// A response from the client to a request the server sent.
#[derive(Debug)]
pub struct Response {
    /// The id of the server's request.
    pub id: RequestId,
    /// `Ok(result)` or `Err(error object)`, as raw JSON.
    pub outcome: Result<Box<RawValue>, Box<RawValue>>,
}

/// One parsed incoming JSON-RPC message.
#[derive(Debug)]
pub enum Message {
    /// A request.
    Request(Request),
    /// A notification.
    Notification(Notification),
    /// A response to a server-initiated request.
    Response(Response),
}

/// Why a body could not be turned into a [`Message`]; carries the id when it could be read.
#[derive(Debug)]
pub struct ParseFailure {
    /// The request id, when the message was valid enough to have one.
    pub id: Option<RequestId>,
    /// `-32700` or `-32600`, with a message naming the problem.
    pub error: McpError,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    jsonrpc: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Option<RequestId>>,
    #[serde(borrow, default, deserialize_with = "borrowed_str")]
    method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

/// A string that borrows from the input unless it holds escapes. serde's own `Cow<str>`
/// always copies (`#[serde(borrow)]` reaches only a bare `Cow<str>`, not one in an `Option`
/// or a map key): an allocation per field per message. Same errors as `String`'s.
pub(crate) struct BorrowedStr<'a>(pub(crate) Cow<'a, str>);

impl<'de> Deserialize<'de> for BorrowedStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = BorrowedStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// `Option<Cow<str>>` through [`BorrowedStr`], for `#[serde(deserialize_with)]`.
pub(crate) fn borrowed_str<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(Option::<BorrowedStr<'de>>::deserialize(d)?.map(|s| s.0))
}

// Tells a missing `id` (notification) apart from `"id": null` (invalid in MCP).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<RequestId>>, D::Error> {
    Option::<RequestId>::deserialize(d).map(Some)
}

impl Message {
    /// Parses one JSON-RPC message from a body or a line.
    ///
    /// ```
    /// use quickmcp_core::jsonrpc::{Message, RequestId};
    ///
    /// let msg = Message::parse(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).unwrap();
    /// assert!(matches!(msg, Message::Request(r) if r.id == RequestId::Number(1) && &*r.method == "ping"));
    /// ```
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseFailure> {
        let env = read_envelope(bytes)?;
        let id = match env.id {
            Some(None) => {
                return Err(invalid(
                    None,
                    "the request id must be a string or an integer, not null",
                ));
            }
            Some(Some(id)) => Some(id),
            None => None,
        };
        if env.jsonrpc.as_deref() != Some("2.0") {
            return Err(invalid(id, "`jsonrpc` must be \"2.0\""));
        }
        let params = env.params.map(RawValue::to_owned);
        match (env.method, id) {
            (Some(method), Some(id)) => Ok(Message::Request(Request {
                id,
                method: method.into(),
                params,
            })),
            (Some(method), None) => Ok(Message::Notification(Notification {
                method: method.into(),
                params,
            })),
            (None, Some(id)) => match (env.result, env.error) {
                (Some(result), None) => Ok(Message::Response(Response {
                    id,
                    outcome: Ok(result.to_owned()),
                })),
                (None, Some(error)) => Ok(Message::Response(Response {
                    id,
                    outcome: Err(error.to_owned()),
                })),
                _ => Err(invalid(
                    Some(id),
                    "a response needs exactly one of `result` and `error`",
                )),
            },
            (None, None) => Err(invalid(
                None,
                "a message needs a `method`, or an `id` with a `result` or `error`",
            )),
        }
    }
}

/// The envelope of one message; a batch, bad UTF-8 and bad JSON are rejected here.
fn read_envelope(bytes: &[u8]) -> Result<Envelope<'_>, ParseFailure> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseFailure {
        id: None,
        error: McpError::parse_error(format!("body is not UTF-8: {e}")),
    })?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return Err(ParseFailure {
            id: None,
            error: McpError::invalid_request(
                "JSON-RPC batches are not supported (removed in MCP 2025-06-18): send one message per request",
            ),
        });
    }
    serde_json::from_str(text).map_err(|e| ParseFailure {
        id: None,
        error: if e.is_data() {
            McpError::invalid_request(format!("not a JSON-RPC message: {e}"))
        } else {
            McpError::parse_error(format!("invalid JSON: {e}"))
        },
    })
}

fn invalid(id: Option<RequestId>, message: &'static str) -> ParseFailure {
    ParseFailure {
        id,
        error: McpError::invalid_request(message),
    }
}

const HEAD: &[u8] = br#"{"jsonrpc":"2.0","#;

fn put_id(buf: &mut BytesMut, id: &RequestId) {
    // Written in place, without a `String` per id. Writing into memory cannot fail.
    let _ = serde_json::to_writer(buf.writer(), id);
}

/// Writes `{"jsonrpc":"2.0","id":ID,"result":RESULT}` around an already-serialized result.
pub fn response_raw(id: &RequestId, result: &RawValue) -> Bytes {
    let mut buf = BytesMut::with_capacity(result.get().len() + 40);
    buf.put_slice(HEAD);
    buf.put_slice(br#""id":"#);
    put_id(&mut buf, id);
    buf.put_slice(br#","result":"#);
    buf.put_slice(result.get().as_bytes());
    buf.put_u8(b'}');
    buf.freeze()
}

/// Serializes `result` as the response to `id`.
pub fn response(id: &RequestId, result: &impl Serialize) -> Bytes {
    // Straight into the response buffer: no intermediate string to allocate and copy.
    let mut buf = BytesMut::with_capacity(128);
    buf.put_slice(HEAD);
    buf.put_slice(br#""id":"#);
    put_id(&mut buf, id);
    buf.put_slice(br#","result":"#);
    let mut writer = buf.writer();
    match serde_json::to_writer(&mut writer, result) {
        Ok(()) => {
            let mut buf = writer.into_inner();
            buf.put_u8(b'}');
            buf.freeze()
        }
        Err(e) => error_response(
            Some(id),
            &McpError::internal(format!("result could not be serialized: {e}")),
        ),
    }
}

/// The response to `id` whose result is the concatenation of `parts` (already JSON).
pub(crate) fn response_parts(id: &RequestId, parts: &[&[u8]]) -> Bytes {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut buf = BytesMut::with_capacity(len + 40);
    buf.put_slice(HEAD);
    buf.put_slice(br#""id":"#);
    put_id(&mut buf, id);
    buf.put_slice(br#","result":"#);
    for part in parts {
        buf.put_slice(part);
    }
    buf.put_u8(b'}');
    buf.freeze()
}

/// Serializes an error response; `id` is omitted (`null`) only when it could not be read.
pub fn error_response(id: Option<&RequestId>, error: &McpError) -> Bytes {
    let body = serde_json::to_vec(error)
        .unwrap_or_else(|_| br#"{"code":-32603,"message":"internal error"}"#.to_vec());
    let mut buf = BytesMut::with_capacity(body.len() + 40);
    buf.put_slice(HEAD);
    buf.put_slice(br#""id":"#);
    match id {
        Some(id) => put_id(&mut buf, id),
        None => buf.put_slice(b"null"),
    }
    buf.put_slice(br#","error":"#);
    buf.put_slice(&body);
    buf.put_u8(b'}');
    buf.freeze()
}

/// Serializes a notification.
pub fn notification(method: &str, params: &impl Serialize) -> Bytes {
    #[derive(Serialize)]
    struct Out<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    serde_json::to_vec(&Out {
        jsonrpc: "2.0",
        method,
        params,
    })
    .map(Bytes::from)
    .unwrap_or_default()
}

/// Serializes a server-to-client request.
pub fn request(id: &RequestId, method: &str, params: &impl Serialize) -> Bytes {
    #[derive(Serialize)]
    struct Out<'a, P> {
        jsonrpc: &'static str,
        id: &'a RequestId,
        method: &'a str,
        params: &'a P,
    }
    serde_json::to_vec(&Out {
        jsonrpc: "2.0",
        id,
        method,
        params,
    })
    .map(Bytes::from)
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_borrow_unless_escaped_and_fail_as_strings_do() {
        let read = |json: &'static str| serde_json::from_str::<BorrowedStr<'_>>(json).map(|s| s.0);
        assert!(matches!(
            read(r#""tools/call""#),
            Ok(Cow::Borrowed("tools/call"))
        ));
        assert!(matches!(read(r#""tools\/call""#), Ok(Cow::Owned(s)) if s == "tools/call"));
        let wrong = read("2").unwrap_err().to_string();
        assert_eq!(
            wrong,
            serde_json::from_str::<String>("2").unwrap_err().to_string()
        );
        let escaped = br#"{"jsonrpc":"2\u002e0","id":1,"method":"p\u0069ng"}"#;
        assert!(matches!(Message::parse(escaped), Ok(Message::Request(r)) if &*r.method == "ping"));
        let numeric = Message::parse(br#"{"jsonrpc":2,"id":1,"method":"ping"}"#).unwrap_err();
        assert!(
            numeric.error.message.contains("expected a string"),
            "{}",
            numeric.error.message
        );
    }

    fn parse_err(body: &str) -> ParseFailure {
        Message::parse(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn classifies_messages() {
        assert!(matches!(
            Message::parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Ok(Message::Notification(_))
        ));
        assert!(matches!(
            Message::parse(br#"{"jsonrpc":"2.0","id":"a","result":{}}"#),
            Ok(Message::Response(_))
        ));
        let Ok(Message::Request(r)) = Message::parse(
            br#"{"jsonrpc":"2.0","id":"x","method":"tools/list","params":{"cursor":"c"}}"#,
        ) else {
            panic!("not a request")
        };
        assert_eq!(r.params.unwrap().get(), r#"{"cursor":"c"}"#);
    }

    #[test]
    fn rejects_bad_messages_with_the_right_code() {
        assert_eq!(parse_err("{nope").error.code, -32700);
        assert_eq!(
            parse_err(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#)
                .error
                .code,
            -32600
        );
        assert_eq!(
            parse_err(r#"{"jsonrpc":"1.0","id":3,"method":"ping"}"#).id,
            Some(RequestId::Number(3))
        );
        assert_eq!(
            parse_err(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
                .error
                .code,
            -32600
        );
        assert_eq!(
            parse_err(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#)
                .error
                .code,
            -32600
        );
        assert_eq!(parse_err("42").error.code, -32600);
    }

    #[test]
    fn writes_responses() {
        let id = RequestId::String("a\"b".into());
        let raw = RawValue::from_string("{}".into()).unwrap();
        assert_eq!(
            &response_raw(&id, &raw)[..],
            br#"{"jsonrpc":"2.0","id":"a\"b","result":{}}"#
        );
        let err = error_response(None, &McpError::parse_error("bad"));
        assert_eq!(
            &err[..],
            br#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#
        );
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Any id, method and params a client sends come back from the parse as sent.
        #[test]
        fn requests_round_trip_through_the_parse(
            id in proptest::prop_oneof![
                proptest::num::i64::ANY.prop_map(RequestId::Number),
                ".{0,20}".prop_map(|s| RequestId::String(s.into())),
            ],
            method in "[a-z/_]{1,24}",
            text in ".{0,40}",
        ) {
            let params = serde_json::json!({"text": text});
            let body = serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
            let Ok(Message::Request(r)) = Message::parse(body.to_string().as_bytes()) else {
                return Err(proptest::test_runner::TestCaseError::fail(format!("{body}")));
            };
            proptest::prop_assert_eq!(&r.id, &id);
            proptest::prop_assert_eq!(&*r.method, method.as_str());
            let back: serde_json::Value = serde_json::from_str(r.params.unwrap().get()).unwrap();
            proptest::prop_assert_eq!(back, params);
            let echoed: RequestId = serde_json::from_str(&serde_json::to_string(&id).unwrap()).unwrap();
            proptest::prop_assert_eq!(echoed, id);
        }

        /// Any bytes at all get an answer, never a panic.
        #[test]
        fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = Message::parse(&bytes);
        }
    }
}
