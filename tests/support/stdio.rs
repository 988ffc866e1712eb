//! The stdio example as a client launches it: newline-delimited JSON-RPC on its stdin and
//! stdout, logs on stderr.

use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout};

use super::{command, example_binary, STEP};

/// The stdio example, its stdout read line by line and its stderr collected.
pub struct StdioExample {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: Arc<Mutex<String>>,
    /// Every line read from stdout.
    pub lines: Vec<String>,
}

impl StdioExample {
    /// Starts `target/debug/examples/stdio` with `RUST_LOG=trace`, so that it logs a lot: the
    /// logs must all go to stderr.
    pub fn start() -> Self {
        let mut child = command(example_binary("stdio"))
            .env("RUST_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the stdio example");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let collected = stderr.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf).await {
                collected
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Self {
            child,
            stdin,
            stdout,
            stderr,
            lines: Vec::new(),
        }
    }

    /// Writes one message and a newline.
    pub async fn write(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        let mut line = message.to_string();
        line.push('\n');
        stdin.write_all(line.as_bytes()).await.expect("write stdin");
        stdin.flush().await.expect("flush stdin");
    }

    /// The next stdout line, which must be a JSON-RPC message; `None` at the end of stdout.
    pub async fn read(&mut self) -> Option<Value> {
        let line = tokio::time::timeout(STEP, self.stdout.next_line())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no stdout line within {STEP:?}; so far: {:?}; stderr:\n{}",
                    self.lines,
                    self.stderr()
                )
            })
            .expect("read stdout")?;
        self.lines.push(line.clone());
        let message: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout carries a non-JSON line ({e}): {line:?}"));
        assert_eq!(message["jsonrpc"], "2.0", "not JSON-RPC: {line}");
        Some(message)
    }

    /// Sends a request and reads its answer, which must be the next line.
    pub async fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        let answer = self
            .read()
            .await
            .unwrap_or_else(|| panic!("stdout ended before answering {method}"));
        assert_eq!(answer["id"], id, "{method}: {answer}");
        answer
    }

    /// Closes stdin, checks nothing more comes on stdout, and waits (bounded) for the exit.
    pub async fn close(&mut self) -> ExitStatus {
        drop(self.stdin.take());
        let rest = self.read().await;
        assert!(rest.is_none(), "stdout after stdin closed: {rest:?}");
        tokio::time::timeout(STEP, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the stdio example still runs {STEP:?} after stdin closed"))
            .expect("wait for the stdio example")
    }

    /// What it logged on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}
