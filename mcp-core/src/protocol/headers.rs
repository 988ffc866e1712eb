//! The 2026-07-28 wire's request headers that mirror the body: the `=?base64?…?=` value
//! encoding (for `Mcp-Name` and `Mcp-Param-*`), and the `Mcp-Param-{Name}` headers that a
//! tool's `x-mcp-header` parameters declare (SEP-2243).
//!
//! A tool's headers are read off its input schema once, at registration ([`ParamHeader`]), so
//! checking a call is a lookup plus a walk of the arguments of the declared parameters only.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{HeaderMap, HeaderName};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::McpError;
use crate::protocol::v2026::header_mismatch;

/// The schema key that mirrors a property into an `Mcp-Param-{Name}` header.
pub const X_MCP_HEADER: &str = "x-mcp-header";

const SENTINEL_PREFIX: &str = "=?base64?";
const SENTINEL_SUFFIX: &str = "?=";

/// JavaScript's safe integer range: the spec bounds header integers to it.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Decodes a header value that may use the `=?base64?{b64}?=` sentinel (the markers are
/// case-sensitive); any other value is literal. The value is expected already trimmed.
/// Invalid Base64 (bad padding, characters outside the standard alphabet) or decoded bytes
/// that are not UTF-8 are an error naming the problem.
///
/// ```
/// use quickmcp_core::protocol::headers::decode_header_value;
///
/// assert_eq!(decode_header_value("=?base64?SGVsbG8=?=").unwrap(), "Hello");
/// assert_eq!(decode_header_value("SGVsbG8=").unwrap(), "SGVsbG8=");
/// assert_eq!(decode_header_value("=?base64?SGVsbG8=").unwrap(), "=?base64?SGVsbG8=");
/// assert!(decode_header_value("=?base64?SGVsbG8?=").is_err(), "padding is required");
/// ```
pub fn decode_header_value(value: &str) -> Result<Cow<'_, str>, String> {
    let Some(encoded) = value
        .strip_prefix(SENTINEL_PREFIX)
        .and_then(|rest| rest.strip_suffix(SENTINEL_SUFFIX))
    else {
        return Ok(Cow::Borrowed(value));
    };
    let bytes = STANDARD
        .decode(encoded)
        .map_err(|e| format!("`{value}` is not valid Base64 ({e})"))?;
    String::from_utf8(bytes)
        .map(Cow::Owned)
        .map_err(|_| format!("`{value}` does not decode to UTF-8 text"))
}

/// One argument a tool mirrors into a header: `x-mcp-header` on a property reached from the
/// schema root through `properties` keys only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamHeader {
    /// The header, `mcp-param-{name}` (lowercase; header names are case-insensitive).
    pub header: HeaderName,
    /// The `x-mcp-header` value as declared, e.g. `Region`.
    pub name: Box<str>,
    /// The property path from the arguments object, e.g. `["region"]`.
    pub path: Box<[Box<str>]>,
}

/// The `x-mcp-header` declarations of an input schema, checked against the spec's rules: a
/// non-empty RFC 9110 token, unique case-insensitively, on a `string`, `integer` or `boolean`
/// property (optionally also `null`) reachable through `properties` keys only. The error
/// says which rule a declaration breaks.
///
/// ```
/// use quickmcp_core::protocol::headers::param_headers;
/// use serde_json::json;
///
/// let schema = json!({"type": "object", "properties": {
///     "region": {"type": "string", "x-mcp-header": "Region"},
///     "query": {"type": "string"},
/// }});
/// let headers = param_headers(&schema).unwrap();
/// assert_eq!(headers[0].header.as_str(), "mcp-param-region");
///
/// let bad = json!({"type": "object", "properties": {"x": {"type": "number", "x-mcp-header": "X"}}});
/// assert!(param_headers(&bad).is_err());
/// ```
pub fn param_headers(schema: &Value) -> Result<Vec<ParamHeader>, String> {
    let mut found = Vec::new();
    walk(schema, Some(&mut Vec::new()), &mut found)?;
    let mut seen: HashMap<&HeaderName, &str> = HashMap::new();
    for declared in &found {
        if let Some(first) = seen.insert(&declared.header, &declared.name) {
            return Err(format!(
                "`x-mcp-header` values must be unique ignoring case, and `{first}` and `{}` are not",
                declared.name
            ));
        }
    }
    Ok(found)
}

/// Keywords whose values are data, not schemas: an `x-mcp-header` key inside them is not an
/// annotation.
const DATA_KEYWORDS: [&str; 4] = ["const", "enum", "default", "examples"];

/// Collects the annotations under `schema`; `path` is the `properties` chain that reached it,
/// `None` once the chain went through any other keyword.
fn walk(
    schema: &Value,
    mut path: Option<&mut Vec<Box<str>>>,
    found: &mut Vec<ParamHeader>,
) -> Result<(), String> {
    match schema {
        Value::Array(items) => {
            for item in items {
                walk(item, None, found)?;
            }
            return Ok(());
        }
        Value::Object(map) => {
            if let Some(name) = map.get(X_MCP_HEADER) {
                found.push(declaration(map, name, path.as_deref().map(Vec::as_slice))?);
            }
            for (key, value) in map {
                if DATA_KEYWORDS.contains(&key.as_str()) {
                    continue;
                }
                match (key.as_str(), value, path.as_deref_mut()) {
                    ("properties", Value::Object(properties), Some(path)) => {
                        for (property, schema) in properties {
                            path.push(property.as_str().into());
                            walk(schema, Some(path), found)?;
                            path.pop();
                        }
                    }
                    ("properties", Value::Object(properties), None) => {
                        for schema in properties.values() {
                            walk(schema, None, found)?;
                        }
                    }
                    _ => walk(value, None, found)?,
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Checks one `x-mcp-header` found on `property` at `path` (`None`: not statically reachable).
fn declaration(
    property: &Map<String, Value>,
    name: &Value,
    path: Option<&[Box<str>]>,
) -> Result<ParamHeader, String> {
    let Value::String(name) = name else {
        return Err(format!("`x-mcp-header` must be a string, not {name}"));
    };
    let path = match path {
        Some(path) if !path.is_empty() => path,
        _ => {
            return Err(format!(
                "`x-mcp-header: {name}` is not on a property reached from the schema root through \
                 `properties` only (not through items, $ref, anyOf, oneOf, allOf, not, if/then/else)"
            ))
        }
    };
    if let Some(problem) = header_name_problem(name) {
        return Err(format!("`x-mcp-header: {name:?}` {problem}"));
    }
    if !primitive(property.get("type")) {
        return Err(format!(
            "`x-mcp-header: {name}` is on property `{}`, whose type is not string, integer or boolean \
             (the spec allows only those; not number)",
            path.join(".")
        ));
    }
    Ok(ParamHeader {
        header: HeaderName::try_from(format!("mcp-param-{name}"))
            .map_err(|e| format!("`x-mcp-header: {name}` does not make a header name: {e}"))?,
        name: name.as_str().into(),
        path: path.into(),
    })
}

/// What is wrong with `name` as an `x-mcp-header` value: it must be an RFC 9110 token.
///
/// ```
/// use quickmcp_core::protocol::headers::header_name_problem;
///
/// assert_eq!(header_name_problem("Region"), None);
/// assert!(header_name_problem("").is_some());
/// assert!(header_name_problem("My Region").is_some());
/// ```
pub fn header_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".to_owned());
    }
    let bad = name.chars().find(|&c| !is_tchar(c))?;
    Some(format!(
        "contains {bad:?}: a header name is made of letters, digits and !#$%&'*+-.^_`|~"
    ))
}

/// RFC 9110 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// `type` is `string`, `integer` or `boolean`, alone or with `null`.
fn primitive(ty: Option<&Value>) -> bool {
    let allowed = |t: &Value| matches!(t.as_str(), Some("string" | "integer" | "boolean"));
    match ty {
        Some(Value::Array(types)) => {
            let mut types = types.iter().filter(|t| t.as_str() != Some("null"));
            types.next().is_some_and(allowed) && types.next().is_none()
        }
        Some(t) => allowed(t),
        None => false,
    }
}

/// Checks a `tools/call`'s `Mcp-Param-*` headers against its arguments: each declared
/// argument present and not null in the body needs its header, equal to the value after
/// decoding (integers compared numerically, booleans as `true`/`false`); a header whose
/// argument is absent or null must not be sent. Every failure is `-32020` (HTTP 400).
pub fn check(
    declared: &[ParamHeader],
    tool: &str,
    arguments: Option<&RawValue>,
    headers: &HeaderMap,
) -> Result<(), McpError> {
    let arguments: Option<Value> = match arguments {
        Some(raw) => Some(
            serde_json::from_str(raw.get())
                .map_err(|e| McpError::invalid_params(format!("invalid `arguments`: {e}")))?,
        ),
        None => None,
    };
    for param in declared {
        let value = arguments
            .as_ref()
            .and_then(|args| lookup(args, &param.path))
            .filter(|v| !v.is_null());
        let property = param.path.join(".");
        let mismatch = |what: String| {
            header_mismatch(format!(
                "Header mismatch: Mcp-Param-{} {what} (argument `{property}` of tool `{tool}`)",
                param.name
            ))
        };
        let mut values = headers.get_all(&param.header).iter();
        let (sent, extra) = (values.next(), values.next());
        if extra.is_some() {
            return Err(mismatch("is sent more than once".into()));
        }
        let (sent, value) = match (sent, value) {
            (None, None) => continue,
            (None, Some(_)) => {
                return Err(mismatch(
                    "is missing, but the argument is in the body".into(),
                ))
            }
            (Some(_), None) => {
                return Err(mismatch(
                    "is sent, but the argument is not in the body".into(),
                ))
            }
            (Some(sent), Some(value)) => (sent, value),
        };
        let sent = sent
            .to_str()
            .map_err(|_| {
                mismatch(
                    "contains characters a header value cannot hold: encode it as =?base64?…?="
                        .into(),
                )
            })?
            .trim_matches([' ', '\t']);
        let decoded = decode_header_value(sent).map_err(&mismatch)?;
        if !matches(&decoded, value) {
            return Err(mismatch(format!(
                "value `{decoded}` does not match the body value {value}"
            )));
        }
    }
    Ok(())
}

fn lookup<'v>(mut value: &'v Value, path: &[Box<str>]) -> Option<&'v Value> {
    for key in path {
        value = value.as_object()?.get(&**key)?;
    }
    Some(value)
}

/// Whether the decoded header text renders `value`: strings as-is, numbers numerically
/// (`42.0` equals `42`), booleans as `true`/`false`. Objects and arrays never match.
fn matches(header: &str, value: &Value) -> bool {
    match value {
        Value::String(text) => header == text,
        Value::Bool(flag) => header == if *flag { "true" } else { "false" },
        Value::Number(number) => {
            let (Some(body), Ok(sent)) = (number.as_f64(), header.parse::<f64>()) else {
                return false;
            };
            sent.is_finite() && sent.abs() <= MAX_SAFE_INTEGER && sent == body
        }
        Value::Null | Value::Array(_) | Value::Object(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde_json::json;

    fn region_schema() -> Vec<ParamHeader> {
        param_headers(&json!({"type": "object", "properties": {
            "region": {"type": "string", "x-mcp-header": "Region"},
            "count": {"type": ["integer", "null"], "x-mcp-header": "Count"},
            "dry": {"type": "boolean", "x-mcp-header": "Dry-Run"},
            "nested": {"type": "object", "properties": {
                "zone": {"type": "string", "x-mcp-header": "Zone"},
            }},
            "plain": {"type": "string", "default": {"x-mcp-header": "not an annotation"}},
        }}))
        .unwrap()
    }

    fn headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::try_from(*name).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        map
    }

    fn run(args: Value, pairs: &[(&str, &[u8])]) -> Result<(), String> {
        let raw = RawValue::from_string(args.to_string()).unwrap();
        check(&region_schema(), "t", Some(&raw), &headers(pairs)).map_err(|e| {
            assert_eq!(e.code, -32020);
            e.message.into_owned()
        })
    }

    #[test]
    fn declarations_are_found_along_properties_chains() {
        let found = region_schema();
        let names: Vec<(&str, String)> = found
            .iter()
            .map(|p| (p.header.as_str(), p.path.join(".")))
            .collect();
        assert_eq!(
            names,
            [
                ("mcp-param-count", "count".to_owned()),
                ("mcp-param-dry-run", "dry".to_owned()),
                ("mcp-param-zone", "nested.zone".to_owned()),
                ("mcp-param-region", "region".to_owned()),
            ]
        );
    }

    #[test]
    fn invalid_declarations_say_which_rule_they_break() {
        let cases = [
            (
                json!({"a": {"type": "string", "x-mcp-header": ""}}),
                "is empty",
            ),
            (
                json!({"a": {"type": "string", "x-mcp-header": "My Region"}}),
                "contains ' '",
            ),
            (
                json!({"a": {"type": "string", "x-mcp-header": 7}}),
                "must be a string",
            ),
            (
                json!({"a": {"type": "number", "x-mcp-header": "A"}}),
                "not number",
            ),
            (json!({"a": {"x-mcp-header": "A"}}), "not number"),
            (
                json!({"a": {"type": "string", "x-mcp-header": "A"}, "b": {"type": "string", "x-mcp-header": "a"}}),
                "unique ignoring case",
            ),
            (
                json!({"a": {"type": "array", "items": {"type": "string", "x-mcp-header": "A"}}}),
                "through `properties` only",
            ),
            (
                json!({"a": {"anyOf": [{"type": "string", "x-mcp-header": "A"}]}}),
                "through `properties` only",
            ),
        ];
        for (properties, expected) in cases {
            let schema = json!({"type": "object", "properties": properties});
            let error = param_headers(&schema).unwrap_err();
            assert!(error.contains(expected), "{schema}: {error}");
        }
        let at_root = json!({"type": "string", "x-mcp-header": "Root"});
        assert!(param_headers(&at_root).is_err());
        let in_defs = json!({"type": "object", "$defs": {"D": {"type": "object", "properties": {
            "a": {"type": "string", "x-mcp-header": "A"}}}}});
        assert!(param_headers(&in_defs).is_err());
    }

    #[test]
    fn matching_headers_pass() {
        let args =
            json!({"region": "us-west1", "count": 42, "dry": false, "nested": {"zone": "b"}});
        let sent: &[(&str, &[u8])] = &[
            ("Mcp-Param-Region", b"  us-west1 "),
            ("MCP-PARAM-COUNT", b"42.0"),
            ("mcp-param-dry-run", b"false"),
            ("mcp-param-zone", b"=?base64?Yg==?="),
        ];
        run(args, sent).unwrap();
        // Absent and null arguments need no header.
        run(json!({"count": null}), &[]).unwrap();
        run(json!({}), &[]).unwrap();
    }

    #[test]
    fn base64_values_are_decoded_before_comparing() {
        let greeting = json!({"region": "Hello, 世界"});
        run(
            greeting,
            &[("mcp-param-region", b"=?base64?SGVsbG8sIOS4lueVjA==?=")],
        )
        .unwrap();
        let sentinel = json!({"region": "=?base64?literal?="});
        run(
            sentinel,
            &[("mcp-param-region", b"=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=")],
        )
        .unwrap();
        let literal = json!({"region": "SGVsbG8="});
        run(literal, &[("mcp-param-region", b"SGVsbG8=")]).unwrap();
        for bad in [
            &b"=?base64?SGVsbG8?="[..],
            b"=?base64?SGVs!!!bG8=?=",
            b"=?base64?/w==?=",
        ] {
            let error = run(json!({"region": "Hello"}), &[("mcp-param-region", bad)]).unwrap_err();
            assert!(error.contains("Mcp-Param-Region"), "{error}");
        }
    }

    #[test]
    fn mismatches_name_the_header_and_the_argument() {
        let error = run(json!({"region": "eu"}), &[("mcp-param-region", b"us")]).unwrap_err();
        assert_eq!(
            error,
            "Header mismatch: Mcp-Param-Region value `us` does not match the body value \"eu\" \
             (argument `region` of tool `t`)"
        );
        let missing = run(json!({"region": "eu"}), &[]).unwrap_err();
        assert!(missing.contains("is missing"), "{missing}");
        let unexpected = run(json!({}), &[("mcp-param-region", b"eu")]).unwrap_err();
        assert!(unexpected.contains("not in the body"), "{unexpected}");
        let twice = run(
            json!({"region": "eu"}),
            &[("mcp-param-region", b"eu"), ("mcp-param-region", b"eu")],
        );
        assert!(twice.unwrap_err().contains("more than once"));
        let raw = run(
            json!({"region": "é"}),
            &[("mcp-param-region", "é".as_bytes())],
        );
        assert!(raw.unwrap_err().contains("encode it as =?base64?"));
        for (args, sent) in [
            (json!({"count": 42}), &b"43"[..]),
            (json!({"count": 42}), b"forty-two"),
            (json!({"dry": true}), b"True"),
            (json!({"dry": true}), b"1"),
            (json!({"region": ["eu"]}), b"eu"),
        ] {
            let name = args.as_object().unwrap().keys().next().unwrap().clone();
            let header = match name.as_str() {
                "dry" => "mcp-param-dry-run".to_owned(),
                other => format!("mcp-param-{other}"),
            };
            assert!(run(args.clone(), &[(&header, sent)]).is_err(), "{args}");
        }
    }
}
