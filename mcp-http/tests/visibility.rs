//! Tag filters and per-session visibility over real sockets: what each session lists and may
//! call, and which sessions get `list_changed` on their GET stream.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{event_channel, spawn, Client};
use quickmcp_core::{
    Arguments, CallContext, Context, FromCallContext, GetPromptResult, McpServer, PromptArguments,
    PromptDefinition, PromptHandler, PromptMessage, Reply, Selector, ToolDefinition, ToolFuture,
    ToolHandler,
};
use quickmcp_http::{router, HttpOptions};
use reqwest::header::ACCEPT;
use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;

/// A tool named `.0` tagged `.1`, answering its name.
struct Tagged(&'static str, &'static [&'static str]);

impl ToolHandler for Tagged {
    fn definition(&self) -> ToolDefinition {
        let def = ToolDefinition::new(self.0, "A tagged tool.");
        self.1.iter().fold(def, |def, tag| def.tag(*tag))
    }
    fn call(&self, _: Arguments<'_>, _: &CallContext<'_>) -> ToolFuture {
        ToolFuture::ready(self.0)
    }
}

/// `login`: shows the `admin` tools and prompts to the caller's session.
struct Login;

impl ToolHandler for Login {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("login", "Unlock the admin tools.")
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        assert!(ctx.show(Selector::tag("admin")));
        ToolFuture::ready("unlocked")
    }
}

/// `logout`: hides the `admin` tools again, and itself.
struct Logout;

impl ToolHandler for Logout {
    fn definition(&self) -> ToolDefinition {
        ToolDefinition::new("logout", "Lock the admin tools.")
    }
    fn call(&self, _: Arguments<'_>, cx: &CallContext<'_>) -> ToolFuture {
        let ctx = Context::from_call_context(cx).unwrap();
        ctx.hide(Selector::tag("admin"));
        ctx.hide(Selector::tool("logout"));
        ToolFuture::ready("locked")
    }
}

/// An `admin` prompt.
struct Audit;

impl PromptHandler for Audit {
    fn definition(&self) -> PromptDefinition {
        PromptDefinition::new("audit", "Audit the logs.").tag("admin")
    }
    fn get(&self, _: PromptArguments, _: &CallContext<'_>) -> Reply<GetPromptResult> {
        Reply::ready(Ok(GetPromptResult::new(vec![PromptMessage::user("audit")])))
    }
}

fn server() -> McpServer {
    let server = McpServer::new("visibility");
    for tool in [
        Tagged("open", &[]),
        Tagged("drop_table", &["admin"]),
        Tagged("new_ui", &["beta"]),
        Tagged("status", &["public"]),
    ] {
        server.add_tool(Arc::new(tool)).unwrap();
    }
    server.add_tool(Arc::new(Login)).unwrap();
    server.add_tool(Arc::new(Logout)).unwrap();
    server.add_prompt(Arc::new(Audit)).unwrap();
    server.exclude_tags(["admin"]);
    server
}

async fn connect(url: &str) -> Client {
    let mut client = Client::new(url.to_owned());
    client.initialize().await;
    client
}

async fn start(server: &McpServer) -> String {
    let addr = spawn(router(server.clone(), Vec::new(), HttpOptions::new())).await;
    format!("http://{addr}/mcp")
}

/// Opens the session's GET stream and forwards its events' data.
async fn standalone(client: &Client) -> UnboundedReceiver<(String, String)> {
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
    let events = event_channel(resp);
    tokio::time::sleep(Duration::from_millis(50)).await;
    events
}

/// The methods of the notifications that arrive within `wait`.
async fn notifications(events: &mut UnboundedReceiver<(String, String)>, wait: u64) -> Vec<String> {
    let mut methods = Vec::new();
    let deadline = tokio::time::sleep(Duration::from_millis(wait));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some((_, data)) => {
                    let message: Value = serde_json::from_str(&data).unwrap();
                    methods.push(message["method"].as_str().unwrap_or_default().to_owned());
                }
                None => return methods,
            },
            () = &mut deadline => return methods,
        }
    }
}

async fn tool_names(client: &Client) -> Vec<String> {
    let list = client.request(90, "tools/list", json!({})).await;
    let tools = list["result"]["tools"].as_array().unwrap();
    tools
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn call(client: &Client, name: &str) -> Value {
    let params = json!({"name": name, "arguments": {}});
    client.request(91, "tools/call", params).await
}

fn called(response: &Value) -> &str {
    response["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or("")
}

/// The error of a call, with the tool's name replaced: hidden must look like unknown.
fn unknown_shape(response: &Value, name: &str) -> Value {
    let text = serde_json::to_string(&response["error"]).unwrap();
    serde_json::from_str(&text.replace(name, "NAME")).unwrap()
}

#[tokio::test]
async fn tag_filters_decide_what_is_listed_and_callable() {
    let server = server();
    let client = connect(&start(&server).await).await;
    let mut events = standalone(&client).await;
    assert_eq!(
        tool_names(&client).await,
        ["open", "new_ui", "status", "login", "logout"]
    );
    let listed = client.request(1, "tools/list", json!({})).await;
    for tool in listed["result"]["tools"].as_array().unwrap() {
        assert!(
            tool.get("tags").is_none() && tool.get("_meta").is_none(),
            "{tool}"
        );
    }
    assert!(
        !listed.to_string().contains("beta"),
        "tags stay server-side"
    );
    let hidden = call(&client, "drop_table").await;
    let unknown = call(&client, "no_such_tool").await;
    assert_eq!(hidden["error"]["code"], -32602);
    assert_eq!(
        unknown_shape(&hidden, "drop_table"),
        unknown_shape(&unknown, "no_such_tool")
    );
    let prompts = client.request(2, "prompts/list", json!({})).await;
    assert_eq!(prompts["result"]["prompts"], json!([]));
    let audit = client
        .request(3, "prompts/get", json!({"name": "audit"}))
        .await;
    assert_eq!(audit["error"]["code"], -32602);

    server.include_tags(["public", "beta"]);
    server.exclude_tags(["admin", "beta"]);
    assert_eq!(tool_names(&client).await, ["status"]);
    assert_eq!(called(&call(&client, "status").await), "status");
    assert_eq!(call(&client, "open").await["error"]["code"], -32602);
    server.include_tags(Vec::<String>::new());
    server.exclude_tags(Vec::<String>::new());
    assert_eq!(tool_names(&client).await.len(), 6);
    assert_eq!(called(&call(&client, "drop_table").await), "drop_table");
    let methods = notifications(&mut events, 300).await;
    assert_eq!(
        methods,
        [
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/prompts/list_changed",
        ],
        "list_changed for each list whose content a filter change changes"
    );
}

#[tokio::test]
async fn a_login_unlocks_tagged_tools_for_its_session_only() {
    let server = server();
    let url = start(&server).await;
    let alice = connect(&url).await;
    let bob = connect(&url).await;
    let mut alice_events = standalone(&alice).await;
    let mut bob_events = standalone(&bob).await;

    assert_eq!(called(&call(&alice, "login").await), "unlocked");
    let methods = notifications(&mut alice_events, 300).await;
    assert_eq!(
        methods,
        [
            "notifications/tools/list_changed",
            "notifications/prompts/list_changed"
        ]
    );
    assert!(tool_names(&alice).await.contains(&"drop_table".to_owned()));
    assert_eq!(called(&call(&alice, "drop_table").await), "drop_table");
    let prompts = alice.request(4, "prompts/list", json!({})).await;
    assert_eq!(prompts["result"]["prompts"][0]["name"], "audit");

    assert!(!tool_names(&bob).await.contains(&"drop_table".to_owned()));
    assert_eq!(call(&bob, "drop_table").await["error"]["code"], -32602);
    assert_eq!(
        notifications(&mut bob_events, 200).await,
        Vec::<String>::new()
    );

    assert_eq!(called(&call(&alice, "logout").await), "locked");
    let names = tool_names(&alice).await;
    assert!(!names.contains(&"drop_table".to_owned()), "{names:?}");
    assert!(!names.contains(&"logout".to_owned()), "{names:?}");
    assert_eq!(call(&alice, "logout").await["error"]["code"], -32602);
    assert_eq!(tool_names(&bob).await.len(), 5);
}

#[tokio::test]
async fn the_server_handle_hides_and_shows_by_session_id() {
    let server = server();
    let url = start(&server).await;
    let alice = connect(&url).await;
    let bob = connect(&url).await;
    let mut alice_events = standalone(&alice).await;
    let mut bob_events = standalone(&bob).await;
    let alice_id = alice.session.as_deref().unwrap();

    assert!(server.hide_for_session(alice_id, Selector::tool("open")));
    let hidden = call(&alice, "open").await;
    let unknown = call(&alice, "no_such_tool").await;
    assert_eq!(
        unknown_shape(&hidden, "open"),
        unknown_shape(&unknown, "no_such_tool")
    );
    assert_eq!(called(&call(&bob, "open").await), "open");
    assert!(server.show_for_session(alice_id, Selector::tool("drop_table")));
    assert!(tool_names(&alice).await.contains(&"drop_table".to_owned()));
    assert!(server.reset_session_visibility(alice_id));
    assert_eq!(called(&call(&alice, "open").await), "open");
    assert!(!server.hide_for_session("no-such-session", Selector::tool("open")));

    assert_eq!(
        notifications(&mut alice_events, 300).await,
        [
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/tools/list_changed",
            "notifications/prompts/list_changed",
        ]
    );
    assert_eq!(
        notifications(&mut bob_events, 100).await,
        Vec::<String>::new()
    );
}
