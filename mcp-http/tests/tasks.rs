//! The tasks extension (`io.modelcontextprotocol/tasks`) on the 2026-07-28 wire over real
//! sockets: task creation, polling, input rounds through `tasks/update`, cancellation,
//! failures, the deferred (MRTR first) start, and the capability and header errors.

mod common;

use std::sync::Arc;

use common::{mcp_headers, reply, spawn};
use quickmcp_core::tasks::TaskSupport;
use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, McpError, McpServer, ToolDefinition,
    ToolFuture, ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

/// `gated`: waits until the test opens the gate, then answers "opened". When cancelled, a
/// watcher holding its cancellation token says so on `cancelled`.
struct Gated {
    gate: Arc<Notify>,
    cancelled: mpsc::UnboundedSender<()>,
}

impl ToolHandler for Gated {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("gated", "Waits for the gate.").task_support(TaskSupport::Optional)
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        let (gate, cancelled) = (self.gate.clone(), self.cancelled.clone());
        // Work handed the cancellation token hears `tasks/cancel` (the body itself is dropped).
        let token = ctx.cancellation_token();
        tokio::spawn(async move {
            token.cancelled().await;
            let _ = cancelled.send(());
        });
        ToolFuture::pending(async move {
            gate.notified().await;
            "opened"
        })
    }
}

/// `two_questions`: asks two keyed forms at once, then echoes both answers.
struct TwoQuestions;

impl ToolHandler for TwoQuestions {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("two_questions", "Asks two things.").task_support(TaskSupport::Required)
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ToolFuture::pending(async move {
            let schema = json!({"type": "object", "properties": {"v": {"type": "string"}}});
            let (ask_a, ask_b) = (ctx.input_key("a"), ctx.input_key("b"));
            let (a, b) = tokio::join!(
                ask_a.elicit_schema("A?", schema.clone()),
                ask_b.elicit_schema("B?", schema),
            );
            let value = |answer: quickmcp_core::ElicitResult| {
                answer.content.unwrap_or_default()["v"].clone()
            };
            let out: Result<String, quickmcp_core::ExchangeError> =
                Ok(format!("{} {}", value(a?), value(b?)));
            out
        })
    }
}

/// `broken`: fails with a JSON-RPC error after yielding once; `tool_error` with `isError`.
struct Broken;

impl ToolHandler for Broken {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("broken", "Fails.").task_support(TaskSupport::Optional)
    }
    fn call(&self, mut args: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        let protocol = args.take("protocol").is_some_and(|raw| raw.get() == "true");
        ToolFuture::Pending(Box::pin(async move {
            tokio::task::yield_now().await;
            if protocol {
                Err(McpError::internal("the backend is down"))
            } else {
                Ok(quickmcp_core::IntoToolResult::into_tool_result(Err::<
                    String,
                    _,
                >(
                    "bad input",
                )))
            }
        }))
    }
}

/// `ask_then_work`: asks through MRTR, then becomes a task that waits for the gate.
struct AskThenWork {
    gate: Arc<Notify>,
}

impl ToolHandler for AskThenWork {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("ask_then_work", "Asks, then works.")
            .task_support(TaskSupport::Required)
            .defer_task(true)
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        let gate = self.gate.clone();
        ToolFuture::pending(async move {
            let schema = json!({"type": "object"});
            let answer = ctx.input_key("who").elicit_schema("Who?", schema).await;
            ctx.start_task().await;
            gate.notified().await;
            let who = answer.map(|a| a.content.unwrap_or_default()["name"].clone());
            format!("done for {}", who.unwrap_or_default())
        })
    }
}

struct Harness {
    url: String,
    server: McpServer,
    gate: Arc<Notify>,
    cancelled: mpsc::UnboundedReceiver<()>,
}

async fn start() -> Harness {
    let server: McpServer = common::server();
    let gate = Arc::new(Notify::new());
    let (tx, cancelled) = mpsc::unbounded_channel();
    server
        .add_tool(Arc::new(Gated {
            gate: gate.clone(),
            cancelled: tx,
        }))
        .unwrap();
    server.add_tool(Arc::new(TwoQuestions)).unwrap();
    server.add_tool(Arc::new(Broken)).unwrap();
    server
        .add_tool(Arc::new(AskThenWork { gate: gate.clone() }))
        .unwrap();
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    Harness {
        url: format!("http://{addr}/mcp"),
        server,
        gate,
        cancelled,
    }
}

const TASKS: &str = r#"{"elicitation": {}, "extensions": {"io.modelcontextprotocol/tasks": {}}}"#;
const PLAIN: &str = r#"{"elicitation": {}}"#;

/// Posts a 2026 request declaring `caps`, with `Mcp-Name: name`.
async fn post(
    url: &str,
    method: &str,
    name: &str,
    mut params: Value,
    caps: &str,
) -> reqwest::Response {
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": serde_json::from_str::<Value>(caps).unwrap(),
    });
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    reqwest::Client::new()
        .post(url)
        .headers(mcp_headers())
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", method)
        .header("mcp-name", name)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Sends a 2026 request declaring `caps`, with `Mcp-Name: name`; returns (status, response).
async fn send(url: &str, method: &str, name: &str, params: Value, caps: &str) -> (u16, Value) {
    let (status, mut all) = reply(post(url, method, name, params, caps).await).await;
    (status, all.pop().expect("a response"))
}

async fn call_tool(url: &str, tool: &str, arguments: Value, caps: &str) -> Value {
    let params = json!({"name": tool, "arguments": arguments});
    let (status, body) = send(url, "tools/call", tool, params, caps).await;
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

async fn task_method(url: &str, method: &str, task: &str, extra: Value) -> Value {
    let mut params = json!({"taskId": task});
    if let (Some(params), Value::Object(extra)) = (params.as_object_mut(), extra) {
        params.extend(extra);
    }
    let (status, body) = send(url, method, task, params, TASKS).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["resultType"], "complete", "{body}");
    body["result"].clone()
}

/// Polls `tasks/get` until `done` holds (no deadline: the test harness's timeout is the bound).
async fn poll_until(url: &str, task: &str, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let task = task_method(url, "tasks/get", task, json!({})).await;
        if done(&task) {
            return task;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

fn is_terminal(task: &Value) -> bool {
    ["completed", "failed", "cancelled"].contains(&task["status"].as_str().unwrap_or(""))
}

#[tokio::test]
async fn a_task_is_created_polled_and_completed() {
    let h = start().await;
    let (_, discover) = send(&h.url, "server/discover", "", json!({}), PLAIN).await;
    let extensions = &discover["result"]["capabilities"]["extensions"];
    assert!(
        extensions["io.modelcontextprotocol/tasks"].is_object(),
        "{discover}"
    );

    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    assert_eq!(created["resultType"], "task", "{created}");
    assert_eq!(created["status"], "working");
    assert!(created["ttlMs"].as_u64().unwrap() > 0);
    assert!(created["pollIntervalMs"].as_u64().unwrap() > 0);
    for absent in ["result", "error", "inputRequests", "requestState", "task"] {
        assert!(created.get(absent).is_none(), "{absent} in {created}");
    }
    let id = created["taskId"].as_str().unwrap();

    let working = task_method(&h.url, "tasks/get", id, json!({})).await;
    assert_eq!(working["status"], "working", "{working}");
    assert_eq!(working["taskId"], id);
    assert!(working.get("result").is_none());

    h.gate.notify_one();
    let done = poll_until(&h.url, id, is_terminal).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["content"][0]["text"], "opened");
    assert!(done["result"]["_meta"]["io.modelcontextprotocol/related-task"].is_null());
}

#[tokio::test]
async fn listeners_hear_status_changes_as_notifications_tasks() {
    let h = start().await;
    let created = call_tool(&h.url, "two_questions", json!({}), TASKS).await;
    let id = created["taskId"].as_str().unwrap();
    let params = json!({"notifications": {"taskIds": [id]}});
    let refused = post(&h.url, "subscriptions/listen", "", params.clone(), PLAIN).await;
    assert_eq!(refused.status(), 400, "taskIds need the extension");
    let resp = post(&h.url, "subscriptions/listen", "", params, TASKS).await;
    assert_eq!(resp.status(), 200);
    let mut events = common::event_channel(resp);
    let (_, ack) = events.recv().await.unwrap();
    let ack: Value = serde_json::from_str(&ack).unwrap();
    assert_eq!(ack["params"]["notifications"]["taskIds"][0], id, "{ack}");
    task_method(&h.url, "tasks/cancel", id, json!({})).await;
    loop {
        let (_, event) = events.recv().await.expect("notifications/tasks");
        let event: Value = serde_json::from_str(&event).unwrap();
        assert_eq!(event["method"], "notifications/tasks", "{event}");
        assert_eq!(event["params"]["taskId"], id);
        if event["params"]["status"] == "cancelled" {
            break;
        }
    }
}

#[tokio::test]
async fn cancel_stops_the_body_and_is_idempotent() {
    let mut h = start().await;
    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    let id = created["taskId"].as_str().unwrap();
    let ack = task_method(&h.url, "tasks/cancel", id, json!({})).await;
    for absent in ["taskId", "status", "result", "error", "inputRequests"] {
        assert!(ack.get(absent).is_none(), "{absent} in {ack}");
    }
    h.cancelled
        .recv()
        .await
        .expect("the body saw ctx.cancelled()");
    let task = task_method(&h.url, "tasks/get", id, json!({})).await;
    assert_eq!(task["status"], "cancelled", "{task}");
    let again = task_method(&h.url, "tasks/cancel", id, json!({})).await;
    assert_eq!(again["resultType"], "complete");
    h.gate.notify_one();
    let task = task_method(&h.url, "tasks/get", id, json!({})).await;
    assert_eq!(
        task["status"], "cancelled",
        "a cancelled task stays cancelled"
    );
}

#[tokio::test]
async fn a_task_past_its_ttl_is_stopped() {
    let mut h = start().await;
    h.server.set_task_timing(Some(1), 10);
    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    assert_eq!(created["ttlMs"], 1, "{created}");
    h.cancelled.recv().await.expect("the body's token fired");
}

#[tokio::test]
async fn input_requests_are_answered_through_tasks_update_one_at_a_time() {
    let h = start().await;
    let created = call_tool(&h.url, "two_questions", json!({}), TASKS).await;
    let id = created["taskId"].as_str().unwrap();
    let asking = poll_until(&h.url, id, |t| {
        t["inputRequests"].as_object().is_some_and(|r| r.len() == 2)
    })
    .await;
    assert_eq!(asking["status"], "input_required", "{asking}");
    assert_eq!(asking["inputRequests"]["a"]["method"], "elicitation/create");
    assert_eq!(asking["inputRequests"]["b"]["params"]["message"], "B?");

    let answer = |v: &str| json!({"action": "accept", "content": {"v": v}});
    let responses = json!({"inputResponses": {
        "a": answer("x"), "b": "not a result", "never-asked": answer("?"),
    }});
    let ack = task_method(&h.url, "tasks/update", id, responses).await;
    assert!(ack.get("status").is_none(), "{ack}");
    let half = task_method(&h.url, "tasks/get", id, json!({})).await;
    assert_eq!(half["status"], "input_required", "{half}");
    let keys: Vec<&String> = half["inputRequests"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["b"], "{half}");

    let responses = json!({"inputResponses": {"b": answer("y")}});
    task_method(&h.url, "tasks/update", id, responses).await;
    let done = poll_until(&h.url, id, is_terminal).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["content"][0]["text"], r#""x" "y""#);
}

#[tokio::test]
async fn tool_errors_complete_and_protocol_errors_fail() {
    let h = start().await;
    let created = call_tool(&h.url, "broken", json!({}), TASKS).await;
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["isError"], true);

    let created = call_tool(&h.url, "broken", json!({"protocol": true}), TASKS).await;
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["error"]["code"], -32603);
    assert_eq!(done["error"]["message"], "the backend is down");
    assert!(done.get("result").is_none());
}

#[tokio::test]
async fn a_deferred_task_asks_through_mrtr_first() {
    let h = start().await;
    let round1 = call_tool(&h.url, "ask_then_work", json!({}), TASKS).await;
    assert_eq!(round1["resultType"], "input_required", "{round1}");
    assert!(round1.get("taskId").is_none());
    let params = json!({
        "name": "ask_then_work",
        "arguments": {},
        "inputResponses": {"who": {"action": "accept", "content": {"name": "Ada"}}},
        "requestState": round1["requestState"],
    });
    let (_, round2) = send(&h.url, "tools/call", "ask_then_work", params, TASKS).await;
    let created = &round2["result"];
    assert_eq!(created["resultType"], "task", "{round2}");
    assert!(created.get("requestState").is_none());
    h.gate.notify_one();
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    assert_eq!(
        done["result"]["content"][0]["text"], r#"done for "Ada""#,
        "{done}"
    );
}

#[tokio::test]
async fn clients_without_the_extension_get_plain_calls_or_32021() {
    let h = start().await;
    h.gate.notify_one();
    let plain = call_tool(&h.url, "gated", json!({}), PLAIN).await;
    assert_eq!(plain["resultType"], "complete", "{plain}");
    assert_eq!(plain["content"][0]["text"], "opened");

    let params = json!({"name": "two_questions", "arguments": {}});
    let (status, body) = send(&h.url, "tools/call", "two_questions", params, PLAIN).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], -32021);
    let required = &body["error"]["data"]["requiredCapabilities"]["extensions"];
    assert!(
        required["io.modelcontextprotocol/tasks"].is_object(),
        "{body}"
    );

    for method in ["tasks/get", "tasks/update", "tasks/cancel"] {
        let params = json!({"taskId": "t", "inputResponses": {}});
        let (status, body) = send(&h.url, method, "t", params, PLAIN).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &json!(-32021)),
            "{method}"
        );
    }
}

#[tokio::test]
async fn unknown_tasks_removed_methods_and_mismatched_headers_are_errors() {
    let h = start().await;
    let (status, body) = send(
        &h.url,
        "tasks/get",
        "nope",
        json!({"taskId": "nope"}),
        TASKS,
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (200, &json!(-32602)),
        "{body}"
    );
    assert_eq!(body["error"]["data"]["taskId"], "nope");
    for method in ["tasks/result", "tasks/list"] {
        let (status, body) = send(&h.url, method, "x", json!({"taskId": "x"}), TASKS).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (404, &json!(-32601)),
            "{method}"
        );
    }
    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    let params = json!({"taskId": created["taskId"]});
    let (status, body) = send(&h.url, "tasks/get", "another-task", params, TASKS).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (400, &json!(-32020)),
        "{body}"
    );
}

/// `stuck`: a task tool whose body never ends, within a timeout of its own.
struct Stuck;

impl ToolHandler for Stuck {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("stuck", "Never ends.")
            .task_support(TaskSupport::Optional)
            .timeout(std::time::Duration::from_millis(100))
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::pending(std::future::pending::<&'static str>())
    }
}

#[tokio::test]
async fn a_task_body_is_bounded_by_its_tools_timeout() {
    let h = start().await;
    h.server.add_tool(Arc::new(Stuck)).unwrap();
    // The server's default does not bound a task: only the tool's own timeout does.
    h.server.call_timeout(std::time::Duration::from_millis(1));
    let created = call_tool(&h.url, "stuck", json!({}), TASKS).await;
    assert_eq!(created["resultType"], "task", "{created}");
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    // As in a call answered inside its request: the tool's error result.
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["isError"], true, "{done}");
    assert_eq!(
        done["result"]["content"][0]["text"],
        "the tool `stuck` did not finish within 100ms"
    );
    // A task body the default would have stopped long before runs on until its tool's own
    // timeout: `gated` waits for the gate.
    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    let id = created["taskId"].as_str().unwrap();
    h.gate.notify_one();
    let done = poll_until(&h.url, id, is_terminal).await;
    assert_eq!(done["result"]["content"][0]["text"], "opened", "{done}");
    let released = async {
        while h.server.stats().running_tasks != 0 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), released)
        .await
        .expect("no task body is left running");
}

/// `panics_later`: a task tool whose body panics once it runs as a task.
struct PanicsLater;

impl ToolHandler for PanicsLater {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("panics_later", "Panics in its task.")
            .task_support(TaskSupport::Optional)
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::pending(async {
            tokio::task::yield_now().await;
            if std::hint::black_box(true) {
                panic!("the task body broke");
            }
            "unreachable"
        })
    }
}

#[tokio::test]
async fn a_panicking_task_body_ends_its_task_and_the_server_serves_on() {
    let h = start().await;
    h.server.add_tool(Arc::new(PanicsLater)).unwrap();
    let created = call_tool(&h.url, "panics_later", json!({}), TASKS).await;
    assert_eq!(created["resultType"], "task", "{created}");
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    // As a panic inside a request: the tool's error result, naming the tool.
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["isError"], true, "{done}");
    let text = done["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains("panics_later") && text.contains("panicked"),
        "{done}"
    );
    // The server goes on: another task runs to its end.
    let created = call_tool(&h.url, "gated", json!({}), TASKS).await;
    h.gate.notify_one();
    let done = poll_until(&h.url, created["taskId"].as_str().unwrap(), is_terminal).await;
    assert_eq!(done["result"]["content"][0]["text"], "opened", "{done}");
}
