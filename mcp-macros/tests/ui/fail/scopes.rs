use quickmcp::prelude::*;

/// Not a list of strings.
#[tool(scopes = "files:read")]
fn not_a_list() {}

#[tool(scopes = [files_read])]
fn not_strings() {}

/// Empty, two scopes in one string, characters a scope token cannot hold.
#[tool(scopes = ["", "files read", "files\"", "files\\write", "fichiers:écrire"])]
fn bad_tokens() {}

/// The same scope twice.
#[tool(scopes = ["files:read", "files:write", "files:read"])]
fn twice() {}

/// Resources and prompts check the same rules.
#[resource("docs://readme", scopes = ["docs read"])]
fn readme() -> String {
    String::new()
}

/// Review.
#[prompt(scopes = ["review", "review"])]
fn review() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x")
        .tool(not_a_list)
        .tool(not_strings)
        .tool(bad_tokens)
        .tool(twice)
        .resource(readme)
        .prompt(review);
}
