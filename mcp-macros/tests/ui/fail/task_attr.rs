use quickmcp::prelude::*;

/// Not a task support value.
#[tool(task = "always")]
fn bad_value() {}

/// Not a string.
#[tool(task = true)]
fn not_a_string() {}

/// `defer_task` without `task`.
#[tool(defer_task)]
fn deferred_without_task() {}

fn main() {}
