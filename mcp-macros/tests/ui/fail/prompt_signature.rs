use quickmcp::prelude::*;

struct Prompts;

impl Prompts {
    /// Methods cannot be prompts.
    #[prompt]
    fn method(&self) -> String {
        String::new()
    }
}

/// Returns `impl Trait`.
#[prompt]
fn opaque() -> impl Into<String> {
    ""
}

/// Generic.
#[prompt]
fn generic<T: std::str::FromStr>(code: T) -> String {
    let _ = code;
    String::new()
}

/// A `where` clause.
#[prompt]
fn bounded() -> String
where
    String: Clone,
{
    String::new()
}

/// `impl Trait` in a parameter.
#[prompt]
fn hidden(code: impl std::str::FromStr) -> String {
    let _ = code;
    String::new()
}

/// Unsafe.
#[prompt]
unsafe fn danger() -> String {
    String::new()
}

/// Extern.
#[prompt]
extern "C" fn foreign() -> String {
    String::new()
}

/// Const.
#[prompt]
const fn constant() -> &'static str {
    ""
}

fn main() {}
