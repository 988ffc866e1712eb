use quickmcp::prelude::*;

/// Generic over its argument.
#[tool]
fn generic<T: ToString>(value: T) -> String {
    value.to_string()
}

/// Has a lifetime.
#[tool]
fn borrowed<'a>(value: &'a str) -> String {
    value.to_owned()
}

/// A `where` clause without generics.
#[tool]
fn bounded(value: String) -> String
where
    String: Clone,
{
    value
}

/// `impl Trait` is a hidden generic.
#[tool]
fn hidden(value: impl ToString) -> String {
    value.to_string()
}

fn main() {
    let _ = Server::new("x").tool(generic).tool(borrowed).tool(bounded).tool(hidden);
}
