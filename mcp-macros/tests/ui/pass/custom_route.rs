use quickmcp::prelude::*;

#[custom_route("/health")]
async fn health() -> &'static str {
    "ok"
}

/// Methods are case-insensitive.
#[custom_route("/items/{id}", methods = ["GET", "post", "Put", "DELETE", "PATCH", "HEAD", "OPTIONS"])]
async fn item(method: http::Method, Json(body): Json<serde_json::Value>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "method": method.as_str(), "body": body }))
}

#[custom_route("/files/{*rest}", methods = ["GET"])]
pub async fn files(uri: http::Uri) -> String {
    uri.to_string()
}

fn main() {
    let _ = Server::new("x").route(health).route(item).route(files).http_app();
}
