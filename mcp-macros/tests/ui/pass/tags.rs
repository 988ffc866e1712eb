//! `tags = [...]` on every macro: server-side labels, kept off the wire.
use quickmcp::prelude::*;
use quickmcp::{PromptHandler, ResourceHandler, ResourceTemplateHandler, ToolBox, ToolHandler};
use std::sync::Arc;

/// Drop a table.
#[tool(tags = ["admin", "beta"], destructive)]
fn drop_table(name: String) -> String {
    name
}

/// No tags.
#[tool(tags = [])]
fn plain() -> &'static str {
    "plain"
}

/// Audit log.
#[resource("logs://audit", tags = ["admin"])]
fn audit() -> String {
    "log".into()
}

/// One user's log.
#[resource("logs://users/{id}", tags = ["admin"], mime_type = "text/plain")]
fn user_log(id: u32) -> String {
    id.to_string()
}

/// Review code.
#[prompt(tags = ["beta"])]
fn review(code: String) -> String {
    code
}

struct Admin;

#[tools]
impl Admin {
    /// Grant a role.
    #[tool(tags = ["admin"])]
    fn grant(&self, role: String) -> String {
        role
    }
}

fn main() {
    assert_eq!(drop_table.definition().tags, ["admin", "beta"]);
    assert!(plain.definition().tags.is_empty());
    assert_eq!(audit.definition().tags, ["admin"]);
    assert_eq!(user_log.definition().tags, ["admin"]);
    assert_eq!(review.definition().tags, ["beta"]);
    let grant = &Arc::new(Admin).tools()[0];
    assert_eq!(grant.definition().tags, ["admin"]);
    let listed = serde_json::to_string(&drop_table.definition()).unwrap();
    assert!(!listed.contains("admin"), "{listed}");
    let _ = Server::new("x")
        .tool(drop_table)
        .tool(plain)
        .resource(audit)
        .resource(user_log)
        .prompt(review)
        .tools(Admin)
        .exclude_tags(["admin"]);
}
