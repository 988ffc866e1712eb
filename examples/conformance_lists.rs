//! Run with: cargo run --example conformance_lists
//!
//! The resources, prompts and completion part of the conformance fixture, at
//! http://127.0.0.1:8000/mcp. Then: `CONFORMANCE_SCENARIOS="resources-list resources-read-text
//! resources-read-binary resources-templates-read resources-subscribe resources-unsubscribe
//! prompts-list prompts-get-simple prompts-get-with-args prompts-get-embedded-resource
//! prompts-get-with-image completion-complete json-schema-2020-12" scripts/conformance.sh`.

use quickmcp::prelude::*;

/// A 1x1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/// Answers with a simple text.
#[tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

fn fixture_schema() -> &'static str {
    r##"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},"contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},"allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],"if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},"then":{"required":["phone"]},"else":{"required":["email"]},"additionalProperties":false}"##
}

/// Tool with JSON Schema 2020-12 features.
#[tool(input_schema = fixture_schema)]
fn json_schema_2020_12_tool(Args(_): Args<serde_json::Value>) -> &'static str {
    "ok"
}

/// A static text resource.
#[resource("test://static-text", mime_type = "text/plain")]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource.
#[resource("test://static-binary", mime_type = "image/png")]
fn static_binary() -> ResourceContents {
    ResourceContents::Blob {
        uri: "test://static-binary".into(),
        mime_type: Some("image/png".into()),
        blob: PNG.into(),
    }
}

/// A resource to subscribe to.
#[resource("test://watched-resource")]
fn watched() -> &'static str {
    "Watched resource content"
}

/// Data for one id.
#[resource("test://template/{id}/data", mime_type = "application/json")]
fn template_data(id: String) -> serde_json::Value {
    serde_json::json!({"id": id, "templateTest": true, "data": format!("Data for ID: {id}")})
}

/// A simple prompt without arguments.
#[prompt]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// A prompt with arguments.
#[prompt(complete(arg1 = no_values))]
fn test_prompt_with_arguments(
    #[arg(description = "First test argument")] arg1: String,
    #[arg(description = "Second test argument")] arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

fn no_values(_: &str) -> Vec<String> {
    Vec::new()
}

/// A prompt with an embedded resource.
#[prompt]
fn test_prompt_with_embedded_resource(
    #[arg(rename = "resourceUri", description = "URI of the resource to embed")] uri: String,
) -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(
            Role::User,
            Content::embedded_text(&uri, "text/plain", "Embedded resource content for testing."),
        ),
        PromptMessage::user("Please process the embedded resource above."),
    ]
}

/// A prompt with an image.
#[prompt]
fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![
        PromptMessage::new(Role::User, Content::image(PNG, "image/png")),
        PromptMessage::user("Please analyze the image above."),
    ]
}

#[tokio::main]
async fn main() -> quickmcp::Result<()> {
    Server::new("conformance-lists")
        .tool(test_simple_text)
        .tool(json_schema_2020_12_tool)
        .resource(static_text)
        .resource(static_binary)
        .resource(watched)
        .resource(template_data)
        .prompt(test_simple_prompt)
        .prompt(test_prompt_with_arguments)
        .prompt(test_prompt_with_embedded_resource)
        .prompt(test_prompt_with_image)
        .run_http(&quickmcp::listen_addr())
        .await
}
