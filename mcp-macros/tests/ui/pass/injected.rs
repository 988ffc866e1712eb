use http::HeaderMap;
use quickmcp::prelude::*;
use quickmcp::ToolHandler;

#[derive(Clone)]
struct Db {
    url: String,
}

#[derive(Clone)]
struct User(String);

/// Uses every kind of injected value; only `n` is an argument.
#[tool]
async fn everything(
    ctx: Context,
    State(db): State<Db>,
    Extension(user): Extension<User>,
    headers: HeaderMap,
    maybe_user: Option<Extension<User>>,
    n: i32,
) -> String {
    ctx.info("working").await;
    let _ = maybe_user;
    format!("{} {} {} {n}", db.url, user.0, headers.len())
}

/// State bound by a name.
#[tool]
fn state_by_name(db: State<Db>) -> String {
    db.0.url
}

fn main() {
    let definition = serde_json::to_value(everything.definition()).unwrap();
    assert_eq!(
        definition["inputSchema"]["properties"],
        serde_json::json!({"n": {"type": "integer", "format": "int32"}})
    );
    let _ = Server::new("x")
        .state(Db { url: "postgres://".into() })
        .tool(everything)
        .tool(state_by_name);
}
