use quickmcp::prelude::*;

// `annotations` is a list.
#[resource("docs://a", annotations = "user")]
fn not_a_list() -> String {
    String::new()
}

// Every problem inside annotations(...), in source order.
#[resource(
    "docs://b",
    annotations(
        audiences = ["user"],
        audience = "user",
        audience = ["robot"],
        priority = 2,
    )
)]
fn bad_keys() -> String {
    String::new()
}

#[resource("docs://c", annotations(audience = ["user", "robot"], priority = "high"))]
fn bad_values() -> String {
    String::new()
}

#[resource("docs://d", annotations(priority = -1.0))]
fn negative() -> String {
    String::new()
}

#[resource("docs://e", annotations(audience = ))]
fn syntax() -> String {
    String::new()
}

fn main() {}
