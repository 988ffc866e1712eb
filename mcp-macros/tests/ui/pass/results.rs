use quickmcp::prelude::*;
use quickmcp::ToolHandler;
use std::fmt;

#[derive(Serialize, JsonSchema)]
struct Weather {
    celsius: f64,
}

/// A typed JSON result, with an output schema.
#[tool]
fn weather(city: String) -> Structured<Weather> {
    Structured(Weather { celsius: city.len() as f64 })
}

/// A typed JSON result that can fail.
#[tool]
fn maybe_weather(city: String) -> Result<Structured<Weather>, String> {
    Ok(Structured(Weather { celsius: city.len() as f64 }))
}

#[derive(Debug)]
struct NotFound(String);

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no city named {}", self.0)
    }
}

/// Fails with any `Display` error.
#[tool]
fn lookup(city: String) -> Result<u32, NotFound> {
    Err(NotFound(city))
}

/// Several pieces of content.
#[tool]
fn pieces() -> Vec<Content> {
    vec![Content::text("one"), Content::text("two")]
}

/// One piece of content.
#[tool]
fn piece() -> Content {
    Content::text("one")
}

/// A full result.
#[tool]
fn full() -> CallToolResult {
    CallToolResult::error("always fails")
}

/// A number, as text.
#[tool]
fn number() -> f64 {
    4.2
}

fn main() {
    let definition = serde_json::to_value(weather.definition()).unwrap();
    assert_eq!(definition["outputSchema"]["type"], "object");
    assert!(serde_json::to_value(pieces.definition()).unwrap().get("outputSchema").is_none());
    let _ = Server::new("x")
        .tool(weather)
        .tool(maybe_weather)
        .tool(lookup)
        .tool(pieces)
        .tool(piece)
        .tool(full)
        .tool(number);
}
