// The spec makes `description` optional: a tool, prompt or resource without a doc comment
// compiles, and is listed without a `description` key.
use quickmcp::prelude::*;
use quickmcp::{PromptHandler, ResourceHandler, ToolHandler};

#[tool]
fn undocumented(name: String) -> String {
    name
}

///
#[tool]
fn empty_doc(name: String) -> String {
    name
}

/// A blank `description` keeps the doc comment out of the listing.
#[tool(description = "  ")]
fn blank_description(name: String) -> String {
    name
}

struct Calculator;

#[tools]
impl Calculator {
    #[tool]
    fn add(&self, a: i64, b: i64) -> i64 {
        a + b
    }
}

#[prompt]
fn bare_prompt() -> String {
    String::new()
}

// Renamed, undocumented.
#[prompt(name = "renamed")]
fn renamed_undocumented() -> String {
    String::new()
}

/// A blank `description` counts as none.
#[prompt(description = "  ")]
fn blank_prompt() -> String {
    String::new()
}

#[resource("docs://bare")]
fn bare_resource() -> String {
    String::new()
}

fn main() {
    for tool in [&undocumented as &dyn ToolHandler, &empty_doc, &blank_description] {
        let definition = tool.definition();
        assert_eq!(definition.description, None);
        let json = serde_json::to_value(&definition).unwrap();
        assert!(json.get("description").is_none(), "{json}");
    }
    for prompt in [&bare_prompt as &dyn PromptHandler, &renamed_undocumented, &blank_prompt] {
        let json = serde_json::to_value(prompt.definition()).unwrap();
        assert!(json.get("description").is_none(), "{json}");
    }
    assert_eq!(bare_resource.definition().description, None);
    let _ = Server::new("x")
        .tool(undocumented)
        .tool(empty_doc)
        .tool(blank_description)
        .tools(Calculator)
        .prompt(bare_prompt)
        .prompt(renamed_undocumented)
        .prompt(blank_prompt)
        .resource(bare_resource);
}
