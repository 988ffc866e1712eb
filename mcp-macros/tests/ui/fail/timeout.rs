use quickmcp::prelude::*;

/// Not a string.
#[tool(timeout = 30)]
fn bare_number() {}

/// No unit, a fraction, a space, an unknown unit, two units.
#[tool(timeout = "30")]
fn no_unit() {}

#[tool(timeout = "1.5s")]
fn fraction() {}

#[tool(timeout = "30 s")]
fn space() {}

#[tool(timeout = "1d")]
fn days() {}

#[tool(timeout = "1h30m")]
fn two_units() {}

/// Zero, and more than a `u64` of milliseconds.
#[tool(timeout = "0ms")]
fn zero() {}

#[tool(timeout = "9999999999999h")]
fn too_long() {}

/// Resources and prompts take the same forms.
#[resource("docs://readme", timeout = "soon")]
fn readme() -> String {
    String::new()
}

/// Review.
#[prompt(timeout = "0s")]
fn review() -> String {
    String::new()
}

fn main() {
    let _ = Server::new("x")
        .tool(bare_number)
        .tool(no_unit)
        .tool(fraction)
        .tool(space)
        .tool(days)
        .tool(two_units)
        .tool(zero)
        .tool(too_long)
        .resource(readme)
        .prompt(review)
        .tool(flag)
        .tool(list);
}

/// A flag or a list is not a duration either.
#[tool(timeout)]
fn flag() {}

#[tool(timeout("30s"))]
fn list() {}
