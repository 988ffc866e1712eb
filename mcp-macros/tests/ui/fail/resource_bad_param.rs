use quickmcp::prelude::*;

struct Db;

// `db` is no placeholder, and `Db` cannot be injected.
#[resource("docs://readme")]
fn readme(db: Db) -> String {
    let _ = db;
    String::new()
}

struct Id;

// `{id}` is parsed with `FromStr`, which `Id` does not implement.
#[resource("docs://{id}")]
fn page(id: Id) -> String {
    let _ = id;
    String::new()
}

fn main() {}
