use quickmcp::prelude::*;

#[custom_route("/sync")]
fn not_async() -> &'static str {
    "ok"
}

#[custom_route("/generic")]
async fn generic<T>() -> &'static str {
    "ok"
}

#[custom_route("/unsafe")]
async unsafe fn danger() -> &'static str {
    "ok"
}

#[custom_route("/extern")]
async extern "C" fn foreign() -> &'static str {
    "ok"
}

#[custom_route("/where")]
async fn bounded() -> &'static str
where
    String: Clone,
{
    "ok"
}

#[custom_route("/impl")]
async fn hidden(body: impl Into<String>) -> String {
    body.into()
}

struct Service;

impl Service {
    #[custom_route("/method")]
    async fn method(&self) -> &'static str {
        "ok"
    }
}

fn main() {
    let _ = Server::new("x").route(not_async).route(generic);
}
