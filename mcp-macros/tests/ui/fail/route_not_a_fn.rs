use quickmcp::prelude::*;

#[custom_route("/health")]
struct Health;

fn main() {}
