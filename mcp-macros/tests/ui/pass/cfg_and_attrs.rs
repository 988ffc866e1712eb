use quickmcp::prelude::*;

/// Compiled out: the #[cfg] applies to everything #[tool] generates.
#[tool]
#[cfg(any())]
fn never(name: String) -> String {
    name
}

/// Other attributes stay on the function.
#[tool]
#[allow(clippy::needless_pass_by_value)]
#[must_use]
fn kept(name: String) -> String {
    name
}

struct Service;

#[tools]
impl Service {
    /// Compiled out.
    #[cfg(any())]
    #[tool]
    fn never(&self) -> String {
        String::new()
    }

    /// Compiled in.
    #[tool]
    #[inline]
    fn always(&self) -> String {
        String::new()
    }
}

fn main() {
    let _ = kept::call(String::new());
    let _ = Server::new("x").tool(kept).tools(Service);
}
