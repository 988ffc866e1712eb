//! A real browser against the `cors` example: headless Chromium loads `tests/clients/cors.html`
//! from another origin (`http://localhost:PAGE_PORT`, served by this test), whose `fetch` calls
//! initialize a session on `http://127.0.0.1:PORT/mcp`, read `Mcp-Session-Id`, and call `hello`.
//! The same page against the quickstart, which has no CORS layer, must fail: CORS is what
//! makes the first case work.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::json;
use support::{chromium, command, repo, Example, Mcp, TempDir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long Chromium may take to load the page and dump its DOM.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(25);

/// A static server for `tests/clients/cors.html`, stopped on drop.
struct PageServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl PageServer {
    async fn start() -> Self {
        let page = std::fs::read(repo().join("tests/clients/cors.html"))
            .expect("read tests/clients/cors.html");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the page server");
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(answer(socket, page.clone()));
            }
        });
        Self { addr, task }
    }

    /// The page's URL on `localhost`, told where the MCP endpoint is.
    fn page_url(&self, mcp_url: &str) -> String {
        format!(
            "http://localhost:{}/cors.html?mcp={mcp_url}",
            self.addr.port()
        )
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers one HTTP/1.1 request: the page for `GET /cors.html`, else 404.
async fn answer(mut socket: TcpStream, page: Vec<u8>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("");
    let (status, content_type, body) =
        if head.starts_with("GET ") && target.starts_with("/cors.html") {
            ("200 OK", "text/html; charset=utf-8", page)
        } else {
            ("404 Not Found", "text/plain", b"not found".to_vec())
        };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = socket.write_all(header.as_bytes()).await;
    let _ = socket.write_all(&body).await;
    let _ = socket.shutdown().await;
}

/// What the page wrote into its DOM.
#[derive(Debug)]
struct Outcome {
    session: String,
    result: String,
    status: String,
}

/// The text of `<span id="ID">` in a dumped DOM.
fn span(dom: &str, id: &str) -> String {
    let open = format!("<span id=\"{id}\">");
    let start = dom
        .find(&open)
        .unwrap_or_else(|| panic!("no #{id} in the dumped DOM:\n{dom}"))
        + open.len();
    let end = dom[start..]
        .find("</span>")
        .unwrap_or_else(|| panic!("#{id} is not closed in the dumped DOM:\n{dom}"));
    dom[start..start + end].to_owned()
}

/// Loads `url` in headless Chromium with a fresh profile and returns the page's outcome.
async fn open_in_chromium(url: &str) -> Outcome {
    let profile = TempDir::new("quickmcp-chromium");
    let child = command(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-proxy-server",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Virtual time runs the page's fetches to completion before the dump.
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn chromium");
    let output = tokio::time::timeout(BROWSER_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("chromium did not dump {url} within {BROWSER_TIMEOUT:?}"))
        .expect("wait for chromium");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success() && dom.contains("</html>"),
        "chromium failed ({}) on {url}; stdout:\n{dom}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Outcome {
        session: span(&dom, "session"),
        result: span(&dom, "result"),
        status: span(&dom, "status"),
    }
}

#[tokio::test]
async fn a_page_on_another_origin_calls_hello_through_the_cors_example() {
    let example = Example::start("cors").await;
    let pages = PageServer::start().await;
    let outcome = open_in_chromium(&pages.page_url(&example.url("/mcp"))).await;
    assert_eq!(outcome.status, "done", "{outcome:?}");
    assert_eq!(outcome.result, "Hello, Browser!", "{outcome:?}");
    assert!(
        outcome.session.len() >= 16 && outcome.session.bytes().all(|b| b.is_ascii_graphic()),
        "the page read a session id: {outcome:?}"
    );

    // The id the page read is the server's: a call on that session works.
    let mut client = Mcp::new(example.url("/mcp"));
    client.session = Some(outcome.session.clone());
    let text = client.tool_text("hello", json!({"name": "again"})).await;
    assert_eq!(text, "Hello, again!");
}

#[tokio::test]
async fn without_a_cors_layer_the_page_cannot_talk_to_the_server() {
    let example = Example::start("quickstart").await;
    let pages = PageServer::start().await;
    let outcome = open_in_chromium(&pages.page_url(&example.url("/mcp"))).await;
    assert!(
        outcome.status.starts_with("failed:"),
        "the browser must refuse a cross-origin call without CORS: {outcome:?}"
    );
    assert_eq!(outcome.result, "pending", "{outcome:?}");
    assert_eq!(outcome.session, "pending", "{outcome:?}");

    // The server was up all along: the browser, not the server, refused.
    let client = Mcp::connect(example.url("/mcp")).await;
    let text = client.tool_text("hello", json!({"name": "curl"})).await;
    assert_eq!(text, "Hello, curl!");
}
