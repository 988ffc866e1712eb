use quickmcp::prelude::*;
use quickmcp::ToolHandler;

#[derive(Deserialize, JsonSchema)]
enum Unit {
    Celsius,
    Fahrenheit,
}

/// Many arguments of many types, including raw identifiers and `mut` bindings.
#[tool]
#[allow(clippy::too_many_arguments)]
fn many(
    city: String,
    days: u8,
    lat: f64,
    lon: f64,
    unit: Unit,
    tags: Vec<String>,
    verbose: bool,
    mut r#type: String,
    extra: serde_json::Value,
) -> String {
    r#type.push('!');
    let _ = (days, lat, lon, unit, tags, verbose, extra);
    city + &r#type
}

fn main() {
    let definition = serde_json::to_value(many.definition()).unwrap();
    let properties = definition["inputSchema"]["properties"].as_object().unwrap();
    let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["city", "days", "extra", "lat", "lon", "tags", "type", "unit", "verbose"]);
    let _ = Server::new("x").tool(many);
}
