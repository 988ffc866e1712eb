//! `resources/read` through the service: the static resource first, then templates in
//! registration order, else -32002 naming the URI.

use std::sync::Arc;

use quickmcp_core::{
    CallContext, Inbound, McpServer, Outgoing, ReadResourceResult, Reply, ResourceContents,
    ResourceDefinition, ResourceHandler, ResourceTemplateDefinition, ResourceTemplateHandler,
    UriVars,
};
use serde_json::{json, Value};

fn answer(text: String, uri: &str) -> Reply<ReadResourceResult> {
    let contents = vec![ResourceContents::Text {
        uri: uri.into(),
        mime_type: None,
        text,
    }];
    Reply::ready(Ok(ReadResourceResult { contents }))
}

struct Fixed(&'static str);

impl ResourceHandler for Fixed {
    fn definition(&self) -> ResourceDefinition {
        ResourceDefinition::new(self.0, "fixed")
    }
    fn read(&self, uri: &str, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        answer("static".into(), uri)
    }
}

struct Template(&'static str, &'static str);

impl ResourceTemplateHandler for Template {
    fn definition(&self) -> ResourceTemplateDefinition {
        ResourceTemplateDefinition::new(self.0, self.1)
    }
    fn read(&self, uri: &str, vars: &UriVars, _: &CallContext<'_>) -> Reply<ReadResourceResult> {
        let var = vars.get("v").unwrap_or_default();
        answer(format!("{}:{var}", self.1), uri)
    }
}

fn read(server: &McpServer, uri: &str) -> Value {
    let body =
        json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}});
    let Outgoing::Ready(Ok(response)) = server
        .service()
        .handle(body.to_string().as_bytes(), Inbound::default())
    else {
        panic!("answered at once");
    };
    let response: Value = serde_json::from_slice(&response.into_body()).unwrap();
    match response["result"]["contents"][0]["text"].as_str() {
        Some(text) => Value::String(text.into()),
        None => response["error"].clone(),
    }
}

#[test]
fn static_first_then_templates_in_registration_order() {
    let server = McpServer::new("t");
    server
        .add_resource_template(Arc::new(Template("a://x/{v}", "first")))
        .unwrap();
    server
        .add_resource_template(Arc::new(Template("a://{v}/1", "second")))
        .unwrap();
    server.add_resource(Arc::new(Fixed("a://x/1"))).unwrap();
    assert_eq!(read(&server, "a://x/1"), "static");
    assert_eq!(read(&server, "a://x/2"), "first:2");
    assert_eq!(read(&server, "a://y/1"), "second:y");
    server.set_resource_template_enabled("a://x/{v}", false);
    assert_eq!(
        read(&server, "a://x/2"),
        json!({"code": -32002, "message": "resource not found: `a://x/2`", "data": {"uri": "a://x/2"}})
    );
    assert_eq!(read(&server, "a://x/1"), "static");
}
