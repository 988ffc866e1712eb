//! What an operation asks of the engine, carried on its definition from the attribute:
//! `timeout` and `scopes`. Read back from the generated handlers, never shown to clients, and
//! calls are unchanged (nothing enforces the scopes yet).

use std::time::Duration;

use quickmcp::core::jsonrpc::RequestId;
use quickmcp::core::Arguments;
use quickmcp::prelude::*;
use quickmcp::{
    CallContext, PromptArguments, PromptHandler, ResourceHandler, ResourceTemplateHandler,
    ToolHandler,
};
use serde_json::value::RawValue;

fn cx() -> CallContext<'static> {
    static ID: RequestId = RequestId::Number(1);
    static REQUEST: std::sync::LazyLock<quickmcp::RequestCx> =
        std::sync::LazyLock::new(quickmcp::RequestCx::detached);
    CallContext::detached(&ID, &REQUEST)
}

/// Exports the catalogue.
#[tool(timeout = "30s", read_only, scopes = ["catalogue:read", "catalogue:export"])]
fn export(format: String) -> String {
    format!("exported as {format}")
}

/// No timeout of its own.
#[tool]
fn plain() {}

/// The readme.
#[resource("docs://readme", timeout = "500ms", scopes = ["docs:read"])]
fn readme() -> &'static str {
    "# Readme"
}

/// A note.
#[resource("notes://{id}", scopes = ["notes:read"], timeout = "2m")]
fn note(id: u32) -> String {
    format!("note {id}")
}

/// Review code.
#[prompt(timeout = "1h", scopes = ["prompts:review"])]
fn review(code: String) -> String {
    format!("Review {code}")
}

#[tokio::test]
async fn a_tool_carries_its_timeout_and_scopes_and_still_answers() {
    let definition = export.definition();
    assert_eq!(definition.timeout, Some(Duration::from_secs(30)));
    assert_eq!(definition.scopes, ["catalogue:read", "catalogue:export"]);
    assert_eq!(plain.definition().timeout, None);
    assert!(plain.definition().scopes.is_empty());
    let listed = serde_json::to_value(&definition).unwrap();
    let mut keys: Vec<&String> = listed.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["annotations", "description", "inputSchema", "name"]);
    let raw = RawValue::from_string(r#"{"format":"csv"}"#.into()).unwrap();
    let result = export
        .call(Arguments::parse(Some(&raw)).unwrap(), &cx())
        .resolve()
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(result).unwrap()["content"][0]["text"],
        "exported as csv"
    );
}

#[tokio::test]
async fn resources_and_prompts_carry_their_timeouts_and_scopes() {
    let static_def = ResourceHandler::definition(&readme);
    assert_eq!(static_def.timeout, Some(Duration::from_millis(500)));
    assert!(!serde_json::to_string(&static_def)
        .unwrap()
        .contains("timeout"));
    let template_def = ResourceTemplateHandler::definition(&note);
    assert_eq!(template_def.timeout, Some(Duration::from_secs(120)));
    assert!(!serde_json::to_string(&template_def)
        .unwrap()
        .contains("timeout"));
    let prompt_def = PromptHandler::definition(&review);
    assert_eq!(prompt_def.timeout, Some(Duration::from_secs(3600)));
    assert!(!serde_json::to_string(&prompt_def)
        .unwrap()
        .contains("timeout"));

    let read = ResourceHandler::read(&readme, "docs://readme", &cx())
        .resolve()
        .await
        .unwrap();
    assert_eq!(read.contents.len(), 1);
    let args = PromptArguments::from_pairs([("code", "x")]);
    let got = review.get(args, &cx()).resolve().await.unwrap();
    assert_eq!(got.messages.len(), 1);
}
