//! Resources, templates, prompts, completion, pagination, subscriptions and list changes over
//! real sockets, with hand-written handlers (the traits `#[resource]` and `#[prompt]` implement).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{read_events, spawn, Client};
use quickmcp_core::protocol::completion::CompletionContext;
use quickmcp_core::{
    CallContext, GetPromptResult, McpServer, PromptArgument, PromptArguments, PromptDefinition,
    PromptHandler, PromptMessage, ReadResourceResult, Reply, ResourceContents, ResourceDefinition,
    ResourceHandler, ResourceTemplateDefinition, ResourceTemplateHandler, UriVars,
};
use quickmcp_http::{router, HttpOptions};
use reqwest::header::ACCEPT;
use serde_json::{json, Value};

/// A static text resource.
struct Text(&'static str, &'static str);

impl ResourceHandler for Text {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new(self.0, self.0.trim_start_matches("test://"))
            .mime_type("text/plain")
    }
    fn read(&self, uri: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let contents = vec![ResourceContents::Text {
            uri: uri.into(),
            mime_type: Some("text/plain".into()),
            text: self.1.into(),
        }];
        Reply::ready(Ok(ReadResourceResult { contents }))
    }
}

/// `test://template/{id}/data`, completing ids 0..150.
struct Data;

impl ResourceTemplateHandler for Data {
    fn definition(&self) -> ResourceTemplateDefinition {
        ResourceTemplateDefinition::new("test://template/{id}/data", "data")
            .mime_type("application/json")
    }
    fn read(&self, uri: &str, vars: &UriVars, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let id = vars.get("id").unwrap_or_default().to_owned();
        let uri = uri.to_owned();
        Reply::pending(async move {
            let text =
                json!({"id": id, "templateTest": true, "data": format!("Data for ID: {id}")});
            Ok(ReadResourceResult {
                contents: vec![ResourceContents::Text {
                    uri,
                    mime_type: Some("application/json".into()),
                    text: text.to_string(),
                }],
            })
        })
    }
    fn complete(&self, name: &str, value: &str, _: &CompletionContext) -> Option<Vec<String>> {
        (name == "id").then(|| {
            (0..150)
                .map(|i| i.to_string())
                .filter(|i| i.starts_with(value))
                .collect()
        })
    }
    fn has_completions(&self) -> bool {
        true
    }
}

/// A prompt named `name` with arguments `arg1` (required) and `arg2`.
struct WithArgs(&'static str);

impl PromptHandler for WithArgs {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new(self.0, "A prompt with arguments")
            .argument(PromptArgument::new("arg1", true).description("First"))
            .argument(PromptArgument::new("arg2", false))
    }
    fn get(&self, mut args: PromptArguments, _: &CallContext<'_>) -> Reply<GetPromptResult> {
        Reply::ready(args.required("arg1").map(|arg1| {
            let arg2 = args.take("arg2").unwrap_or_default();
            GetPromptResult::new(vec![PromptMessage::user(format!(
                "Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
            ))])
        }))
    }
}

fn server() -> McpServer {
    let server = common::server();
    for (uri, text) in [
        (
            "test://static-text",
            "This is the content of the static text resource.",
        ),
        ("test://watched-resource", "watched"),
    ] {
        server.add_resource(Arc::new(Text(uri, text))).unwrap();
    }
    server.add_resource_template(Arc::new(Data)).unwrap();
    server
        .add_prompt(Arc::new(WithArgs("test_prompt_with_arguments")))
        .unwrap();
    server
}

async fn start(server: McpServer) -> Client {
    let addr = spawn(router(server, Vec::new(), HttpOptions::new())).await;
    let mut client = Client::new(format!("http://{addr}/mcp"));
    client.initialize().await;
    client
}

/// Opens the session's GET stream.
async fn standalone(client: &Client) -> reqwest::Response {
    let resp = client
        .http
        .get(&client.url)
        .header(ACCEPT, "text/event-stream")
        .header("mcp-session-id", client.session.as_deref().unwrap())
        .header("mcp-protocol-version", "2025-11-25")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"].as_i64().unwrap_or_default()
}

#[tokio::test]
async fn capabilities_follow_what_is_registered() {
    let server = server();
    let client = start(server).await;
    let mut bare = Client::new(client.url.clone());
    let init = bare.initialize().await;
    assert_eq!(
        init["result"]["capabilities"],
        json!({
            "tools": {"listChanged": true},
            "resources": {"subscribe": true, "listChanged": true},
            "prompts": {"listChanged": true},
            "completions": {},
            "logging": {}
        })
    );
    let tools_only = start(common::server()).await;
    let mut client = Client::new(tools_only.url.clone());
    let init = client.initialize().await;
    assert_eq!(
        init["result"]["capabilities"],
        json!({"tools": {"listChanged": true}, "logging": {}})
    );
}

#[tokio::test]
async fn lists_and_reads_resources() {
    let client = start(server()).await;
    let list = client.request(1, "resources/list", json!({})).await;
    assert_eq!(
        list["result"]["resources"][0],
        json!({"uri": "test://static-text", "name": "static-text", "mimeType": "text/plain"})
    );
    assert_eq!(list["result"]["resources"].as_array().unwrap().len(), 2);
    let templates = client
        .request(2, "resources/templates/list", json!({}))
        .await;
    assert_eq!(
        templates["result"],
        json!({"resourceTemplates": [{"uriTemplate": "test://template/{id}/data", "name": "data",
                                      "mimeType": "application/json"}]})
    );
    let text = client
        .request(3, "resources/read", json!({"uri": "test://static-text"}))
        .await;
    assert_eq!(
        text["result"]["contents"][0]["text"],
        "This is the content of the static text resource."
    );
    let data = client
        .request(
            4,
            "resources/read",
            json!({"uri": "test://template/123/data"}),
        )
        .await;
    let body = data["result"]["contents"][0]["text"].as_str().unwrap();
    assert!(body.contains("Data for ID: 123"), "{data}");
    let uri = "test://nonexistent-resource-for-conformance-testing";
    let missing = client
        .request(5, "resources/read", json!({"uri": uri}))
        .await;
    assert_eq!(error_code(&missing), -32002);
    assert_eq!(missing["error"]["data"], json!({"uri": uri}));
    let no_uri = client.request(6, "resources/read", json!({})).await;
    assert_eq!(error_code(&no_uri), -32602);
}

#[tokio::test]
async fn gets_prompts_with_arguments() {
    let client = start(server()).await;
    let list = client.request(1, "prompts/list", json!({})).await;
    assert_eq!(
        list["result"]["prompts"][0]["arguments"],
        json!([{"name": "arg1", "description": "First", "required": true},
               {"name": "arg2", "required": false}])
    );
    let got = client
        .request(
            2,
            "prompts/get",
            json!({"name": "test_prompt_with_arguments",
                   "arguments": {"arg1": "testValue1", "arg2": "testValue2"}}),
        )
        .await;
    assert_eq!(
        got["result"]["messages"],
        json!([{"role": "user", "content": {"type": "text",
            "text": "Prompt with arguments: arg1='testValue1', arg2='testValue2'"}}])
    );
    let missing = client
        .request(
            3,
            "prompts/get",
            json!({"name": "test_prompt_with_arguments"}),
        )
        .await;
    assert_eq!(error_code(&missing), -32602);
    assert!(missing["error"]["message"]
        .as_str()
        .unwrap()
        .contains("`arg1`"));
    let unknown = client
        .request(4, "prompts/get", json!({"name": "nope"}))
        .await;
    assert_eq!(error_code(&unknown), -32602);
}

#[tokio::test]
async fn completes_prompt_arguments_and_placeholders() {
    let client = start(server()).await;
    let complete = |id, reference: Value, name: &str, value: &str| {
        let params = json!({"ref": reference, "argument": {"name": name, "value": value}});
        let client = &client;
        async move { client.request(id, "completion/complete", params).await }
    };
    let prompt = json!({"type": "ref/prompt", "name": "test_prompt_with_arguments"});
    let none = complete(1, prompt, "arg1", "test").await;
    assert_eq!(
        none["result"],
        json!({"completion": {"values": [], "total": 0, "hasMore": false}})
    );
    let template = json!({"type": "ref/resource", "uri": "test://template/{id}/data"});
    let capped = complete(2, template.clone(), "id", "").await;
    let completion = &capped["result"]["completion"];
    assert_eq!(completion["values"].as_array().unwrap().len(), 100);
    assert_eq!(
        (completion["total"].clone(), completion["hasMore"].clone()),
        (json!(150), json!(true))
    );
    let few = complete(3, template, "id", "14").await;
    assert_eq!(
        few["result"]["completion"]["values"],
        json!(["14", "140", "141", "142", "143", "144", "145", "146", "147", "148", "149"])
    );
    let unknown = complete(4, json!({"type": "ref/prompt", "name": "nope"}), "a", "").await;
    assert_eq!(error_code(&unknown), -32602);
    let unknown = complete(
        5,
        json!({"type": "ref/resource", "uri": "x://{y}"}),
        "y",
        "",
    )
    .await;
    assert_eq!(error_code(&unknown), -32602);
}

#[tokio::test]
async fn every_list_paginates() {
    let server = server();
    server.add_prompt(Arc::new(WithArgs("second"))).unwrap();
    server.set_page_size(1);
    let client = start(server).await;
    for (method, key, expected) in [
        ("tools/list", "tools", 2),
        ("resources/list", "resources", 2),
        ("resources/templates/list", "resourceTemplates", 1),
        ("prompts/list", "prompts", 2),
    ] {
        let (mut seen, mut cursor) = (0, None::<String>);
        for id in 1.. {
            let params = cursor.as_ref().map_or(json!({}), |c| json!({"cursor": c}));
            let page = client.request(id, method, params).await;
            assert_eq!(page["result"][key].as_array().unwrap().len(), 1, "{page}");
            seen += 1;
            match page["result"]["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, expected, "{method}");
        let bad = client
            .request(9, method, json!({"cursor": "garbage"}))
            .await;
        assert_eq!(error_code(&bad), -32602, "{method}");
    }
}

#[tokio::test]
async fn subscribers_get_updates_on_their_stream() {
    let server = server();
    let client = start(server.clone()).await;
    let stream = standalone(&client).await;
    let reader = tokio::spawn(read_events(stream, |events| events.len() >= 2));
    let uri = "test://watched-resource";
    assert_eq!(
        server.notify_resource_updated(uri),
        0,
        "nobody subscribed yet"
    );
    let ok = client
        .request(1, "resources/subscribe", json!({"uri": uri}))
        .await;
    assert_eq!(ok["result"], json!({}));
    assert_eq!(server.notify_resource_updated(uri), 1);
    assert_eq!(server.notify_resource_updated("test://static-text"), 0);
    let ok = client
        .request(2, "resources/unsubscribe", json!({"uri": uri}))
        .await;
    assert_eq!(ok["result"], json!({}));
    assert_eq!(server.notify_resource_updated(uri), 0);
    server.remove_prompt("test_prompt_with_arguments");
    let events = reader.await.unwrap();
    let messages: Vec<Value> = events
        .iter()
        .map(|(_, data)| serde_json::from_str(data).unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            json!({"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": uri}}),
            json!({"jsonrpc": "2.0", "method": "notifications/prompts/list_changed", "params": {}}),
        ]
    );
}

#[tokio::test]
async fn runtime_changes_reach_lists_and_streams() {
    let server = server();
    let client = start(server.clone()).await;
    let stream = standalone(&client).await;
    let reader = tokio::spawn(read_events(stream, |events| events.len() >= 5));
    tokio::time::sleep(Duration::from_millis(50)).await;

    assert!(server.set_tool_enabled("slow", false));
    let tools = client.request(1, "tools/list", json!({})).await;
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 1);
    let call = client
        .request(2, "tools/call", json!({"name": "slow", "arguments": {}}))
        .await;
    assert_eq!(
        error_code(&call),
        -32602,
        "a disabled tool cannot be called"
    );
    assert!(server.remove_tool("echo"));
    assert!(!server.remove_tool("echo"));
    assert!(server.remove_resource("test://static-text"));
    let gone = client
        .request(3, "resources/read", json!({"uri": "test://static-text"}))
        .await;
    assert_eq!(error_code(&gone), -32002);
    server
        .add_prompt(Arc::new(WithArgs("added_later")))
        .unwrap();
    assert!(server.remove_resource_template("test://template/{id}/data"));
    let prompts = client.request(4, "prompts/list", json!({})).await;
    assert_eq!(prompts["result"]["prompts"][1]["name"], "added_later");

    let methods: Vec<String> = reader
        .await
        .unwrap()
        .iter()
        .map(|(_, data)| {
            serde_json::from_str::<Value>(data).unwrap()["method"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        methods,
        [
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/resources/list_changed",
            "notifications/prompts/list_changed",
            "notifications/resources/list_changed",
        ]
    );
}
