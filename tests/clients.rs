//! The official MCP SDK clients against the example servers: the Python SDK
//! (`tests/clients/python_client.py`) over Streamable HTTP, legacy SSE and stdio, and the
//! TypeScript SDK (`tests/clients/ts_client.mjs`, on Node 22) over Streamable HTTP and SSE.
//! Each client initializes, lists the tools, calls `hello` and `add`, and prints one JSON line.
//!
//! `every_client_of_every_era_against_one_server` runs them all, in every mode they have
//! (Python `mcp` 2.x `ClientSession` and `Client` auto / legacy / pinned to 2026-07-28, TS SDK
//! 1.x, TS SDK 2.x legacy / auto / pinned), against one `all_eras` process serving Streamable
//! HTTP and legacy SSE, and checks which wire each reached and that one tool body asking the
//! user and the model (`greet`), and one prompt asking the user (`introduce`), work on every
//! one of them.
#![allow(
    clippy::too_many_lines,
    reason = "a scenario reads top to bottom in the order of the exchange it checks"
)]

mod support;

use std::ffi::OsString;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use serde_json::Value;
use support::{cache, client_script, example_binary, node, python, Example, PROTOCOL};

/// How long one client run may take (the clients time out themselves after 30 s).
const CLIENT_TIMEOUT: Duration = Duration::from_secs(25);

/// Runs `program args...` and returns the JSON line it prints last.
async fn run_client(program: PathBuf, args: Vec<OsString>) -> Value {
    let shown = format!("{} {:?}", program.display(), args);
    let child = support::command(&program)
        .args(&args)
        .env("QUICKMCP_CACHE", cache())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {shown}: {e}"));
    let output = tokio::time::timeout(CLIENT_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{shown} did not finish within {CLIENT_TIMEOUT:?}"))
        .unwrap_or_else(|e| panic!("wait for {shown}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{shown} failed ({}); if a module is missing, run scripts/install-test-deps.sh\n\
         stdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.starts_with('{'))
        .unwrap_or_else(|| {
            panic!("{shown} printed no JSON line; stdout:\n{stdout}\nstderr:\n{stderr}")
        });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{shown} printed bad JSON ({e}): {line}"))
}

/// The client reached both tools with the right answers, named the server, and negotiated the
/// newest revision.
fn check_outcome(outcome: &Value, transport: &str, client_name: &str) {
    assert_eq!(outcome["transport"], transport, "{outcome}");
    assert_eq!(outcome["server"], "MyServer", "{outcome}");
    assert_eq!(outcome["protocol"], PROTOCOL, "{outcome}");
    let tools = outcome["tools"].as_array().cloned().unwrap_or_default();
    for wanted in ["hello", "add"] {
        assert!(tools.iter().any(|t| t == wanted), "{wanted}: {outcome}");
    }
    let hello = outcome["hello"].as_str().unwrap_or("");
    assert_eq!(hello, format!("Hello, {client_name}!"), "{outcome}");
    assert_eq!(outcome["add"], "5", "{outcome}");
}

async fn python_client(target: OsString, transport: &str) -> Value {
    let args = vec![
        client_script("python_client.py").into_os_string(),
        target,
        transport.into(),
    ];
    run_client(python(), args).await
}

async fn ts_client(url: String, transport: &str) -> Value {
    ts_client_in(url, transport, None).await
}

/// The TS client script; with a `mode` it runs SDK 2.x with that `versionNegotiation` mode.
async fn ts_client_in(url: String, transport: &str, mode: Option<&str>) -> Value {
    let mut args = vec![
        client_script("ts_client.mjs").into_os_string(),
        url.into(),
        transport.into(),
    ];
    if let Some(mode) = mode {
        let sdk2 = cache().join("ts-client-2/node_modules/@modelcontextprotocol/client");
        assert!(
            sdk2.is_dir(),
            "the TypeScript SDK 2.x is missing at {}: run scripts/install-test-deps.sh",
            sdk2.display()
        );
        args.push(mode.into());
    }
    run_client(node(), args).await
}

/// What `wire` answers on each wire of the `all_eras` example.
const SESSION_2025: &str = "session 2025-11-25";
const STATELESS_2026: &str = "stateless 2026-07-28";

/// What one client run against `all_eras` must report.
struct Expected {
    client_name: &'static str,
    /// The `serverInfo` name the client learned, if it learns one in this mode.
    server: Option<&'static str>,
    protocol: &'static str,
    wire: &'static str,
}

/// The run reached the expected wire, called every tool, and answered `greet`'s two
/// questions (elicitation, then sampling) and the `introduce` prompt's one with its callbacks:
/// on the 2025 wires as requests on the stream, on the 2026 wire as MRTR rounds.
fn check_era(outcome: &Value, expected: &Expected) {
    let server = outcome["server"].as_str();
    assert_eq!(server, expected.server, "{outcome}");
    assert_eq!(outcome["protocol"], expected.protocol, "{outcome}");
    assert_eq!(outcome["wire"], expected.wire, "{outcome}");
    let tools = outcome["tools"].as_array().cloned().unwrap_or_default();
    for wanted in ["hello", "add", "wire", "greet"] {
        assert!(tools.iter().any(|t| t == wanted), "{wanted}: {outcome}");
    }
    let hello = format!("Hello, {}!", expected.client_name);
    assert_eq!(outcome["hello"], hello.as_str(), "{outcome}");
    assert_eq!(outcome["add"], "5", "{outcome}");
    assert_eq!(outcome["greet"], "Good day (for Ada)", "{outcome}");
    assert_eq!(
        outcome["introduce"], "Introduce yourself to Ada.",
        "{outcome}"
    );
    let asked = serde_json::json!([
        "elicitation: What is your name?",
        "sampling",
        "elicitation: Who is reading?"
    ]);
    assert_eq!(outcome["asked"], asked, "{outcome}");
}

type ClientRun = Pin<Box<dyn Future<Output = Value> + Send>>;

/// Runs `runs` one after the other, checking each as it ends.
async fn run_lane(runs: Vec<(String, ClientRun, Expected)>) {
    for (label, run, expected) in runs {
        let outcome = run.await;
        eprintln!("{label}: {outcome}");
        check_era(&outcome, &expected);
    }
}

#[tokio::test]
async fn python_sdk_over_streamable_http() {
    let example = Example::start("quickstart").await;
    let outcome = python_client(example.url("/mcp").into(), "streamable").await;
    check_outcome(&outcome, "streamable", "Python");
}

#[tokio::test]
async fn python_sdk_over_legacy_sse() {
    let example = Example::start("sse").await;
    let outcome = python_client(example.url("/sse").into(), "sse").await;
    check_outcome(&outcome, "sse", "Python");
}

#[tokio::test]
async fn python_sdk_over_stdio() {
    let outcome = python_client(example_binary("stdio").into_os_string(), "stdio").await;
    check_outcome(&outcome, "stdio", "Python");
}

#[tokio::test]
async fn typescript_sdk_over_streamable_http() {
    let example = Example::start("quickstart").await;
    let outcome = ts_client(example.url("/mcp"), "streamable").await;
    check_outcome(&outcome, "streamable", "TypeScript");
}

#[tokio::test]
async fn typescript_sdk_over_legacy_sse() {
    let example = Example::start("sse").await;
    let outcome = ts_client(example.url("/sse"), "sse").await;
    check_outcome(&outcome, "sse", "TypeScript");
}

#[tokio::test]
async fn python_sdk_over_legacy_sse_mounted_under_a_prefix() {
    let example = Example::start("mount_sse").await;
    let outcome = python_client(example.url("/mcp-server/sse").into(), "sse").await;
    check_outcome(&outcome, "sse", "Python");
}

#[tokio::test]
async fn every_client_of_every_era_against_one_server() {
    let example = Example::start("all_eras").await;
    let (mcp, sse) = (example.url("/mcp"), example.url("/sse"));
    let expect = |client_name, server, protocol, wire| Expected {
        client_name,
        server,
        protocol,
        wire,
    };
    let python = |url: &String, mode: &'static str| -> ClientRun {
        Box::pin(python_client(url.into(), mode))
    };
    let ts = |url: &String, transport: &'static str, mode: Option<&'static str>| -> ClientRun {
        Box::pin(ts_client_in(url.clone(), transport, mode))
    };
    let named = Some("MyServer");
    let py = |mode: &str| format!("Python mcp 2.x {mode}");
    let python_runs = vec![
        (
            py("Client(mode=\"auto\")"),
            python(&mcp, "auto"),
            expect("Python", named, "2026-07-28", STATELESS_2026),
        ),
        (
            py("Client(mode=\"2026-07-28\")"),
            python(&mcp, "2026-07-28"),
            // A pinned client skips server/discover, so it never learns the server's name.
            expect("Python", None, "2026-07-28", STATELESS_2026),
        ),
        (
            py("Client(mode=\"legacy\")"),
            python(&mcp, "legacy"),
            expect("Python", named, PROTOCOL, SESSION_2025),
        ),
        (
            py("ClientSession, Streamable HTTP"),
            python(&mcp, "streamable"),
            expect("Python", named, PROTOCOL, SESSION_2025),
        ),
        (
            py("ClientSession, legacy SSE"),
            python(&sse, "sse"),
            expect("Python", named, PROTOCOL, SESSION_2025),
        ),
    ];
    let ts_runs = vec![
        (
            "TS SDK 1.x, Streamable HTTP".to_owned(),
            ts(&mcp, "streamable", None),
            expect("TypeScript", named, PROTOCOL, SESSION_2025),
        ),
        (
            "TS SDK 1.x, legacy SSE".to_owned(),
            ts(&sse, "sse", None),
            expect("TypeScript", named, PROTOCOL, SESSION_2025),
        ),
        (
            "TS SDK 2.x auto".to_owned(),
            ts(&mcp, "streamable", Some("auto")),
            expect("TypeScript", named, "2026-07-28", STATELESS_2026),
        ),
        (
            "TS SDK 2.x pinned to 2026-07-28".to_owned(),
            ts(&mcp, "streamable", Some("2026-07-28")),
            expect("TypeScript", named, "2026-07-28", STATELESS_2026),
        ),
        (
            "TS SDK 2.x legacy".to_owned(),
            ts(&mcp, "streamable", Some("legacy")),
            expect("TypeScript", named, PROTOCOL, SESSION_2025),
        ),
        (
            "TS SDK 2.x, legacy SSE".to_owned(),
            ts(&sse, "sse", Some("legacy")),
            expect("TypeScript", named, PROTOCOL, SESSION_2025),
        ),
    ];
    // Two lanes at once: the Python clients and the TypeScript clients share the server.
    tokio::join!(run_lane(python_runs), run_lane(ts_runs));
}
