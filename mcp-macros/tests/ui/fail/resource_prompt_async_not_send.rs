use quickmcp::prelude::*;
use std::rc::Rc;

/// Holds an `Rc` across an await.
#[resource("docs://readme")]
async fn readme() -> String {
    let rc = Rc::new(String::from("x"));
    tokio::task::yield_now().await;
    rc.to_string()
}

/// Holds an `Rc` across an await.
#[prompt]
async fn review() -> String {
    let rc = Rc::new(String::from("x"));
    tokio::task::yield_now().await;
    rc.to_string()
}

fn main() {}
