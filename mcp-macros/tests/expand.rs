//! What the macros generate, checked by behaviour: each tool's definition as `tools/list`
//! shows it, and calls with good and bad arguments.

use quickmcp::core::jsonrpc::RequestId;
use quickmcp::core::Arguments;
use quickmcp::prelude::*;
use quickmcp::{CallContext, ToolBox, ToolHandler};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::sync::Arc;

fn definition(tool: &dyn ToolHandler) -> Value {
    serde_json::to_value(tool.definition()).unwrap()
}

/// Calls `tool` with `args` (a JSON object), as `tools/call` would.
async fn call(tool: &dyn ToolHandler, args: &str) -> Result<Value, quickmcp::McpError> {
    let (id, request) = (RequestId::Number(1), quickmcp::RequestCx::detached());
    let cx = CallContext::detached(&id, &request);
    let raw = RawValue::from_string(args.into()).unwrap();
    let args = Arguments::parse(Some(&raw)).unwrap();
    let result = tool.call(args, &cx).resolve().await?;
    Ok(serde_json::to_value(result).unwrap())
}

fn text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}

/// Say hello to someone.
#[tool]
fn hello(name: String) -> String {
    format!("Hello, {name}!")
}

#[test]
fn free_tool_definition() {
    assert_eq!(
        definition(&hello),
        json!({
            "name": "hello",
            "description": "Say hello to someone.",
            "inputSchema": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
                "additionalProperties": false
            }
        })
    );
}

#[tokio::test]
async fn free_tool_calls() {
    let ok = call(&hello, r#"{"name":"x"}"#).await.unwrap();
    assert_eq!(
        ok,
        json!({"content": [{"type": "text", "text": "Hello, x!"}]})
    );

    let missing = call(&hello, "{}").await.unwrap();
    assert_eq!(missing["isError"], true);
    assert!(text(&missing).contains("`name`"), "{missing}");

    let unknown = call(&hello, r#"{"name":"x","zz":1}"#).await.unwrap();
    assert_eq!(unknown["isError"], true);
    assert!(
        text(&unknown).contains("unknown argument `zz`"),
        "{unknown}"
    );

    let wrong = call(&hello, r#"{"name":5}"#).await.unwrap();
    assert_eq!(wrong["isError"], true);
    assert!(
        text(&wrong).contains("invalid value for argument `name`"),
        "{wrong}"
    );
}

#[test]
fn the_function_stays_callable() {
    assert_eq!(hello::call("x".into()), "Hello, x!");
}

/// Search the catalogue.
///
///   Indented lines keep all but one space.
#[tool(
    name = "catalogue.search",
    title = "Search",
    read_only,
    destructive = false,
    idempotent = true,
    open_world,
    icons = ["https://example.com/a.png", "data:image/png;base64,AA=="]
)]
async fn search(
    #[arg(description = "Words to look for.")] query: String,
    #[arg(rename = "max", description = "At most this many.")] limit: Option<u32>,
    r#type: Option<String>,
) -> Result<String, String> {
    match limit {
        Some(0) => Err("limit must be positive".into()),
        _ => Ok(format!(
            "{query}/{}/{}",
            limit.unwrap_or(10),
            r#type.unwrap_or_default()
        )),
    }
}

#[test]
fn attributes_shape_the_definition() {
    assert_eq!(
        definition(&search),
        json!({
            "name": "catalogue.search",
            "title": "Search",
            "description": "Search the catalogue.\n\n  Indented lines keep all but one space.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "Words to look for."},
                    "max": definition(&search)["inputSchema"]["properties"]["max"].clone(),
                    "type": definition(&search)["inputSchema"]["properties"]["type"].clone(),
                },
                "required": ["query"],
                "additionalProperties": false
            },
            "annotations": {
                "readOnlyHint": true,
                "destructiveHint": false,
                "idempotentHint": true,
                "openWorldHint": true
            },
            "icons": [{"src": "https://example.com/a.png"}, {"src": "data:image/png;base64,AA=="}]
        })
    );
    let max = &definition(&search)["inputSchema"]["properties"]["max"];
    assert_eq!(max["description"], "At most this many.");
}

#[tokio::test]
async fn async_tools_and_results() {
    let ok = call(&search, r#"{"query":"q","max":3,"type":"t"}"#)
        .await
        .unwrap();
    assert_eq!(text(&ok), "q/3/t");
    let optional = call(&search, r#"{"query":"q"}"#).await.unwrap();
    assert_eq!(text(&optional), "q/10/");
    let failed = call(&search, r#"{"query":"q","max":0}"#).await.unwrap();
    assert_eq!(failed["isError"], true);
    assert_eq!(text(&failed), "limit must be positive");
    let renamed = call(&search, r#"{"query":"q","limit":3}"#).await.unwrap();
    assert_eq!(
        renamed["isError"], true,
        "the Rust name is not the argument's name"
    );
}

/// Answers pong.
#[tool]
fn ping() -> &'static str {
    "pong"
}

#[tokio::test]
async fn no_arguments() {
    assert_eq!(
        definition(&ping)["inputSchema"],
        json!({"type": "object", "properties": {}, "additionalProperties": false})
    );
    assert_eq!(text(&call(&ping, "{}").await.unwrap()), "pong");
    assert_eq!(call(&ping, r#"{"x":1}"#).await.unwrap()["isError"], true);
}

#[derive(Serialize, JsonSchema)]
struct Weather {
    celsius: f64,
}

#[tool(description = "The weather in a city.")]
fn weather(city: String) -> Structured<Weather> {
    Structured(Weather {
        celsius: city.len() as f64,
    })
}

#[tokio::test]
async fn structured_results_have_an_output_schema() {
    let def = definition(&weather);
    assert_eq!(def["description"], "The weather in a city.");
    assert_eq!(def["outputSchema"]["type"], "object");
    assert!(
        def["outputSchema"]["properties"]["celsius"].is_object(),
        "{def}"
    );
    let result = call(&weather, r#"{"city":"Oslo"}"#).await.unwrap();
    assert_eq!(result["structuredContent"], json!({"celsius": 4.0}));
}

#[derive(Deserialize, JsonSchema)]
struct Query {
    /// Words to look for.
    words: String,
}

#[derive(Clone)]
struct Db(&'static str);

/// Uses injected parameters only, plus the whole arguments.
#[tool]
fn injected(
    cx: Context,
    Args(query): Args<Query>,
    _headers: quickmcp::core::extract::Extension<u8>,
) -> String {
    let _ = cx;
    query.words
}

/// Reads state.
#[tool]
fn stateful(State(db): State<Db>, n: i32) -> String {
    format!("{}{n}", db.0)
}

#[tokio::test]
async fn injected_parameters_stay_out_of_the_schema() {
    let def = definition(&injected);
    assert_eq!(
        def["inputSchema"]["properties"]["words"]["description"],
        "Words to look for."
    );
    assert_eq!(def["inputSchema"]["required"], json!(["words"]));
    let def = definition(&stateful);
    assert_eq!(
        def["inputSchema"]["properties"],
        json!({"n": {"type": "integer", "format": "int32"}})
    );
    // Detached calls have no state: a JSON-RPC error, not a tool error.
    assert!(call(&stateful, r#"{"n":1}"#).await.is_err());
}

#[derive(Deserialize, JsonSchema)]
struct Calculator {
    offset: i64,
}

#[tools]
impl Calculator {
    /// Add two integers.
    #[tool(read_only)]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b + self.offset
    }

    /// Slowly add two integers.
    #[tool]
    async fn slow_add(&self, a: i64, #[arg(description = "The other one.")] b: i64) -> i64 {
        tokio::task::yield_now().await;
        self.add(a, b)
    }

    /// The calculator's version.
    #[tool(name = "version")]
    fn version() -> &'static str {
        "1.0"
    }

    /// Adds another calculator's offset: `Self` in a signature means `Calculator`.
    #[tool]
    fn combine(&self, other: Self) -> i64 {
        self.offset + other.offset
    }

    #[allow(dead_code)]
    fn not_a_tool(&self) {}
}

#[tokio::test]
async fn impl_block_tools_share_the_instance() {
    let tools = Arc::new(Calculator { offset: 100 }).tools();
    let names: Vec<Value> = tools
        .iter()
        .map(|t| definition(&**t)["name"].clone())
        .collect();
    assert_eq!(names, ["add", "slow_add", "version", "combine"]);
    assert_eq!(definition(&*tools[0])["annotations"]["readOnlyHint"], true);
    assert_eq!(
        definition(&*tools[1])["inputSchema"]["properties"]["b"]["description"],
        "The other one."
    );
    assert_eq!(
        text(&call(&*tools[0], r#"{"a":1,"b":2}"#).await.unwrap()),
        "103"
    );
    assert_eq!(
        text(&call(&*tools[1], r#"{"a":1,"b":2}"#).await.unwrap()),
        "103"
    );
    assert_eq!(text(&call(&*tools[2], "{}").await.unwrap()), "1.0");
    assert_eq!(
        call(&*tools[1], r#"{"a":1}"#).await.unwrap()["isError"],
        true
    );
    assert_eq!(
        text(&call(&*tools[3], r#"{"other":{"offset":5}}"#).await.unwrap()),
        "105"
    );
}

#[test]
fn servers_accept_generated_tools() {
    let _server = Server::new("x")
        .tool(hello)
        .tool(search)
        .tools(Calculator { offset: 0 });
}

#[tool]
fn undocumented(n: u32) -> u32 {
    n + 1
}

#[tokio::test]
async fn a_tool_without_a_description_is_listed_and_called() {
    assert_eq!(
        definition(&undocumented),
        json!({
            "name": "undocumented",
            "inputSchema": {
                "type": "object",
                "properties": {"n": {"type": "integer", "format": "uint32", "minimum": 0}},
                "required": ["n"],
                "additionalProperties": false
            }
        })
    );
    assert_eq!(text(&call(&undocumented, r#"{"n":1}"#).await.unwrap()), "2");
}
