//! `subscriptions/listen` through the service: the acknowledgement first, then only the
//! notifications the listener asked for and the server offers, tagged with the listen
//! request's id, until the call ends.

use std::sync::Arc;

use bytes::Bytes;
use parking_lot::Mutex;
use quickmcp_core::{
    Arguments, CallContext, Inbound, ListKind, McpServer, MessageSink, Outgoing, ToolDefinition,
    ToolFuture, ToolHandler,
};
use serde_json::{json, Value};

const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";

#[derive(Default)]
struct Collect(Mutex<Vec<Value>>);

impl MessageSink for Collect {
    fn send(&self, message: Bytes) -> bool {
        self.0
            .lock()
            .push(serde_json::from_slice(&message).unwrap());
        true
    }
}

struct TaskTool;

impl ToolHandler for TaskTool {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("job", "A job.")
            .task_support(quickmcp_core::tasks::TaskSupport::Optional)
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready("done")
    }
}

/// Opens `subscriptions/listen` with `params` (its `_meta` added), streaming to `sink`.
fn listen(server: &McpServer, id: i64, mut params: Value, sink: &Arc<Collect>) -> Outgoing {
    let caps = params
        .get_mut("_meta")
        .map(Value::take)
        .unwrap_or(json!({}));
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": caps,
    });
    let body =
        json!({"jsonrpc": "2.0", "id": id, "method": "subscriptions/listen", "params": params});
    let inbound = Inbound {
        sink: Some(sink.clone()),
        ..Inbound::default()
    };
    server
        .service()
        .handle(body.to_string().as_bytes(), inbound)
}

#[tokio::test]
async fn acknowledges_first_then_tags_filtered_notifications() {
    let server = McpServer::new("s");
    server.add_tool(Arc::new(TaskTool)).unwrap();
    let sink = Arc::new(Collect::default());
    let params = json!({"notifications": {"promptsListChanged": true, "toolsListChanged": true}});
    let Outgoing::Running(call) = listen(&server, 9, params, &sink) else {
        panic!("a listen call runs until it is ended");
    };
    assert_eq!(server.stats().listen_streams, 1);
    server.notify_list_changed(ListKind::Tools);
    server.notify_list_changed(ListKind::Resources);
    server.notify_list_changed(ListKind::Prompts);
    let sent = sink.0.lock().clone();
    assert_eq!(
        sent[0]["method"],
        "notifications/subscriptions/acknowledged"
    );
    assert_eq!(sent[0]["params"]["_meta"][SUBSCRIPTION_ID], 9);
    assert_eq!(
        sent[0]["params"]["notifications"],
        json!({"toolsListChanged": true}),
        "prompts are not offered, so not honoured"
    );
    assert_eq!(
        sent.len(),
        2,
        "unrequested or unoffered kinds are not sent: {sent:?}"
    );
    assert_eq!(sent[1]["method"], "notifications/tools/list_changed");
    assert_eq!(sent[1]["params"]["_meta"][SUBSCRIPTION_ID], 9);
    drop(call);
    assert_eq!(
        server.stats().listen_streams,
        0,
        "the stream ended the subscription"
    );
}

#[tokio::test]
async fn task_listeners_need_the_extension() {
    let server = McpServer::new("s");
    server.add_tool(Arc::new(TaskTool)).unwrap();
    let sink = Arc::new(Collect::default());
    let asked = json!({"notifications": {"taskIds": ["t1"]}});
    let Outgoing::Ready(Err(refused)) = listen(&server, 3, asked.clone(), &sink) else {
        panic!("refused at once");
    };
    assert_eq!(refused.error().code, -32021);
    let mut declared = asked;
    declared["_meta"] = json!({"extensions": {"io.modelcontextprotocol/tasks": {}}});
    let Outgoing::Running(_call) = listen(&server, 4, declared, &sink) else {
        panic!("a listen call runs");
    };
    let sent = sink.0.lock().clone();
    assert_eq!(sent[0]["params"]["notifications"]["taskIds"][0], "t1");
}
