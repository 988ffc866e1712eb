use quickmcp::prelude::*;
use quickmcp::{HeaderArgument, ToolHandler};

/// A region, sent in the header as its kebab-case name.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum Region {
    UsWest1,
    EuCentral1,
}

impl HeaderArgument for Region {}

/// Runs a query where the gateway routes it.
#[tool]
fn execute_sql(
    #[arg(header = "Region", description = "Where to run it.")] region: Region,
    #[arg(header = "Tenant-Id", rename = "tenant")] tenant_id: u64,
    #[arg(header = "Dry-Run")] dry_run: Option<bool>,
    #[arg(header = "Db")] database: Option<String>,
    query: String,
    ctx: Context,
) -> String {
    let _ = (region, tenant_id, dry_run, database, ctx);
    query
}

/// The tool's own struct of arguments can declare headers with schemars' `extend`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Lookup {
    #[schemars(extend("x-mcp-header" = "Region"))]
    region: String,
    key: String,
}

/// Looks up a key.
#[tool]
fn lookup(Args(args): Args<Lookup>) -> String {
    format!("{} {}", args.region, args.key)
}

fn main() {
    let definition = serde_json::to_value(execute_sql.definition()).unwrap();
    let properties = &definition["inputSchema"]["properties"];
    assert_eq!(properties["region"]["x-mcp-header"], "Region");
    assert_eq!(properties["region"]["description"], "Where to run it.");
    assert_eq!(properties["tenant"]["x-mcp-header"], "Tenant-Id");
    assert_eq!(properties["dry_run"]["x-mcp-header"], "Dry-Run");
    assert_eq!(properties["database"]["x-mcp-header"], "Db");
    assert!(properties["query"].get("x-mcp-header").is_none());
    let definition = serde_json::to_value(lookup.definition()).unwrap();
    assert_eq!(definition["inputSchema"]["properties"]["region"]["x-mcp-header"], "Region");
    let _ = Server::new("x").tool(execute_sql).tool(lookup);
}
