use quickmcp::prelude::*;

#[custom_route("/a", methods = ["GET", "FETCH"])]
async fn unknown() -> &'static str {
    "ok"
}

#[custom_route("/b", methods = [])]
async fn empty() -> &'static str {
    "ok"
}

#[custom_route("/c", methods = "GET")]
async fn not_a_list() -> &'static str {
    "ok"
}

#[custom_route("/d", verb = "GET", methods = ["GET"], methods = ["POST"])]
async fn keys() -> &'static str {
    "ok"
}

#[custom_route("/e" methods = ["GET"])]
async fn syntax() -> &'static str {
    "ok"
}

fn main() {}
