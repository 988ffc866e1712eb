use quickmcp::prelude::*;

struct Docs;

impl Docs {
    /// Methods cannot be resources.
    #[resource("docs://method")]
    fn method(&self) -> String {
        String::new()
    }
}

/// Returns `impl Trait`.
#[resource("docs://opaque")]
fn opaque() -> impl Into<String> {
    ""
}

/// Generic.
#[resource("docs://{id}")]
fn generic<T: std::str::FromStr>(id: T) -> String {
    let _ = id;
    String::new()
}

/// A `where` clause.
#[resource("docs://bounded")]
fn bounded() -> String
where
    String: Clone,
{
    String::new()
}

/// `impl Trait` in a parameter.
#[resource("docs://hidden/{id}")]
fn hidden(id: impl std::str::FromStr) -> String {
    let _ = id;
    String::new()
}

/// Unsafe.
#[resource("docs://unsafe")]
unsafe fn danger() -> String {
    String::new()
}

/// Extern.
#[resource("docs://extern")]
extern "C" fn foreign() -> String {
    String::new()
}

/// Const.
#[resource("docs://const")]
const fn constant() -> &'static str {
    ""
}

fn main() {}
