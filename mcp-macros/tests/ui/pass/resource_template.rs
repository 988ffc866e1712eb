// Async resources, and templates whose placeholders are typed parameters next to injected ones.
use quickmcp::prelude::*;
use quickmcp::{ResourceHandler, ResourceTemplateHandler};

#[derive(Clone)]
struct Db {
    prefix: String,
}

/// An async static resource.
#[resource("test://later")]
async fn later() -> String {
    "later".into()
}

/// `{id}` parses as a `u32`, `{section}` stays a `String`; `db` and `ctx` are injected, in any
/// order.
#[resource("test://items/{id}/{section}")]
fn item(State(db): State<Db>, id: u32, ctx: Context, section: String) -> String {
    let _ = ctx;
    format!("{}{id}/{section}", db.prefix)
}

/// An async template; `#[arg(rename)]` binds a placeholder to another parameter name.
#[resource("test://users/{uid}.v2")]
async fn user(
    #[arg(rename = "uid")] user_id: String,
    ctx: Context,
) -> Structured<serde_json::Value> {
    ctx.info("reading a user").await;
    Structured(serde_json::json!({ "id": user_id }))
}

fn main() {
    assert_eq!(later.definition().uri, "test://later");
    let definition = item.definition();
    assert_eq!(definition.uri_template, "test://items/{id}/{section}");
    assert_eq!(definition.mime_type.as_deref(), Some("text/plain"));
    assert!(!item.has_completions());
    assert_eq!(ResourceTemplateHandler::definition(&user).name, "user");
    let _ = Server::new("x")
        .state(Db {
            prefix: "db:".into(),
        })
        .resource(later)
        .resource(item)
        .resource(user);
}
