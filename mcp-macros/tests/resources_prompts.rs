//! What `#[resource]` and `#[prompt]` generate, checked by behaviour: definitions as the list
//! methods show them, reads and renders with good and bad input, and completion.

use quickmcp::core::jsonrpc::RequestId;
use quickmcp::prelude::*;
use quickmcp::{
    CallContext, PromptArguments, PromptHandler, ResourceHandler, ResourceTemplateHandler, UriVars,
};
use serde_json::{json, Value};

fn cx() -> CallContext<'static> {
    static ID: RequestId = RequestId::Number(1);
    static REQUEST: std::sync::LazyLock<quickmcp::RequestCx> =
        std::sync::LazyLock::new(quickmcp::RequestCx::detached);
    CallContext::detached(&ID, &REQUEST)
}

/// The content of the static text resource.
#[resource("test://static-text", mime_type = "text/plain")]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

#[resource("test://static-binary", name = "binary", mime_type = "image/png",
           annotations(audience = ["user"], priority = 0.5), icons = ["https://example.com/i.png"])]
async fn static_binary() -> Vec<u8> {
    vec![137, 80, 78, 71]
}

/// Data for one id.
#[resource("test://template/{id}/data", complete(id = complete_id))]
fn template_data(id: u32, _ctx: Context) -> Result<Structured<Value>, String> {
    if id == 0 {
        return Err("no id 0".into());
    }
    Ok(Structured(
        json!({"id": id.to_string(), "templateTest": true, "data": format!("Data for ID: {id}")}),
    ))
}

fn complete_id(value: &str) -> Vec<String> {
    (0..150)
        .map(|i| i.to_string())
        .filter(|i| i.starts_with(value))
        .collect()
}

fn with_context(value: &str, context: &CompletionContext) -> Vec<String> {
    let prefix = context.arguments.get("arg2").cloned().unwrap_or_default();
    vec![format!("{prefix}{value}")]
}

/// A prompt with arguments.
#[prompt(complete(arg1 = with_context))]
fn test_prompt_with_arguments(
    #[arg(description = "First argument")] arg1: String,
    arg2: Option<String>,
    times: Option<u8>,
) -> String {
    let times = times.unwrap_or(1);
    format!(
        "Prompt with arguments: arg1='{arg1}', arg2='{}' x{times}",
        arg2.unwrap_or_default()
    )
}

/// An async prompt with an image.
#[prompt(name = "test_prompt_with_image", title = "Image")]
async fn image_prompt() -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(Role::User, Content::image("AAAA", "image/png")),
        PromptMessage::user("Please analyze the image above."),
    ]
}

#[tokio::test]
async fn static_resources() {
    let def = serde_json::to_value(ResourceHandler::definition(&static_text)).unwrap();
    assert_eq!(
        def,
        json!({"uri": "test://static-text", "name": "static_text",
               "description": "The content of the static text resource.", "mimeType": "text/plain"})
    );
    let read = ResourceHandler::read(&static_text, "test://static-text", &cx())
        .resolve()
        .await;
    assert_eq!(
        serde_json::to_value(read.unwrap()).unwrap(),
        json!({"contents": [{"uri": "test://static-text", "mimeType": "text/plain",
                             "text": "This is the content of the static text resource."}]})
    );

    let def = serde_json::to_value(ResourceHandler::definition(&static_binary)).unwrap();
    assert_eq!(def["name"], "binary");
    assert_eq!(
        def["annotations"],
        json!({"audience": ["user"], "priority": 0.5})
    );
    assert_eq!(def["icons"][0]["src"], "https://example.com/i.png");
    let read = ResourceHandler::read(&static_binary, "test://static-binary", &cx())
        .resolve()
        .await;
    assert_eq!(
        serde_json::to_value(read.unwrap()).unwrap()["contents"][0],
        json!({"uri": "test://static-binary", "mimeType": "image/png", "blob": "iVBORw=="})
    );
}

#[tokio::test]
async fn templates() {
    let def = serde_json::to_value(ResourceTemplateHandler::definition(&template_data)).unwrap();
    assert_eq!(
        def,
        json!({"uriTemplate": "test://template/{id}/data", "name": "template_data",
               "description": "Data for one id.", "mimeType": "application/json"})
    );
    let template = quickmcp::core::UriTemplate::parse("test://template/{id}/data").unwrap();
    let read = |uri: &'static str| {
        let vars: UriVars = template.matches(uri).unwrap();
        ResourceTemplateHandler::read(&template_data, uri, &vars, &cx())
    };
    let ok = read("test://template/123/data").resolve().await.unwrap();
    let text = match &ok.contents[0] {
        ResourceContents::Text { text, .. } => text.clone(),
        other => panic!("{other:?}"),
    };
    assert!(text.contains("Data for ID: 123"), "{text}");
    let bad = read("test://template/abc/data")
        .resolve()
        .await
        .unwrap_err();
    assert_eq!(bad.code, -32602);
    assert!(bad.message.contains("`{id}`"), "{}", bad.message);
    let failed = read("test://template/0/data").resolve().await.unwrap_err();
    assert_eq!((failed.code, &*failed.message), (-32603, "no id 0"));

    assert!(ResourceTemplateHandler::has_completions(&template_data));
    let values = template_data
        .complete("id", "1", &CompletionContext::default())
        .unwrap();
    assert_eq!(values.len(), 61);
    assert!(template_data
        .complete("other", "", &CompletionContext::default())
        .is_none());
}

#[tokio::test]
async fn prompts() {
    let def = serde_json::to_value(PromptHandler::definition(&test_prompt_with_arguments)).unwrap();
    assert_eq!(
        def,
        json!({"name": "test_prompt_with_arguments", "description": "A prompt with arguments.",
               "arguments": [
                   {"name": "arg1", "description": "First argument", "required": true},
                   {"name": "arg2", "required": false},
                   {"name": "times", "required": false}]})
    );
    let get = |pairs: &[(&str, &str)]| {
        let args = PromptArguments::from_pairs(pairs.iter().copied());
        test_prompt_with_arguments.get(args, &cx())
    };
    let ok = get(&[
        ("arg1", "testValue1"),
        ("arg2", "testValue2"),
        ("times", "2"),
    ])
    .resolve()
    .await
    .unwrap();
    assert_eq!(
        serde_json::to_value(ok).unwrap(),
        json!({"messages": [{"role": "user", "content": {"type": "text",
            "text": "Prompt with arguments: arg1='testValue1', arg2='testValue2' x2"}}]})
    );
    let missing = get(&[("arg2", "x")]).resolve().await.unwrap_err();
    assert_eq!(
        (missing.code, &*missing.message),
        (-32602, "missing required argument `arg1`")
    );
    let invalid = get(&[("arg1", "x"), ("times", "many")])
        .resolve()
        .await
        .unwrap_err();
    assert_eq!(invalid.code, -32602);
    assert!(invalid.message.contains("`times`"), "{}", invalid.message);

    let mut context = CompletionContext::default();
    context.arguments.insert("arg2".into(), "pre-".into());
    assert_eq!(
        test_prompt_with_arguments.complete("arg1", "x", &context),
        Some(vec!["pre-x".to_owned()])
    );

    let def = serde_json::to_value(PromptHandler::definition(&image_prompt)).unwrap();
    assert_eq!(def["name"], "test_prompt_with_image");
    assert_eq!(def["title"], "Image");
    assert!(!image_prompt.has_completions());
    let got = image_prompt
        .get(PromptArguments::default(), &cx())
        .resolve()
        .await
        .unwrap();
    assert_eq!(got.messages.len(), 2);
}

#[test]
fn the_functions_stay_callable() {
    assert_eq!(
        static_text::call(),
        "This is the content of the static text resource."
    );
    assert!(test_prompt_with_arguments::call("a".into(), None, None).contains("arg1='a'"));
}

/// The `json-schema-2020-12` fixture schema, as written.
const FIXTURE_SCHEMA: &str = r##"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"phone":{"type":"string"},"email":{"type":"string"}},"allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],"if":{"properties":{"name":{"const":"x"}}},"then":{"required":["address"]},"else":{},"additionalProperties":false}"##;

fn fixture_schema() -> &'static str {
    FIXTURE_SCHEMA
}

fn value_schema() -> Value {
    json!({"type": "object", "properties": {"n": {"type": "integer"}}})
}

/// A tool with the JSON Schema 2020-12 fixture schema.
#[tool(input_schema = fixture_schema)]
fn json_schema_2020_12_tool(Args(args): Args<Value>) -> String {
    args["name"].as_str().unwrap_or_default().to_owned()
}

/// A tool whose schema is a Value.
#[tool(input_schema = value_schema)]
fn valued(Args(args): Args<Value>) -> String {
    args.to_string()
}

#[tokio::test]
async fn hand_written_input_schemas() {
    use quickmcp::ToolHandler;
    let listed =
        serde_json::to_string(&ToolHandler::definition(&json_schema_2020_12_tool)).unwrap();
    assert!(
        listed.contains(&format!(r#""inputSchema":{FIXTURE_SCHEMA}"#)),
        "served byte for byte: {listed}"
    );
    let def = serde_json::to_value(ToolHandler::definition(&valued)).unwrap();
    assert_eq!(def["inputSchema"], value_schema());
    let raw =
        serde_json::value::RawValue::from_string(r#"{"name":"ada","phone":"1"}"#.into()).unwrap();
    let args = quickmcp::core::Arguments::parse(Some(&raw)).unwrap();
    let result = json_schema_2020_12_tool
        .call(args, &cx())
        .resolve()
        .await
        .unwrap();
    assert_eq!(result.content, vec![Content::text("ada")]);
}

#[prompt(name = "bare")]
fn undocumented_prompt(topic: String) -> String {
    format!("Write about {topic}.")
}

#[tokio::test]
async fn a_prompt_without_a_description_is_listed_and_rendered() {
    let def = serde_json::to_value(PromptHandler::definition(&undocumented_prompt)).unwrap();
    assert_eq!(
        def,
        json!({"name": "bare", "arguments": [{"name": "topic", "required": true}]})
    );
    let args = PromptArguments::from_pairs([("topic", "owls")]);
    let got = undocumented_prompt
        .get(args, &cx())
        .resolve()
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(got).unwrap()["messages"][0]["content"]["text"],
        "Write about owls."
    );
}
