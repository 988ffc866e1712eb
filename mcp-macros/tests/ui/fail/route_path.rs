use quickmcp::prelude::*;

#[custom_route("health")]
async fn no_slash() -> &'static str {
    "ok"
}

#[custom_route("/users/:id")]
async fn colon() -> &'static str {
    "ok"
}

#[custom_route("/files/*rest")]
async fn star() -> &'static str {
    "ok"
}

#[custom_route(42)]
async fn number() -> &'static str {
    "ok"
}

#[custom_route(methods = ["GET"])]
async fn missing() -> &'static str {
    "ok"
}

fn main() {
    let _ = Server::new("x").route(no_slash).route(colon).route(star).route(number).route(missing);
}
