use quickmcp::prelude::*;

/// A tuple argument bound by a pattern.
#[tool]
fn pair((a, b): (String, u32)) -> String {
    format!("{a}{b}")
}

/// An unnamed argument.
#[tool]
fn ignored(_: String) -> String {
    String::new()
}

/// A struct argument destructured without Args.
#[derive(Deserialize, JsonSchema)]
struct Point {
    x: i32,
    y: i32,
}

/// Adds the coordinates.
#[tool]
fn sum(Point { x, y }: Point) -> i32 {
    x + y
}

fn main() {}
