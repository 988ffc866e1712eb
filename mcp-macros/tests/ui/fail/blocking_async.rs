use quickmcp::prelude::*;

/// Already async.
#[tool(blocking)]
async fn fetch(url: String) -> String {
    url
}

/// Also with `= true`.
#[tool(read_only, blocking = true)]
async fn fetch_again(url: String) -> String {
    url
}

struct Client;

#[tools]
impl Client {
    /// A method, too.
    #[tool(blocking)]
    async fn get(&self, url: String) -> String {
        url
    }
}

fn main() {
    let _ = Server::new("x").tool(fetch).tool(fetch_again).tools(Client);
}
