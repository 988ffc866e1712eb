use quickmcp::prelude::*;
use std::rc::Rc;

/// Holds an `Rc` across an await.
#[tool]
async fn not_send() -> String {
    let rc = Rc::new(String::from("x"));
    tokio::task::yield_now().await;
    rc.to_string()
}

fn main() {}
