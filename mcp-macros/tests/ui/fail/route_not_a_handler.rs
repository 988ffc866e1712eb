use quickmcp::prelude::*;

struct Opaque;

#[custom_route("/health")]
async fn health() -> Opaque {
    Opaque
}

fn main() {}
