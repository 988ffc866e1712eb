//! A running example HTTP server: started on a free port, awaited until it serves, killed on
//! drop.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::task::JoinHandle;

use super::{command, example_binary};

/// How long an example may take to print its endpoint and accept connections.
const STARTUP: Duration = Duration::from_secs(10);

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// Collects a child's output stream into a shared string, line by line.
fn collect(
    stream: impl AsyncRead + Unpin + Send + 'static,
    into: Arc<Mutex<String>>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    })
}

/// How an example learns its port.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PortFrom {
    /// `--host 127.0.0.1 --port P`.
    Flags,
    /// `HOST=127.0.0.1 PORT=P`.
    Environment,
}

/// An example HTTP server, killed on drop.
pub struct Example {
    name: String,
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// The URL of its "MCP endpoint:" line.
    pub endpoint: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Example {
    /// Starts `target/debug/examples/NAME --port P` on a free port and waits until it prints
    /// its endpoint and accepts connections.
    pub async fn start(name: &str) -> Self {
        Self::start_with(name, PortFrom::Flags).await
    }

    /// As [`Example::start`], telling the port through flags or the environment.
    pub async fn start_with(name: &str, port_from: PortFrom) -> Self {
        let mut failures = Vec::new();
        // A port picked free may be taken before the example binds it: try another.
        for _ in 0..3 {
            match Self::launch(name, free_port(), port_from).await {
                Ok(example) => return example,
                Err(failure) if failure.contains("in use") => failures.push(failure),
                Err(failure) => panic!("{failure}"),
            }
        }
        panic!("{name} never found a free port:\n{}", failures.join("\n"));
    }

    async fn launch(name: &str, port: u16, port_from: PortFrom) -> Result<Self, String> {
        let mut command = command(example_binary(name));
        command
            .env_remove("HOST")
            .env_remove("PORT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match port_from {
            PortFrom::Flags => command.args(["--host", "127.0.0.1", "--port", &port.to_string()]),
            PortFrom::Environment => command
                .env("HOST", "127.0.0.1")
                .env("PORT", port.to_string()),
        };
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("spawn example {name}: {e}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let stdout = Arc::new(Mutex::new(String::new()));
        let readers = vec![
            collect(child.stdout.take().unwrap(), stdout.clone()),
            collect(child.stderr.take().unwrap(), stderr.clone()),
        ];
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut example = Self {
            name: name.to_owned(),
            child,
            addr,
            endpoint: String::new(),
            stdout,
            stderr,
            readers,
        };
        match tokio::time::timeout(STARTUP, example.until_ready()).await {
            Ok(Ok(endpoint)) => {
                example.endpoint = endpoint;
                Ok(example)
            }
            Ok(Err(exit)) => Err(format!(
                "example {name} exited before serving ({exit}); stdout:\n{}\nstderr:\n{}",
                example.stdout(),
                example.stderr_when_done().await
            )),
            Err(_) => Err(format!(
                "example {name} did not serve on {addr} within {STARTUP:?}; stdout:\n{}\nstderr:\n{}",
                example.stdout(),
                example.stderr()
            )),
        }
    }

    /// Waits for the "MCP endpoint:" line (or `run_http`'s `serving MCP endpoint=` log), then for the port to accept connections.
    async fn until_ready(&mut self) -> Result<String, ExitStatus> {
        let prefix = format!("http://{}/", self.addr);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the example") {
                return Err(status);
            }
            let line = self
                .stdout()
                .lines()
                .find_map(|line| line.strip_prefix("MCP endpoint: ").map(str::to_owned))
                .or_else(|| logged_endpoint(&self.stderr()));
            if let Some(endpoint) = line {
                assert!(
                    endpoint.starts_with(&prefix),
                    "{} announced {endpoint}, not an URL under {prefix}",
                    self.name
                );
                if tokio::net::TcpStream::connect(self.addr).await.is_ok() {
                    return Ok(endpoint);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `http://ADDR{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// What the example printed on stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// What the example logged on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Its stderr, once the readers have seen the end of it (bounded).
    async fn stderr_when_done(&mut self) -> String {
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(Duration::from_secs(2), reader).await;
        }
        self.stderr()
    }

    /// Sends SIGTERM and waits up to `within` for the process to exit.
    pub async fn terminate(&mut self, within: Duration) -> ExitStatus {
        let pid = self.child.id().expect("the example is still running");
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill(1)");
        assert!(kill.success(), "kill -TERM {pid} failed: {kill}");
        match tokio::time::timeout(within, self.child.wait()).await {
            Ok(status) => status.expect("wait for the example"),
            Err(_) => panic!(
                "{} still runs {within:?} after SIGTERM; stderr:\n{}",
                self.name,
                self.stderr()
            ),
        }
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The URL in `Server::run_http`'s `serving MCP endpoint=URL` log line, if logged yet.
fn logged_endpoint(stderr: &str) -> Option<String> {
    strip_ansi(stderr).lines().find_map(|line| {
        let (_, rest) = line.split_once("serving MCP endpoint=")?;
        Some(rest.split_whitespace().next()?.to_owned())
    })
}

/// `text` without ANSI colour sequences (`ESC [ ... m`), which tracing's formatter may add.
fn strip_ansi(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            plain.push(c);
        }
    }
    plain
}
