//! The official MCP SDK clients against the example servers: the Python SDK
//! (`tests/clients/python_client.py`) over Streamable HTTP, legacy SSE and stdio, and the
//! TypeScript SDK (`tests/clients/ts_client.mjs`, on Node 22) over Streamable HTTP and SSE.
//! Each client initializes, lists the tools, calls `hello` and `add`, and prints one JSON line.

mod support;

use std::ffi::OsString;
use std::path::PathBuf;
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
    let args = vec![
        client_script("ts_client.mjs").into_os_string(),
        url.into(),
        transport.into(),
    ];
    run_client(node(), args).await
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
