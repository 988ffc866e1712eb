// A static resource may return each of these; the MIME type listed by default follows the type.
use quickmcp::prelude::*;
use quickmcp::ResourceHandler;
use serde_json::Value;
use std::fmt;

/// Text.
#[resource("test://string")]
fn string() -> String {
    "text".into()
}

/// Static text.
#[resource("test://str")]
fn str_slice() -> &'static str {
    "text"
}

/// Bytes.
#[resource("test://bytes")]
fn bytes() -> Vec<u8> {
    vec![1, 2, 3]
}

/// JSON.
#[resource("test://value")]
fn value() -> Value {
    serde_json::json!({"a": 1})
}

#[derive(Serialize)]
struct Config {
    debug: bool,
}

/// Typed JSON.
#[resource("test://structured")]
fn structured() -> Structured<Config> {
    Structured(Config { debug: true })
}

/// Contents as built by hand: no MIME type unless it says so.
#[resource("test://contents")]
fn contents() -> ResourceContents {
    ResourceContents::Text {
        uri: "test://contents".into(),
        mime_type: Some("text/csv".into()),
        text: "a,b".into(),
    }
}

/// Several contents.
#[resource("test://many")]
fn many() -> Vec<ResourceContents> {
    vec![contents::call(), contents::call()]
}

#[derive(Debug)]
struct Gone;

impl fmt::Display for Gone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("gone")
    }
}

/// Fails with any `Display` error; the MIME type is the success type's.
#[resource("test://fallible")]
fn fallible() -> Result<Vec<u8>, Gone> {
    Err(Gone)
}

/// Fails with a `String`.
#[resource("test://fallible-text")]
fn fallible_text() -> Result<String, String> {
    Ok("text".into())
}

fn mime(resource: &dyn ResourceHandler) -> Option<String> {
    resource.definition().mime_type
}

fn main() {
    assert_eq!(mime(&string).as_deref(), Some("text/plain"));
    assert_eq!(mime(&str_slice).as_deref(), Some("text/plain"));
    assert_eq!(mime(&bytes).as_deref(), Some("application/octet-stream"));
    assert_eq!(mime(&value).as_deref(), Some("application/json"));
    assert_eq!(mime(&structured).as_deref(), Some("application/json"));
    assert_eq!(mime(&contents), None);
    assert_eq!(mime(&many), None);
    assert_eq!(mime(&fallible).as_deref(), Some("application/octet-stream"));
    assert_eq!(mime(&fallible_text).as_deref(), Some("text/plain"));
    assert_eq!(str_slice.definition().name, "str_slice");
    assert_eq!(string::call(), "text");
    let _ = Server::new("x")
        .resource(string)
        .resource(str_slice)
        .resource(bytes)
        .resource(value)
        .resource(structured)
        .resource(contents)
        .resource(many)
        .resource(fallible)
        .resource(fallible_text);
}
