//! The stdio transport: newline-delimited JSON-RPC on stdin/stdout, through [`McpService`]
//! like every transport. Both eras on one pipe: a request carrying 2026 `_meta` is served
//! statelessly, anything else by the session `initialize` opens on the connection. Nothing
//! else is ever written to stdout; logs go to stderr through `tracing`.
//!
//! One task reads, and polls the calls still running beside its reading (no task per
//! request), so answers to the server's own requests, cancellations and the next requests
//! are read while calls run. A sync tool runs inside the read loop, as every sync tool runs
//! inside its call: one that blocks should be `#[tool(blocking)]`.

use std::io;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use crate::error::McpError;
use crate::jsonrpc;
use crate::service::{answer_message, Inbound, McpService, Outgoing, Reply, Running};
use crate::session::{Connection, SessionRef};
use crate::sink::MessageSink;

/// This process's stdin and stdout as non-blocking pipe ends, when both are pipes. Each is a
/// duplicate of the descriptor; making it non-blocking affects the pipe's other users in this
/// process too, and nothing else here reads stdin or writes stdout.
#[cfg(unix)]
fn stdio_pipes() -> Option<(
    tokio::net::unix::pipe::Receiver,
    tokio::net::unix::pipe::Sender,
)> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;

    let duplicate = |fd: std::os::fd::BorrowedFd<'_>| -> Option<std::os::fd::OwnedFd> {
        let fd = fd.try_clone_to_owned().ok()?;
        let file = std::fs::File::from(fd);
        let is_pipe = file.metadata().ok()?.file_type().is_fifo();
        is_pipe.then(|| file.into())
    };
    let input = duplicate(io::stdin().as_fd())?;
    let output = duplicate(io::stdout().as_fd())?;
    let input = tokio::net::unix::pipe::Receiver::from_owned_fd(input).ok()?;
    let output = tokio::net::unix::pipe::Sender::from_owned_fd(output).ok()?;
    Some((input, output))
}

/// The longest line accepted (16 MiB); a longer one is answered with an error and skipped.
pub const MAX_LINE: usize = 16 << 20;

/// The write buffer of the output: what is ready is flushed at once, larger messages go
/// straight through.
const WRITE_BUFFER: usize = 64 << 10;

/// How long calls still running when stdin closes may take to finish.
pub const EOF_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

struct Lines(mpsc::UnboundedSender<Bytes>);

impl MessageSink for Lines {
    fn send(&self, message: Bytes) -> bool {
        self.0.send(message).is_ok()
    }
}

/// Serves one client on this process's stdin and stdout until stdin closes.
///
/// When both are pipes (as when a client spawns the server), they are read and written
/// through the runtime's reactor in non-blocking mode; otherwise (a terminal, a file, a
/// socket) through tokio's blocking-thread stdin and stdout, which cost a thread hand-off
/// per read and write.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let server = quickmcp_core::McpServer::new("demo");
/// quickmcp_core::serve_stdio(&server.service()).await
/// # }
/// ```
pub async fn serve_stdio(service: &McpService) -> io::Result<()> {
    #[cfg(unix)]
    if let Some((input, output)) = stdio_pipes() {
        return serve_lines(service, input, output).await;
    }
    serve_lines(service, tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serves one client over any pair of byte streams, one JSON-RPC message per line.
pub async fn serve_lines<R, W>(service: &McpService, reader: R, writer: W) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let writing = tokio::spawn(write_lines(rx, writer));
    let sink: Arc<dyn MessageSink> = Arc::new(Lines(tx));
    let connection = Connection::new(sink.clone());
    let mut reader = LineReader::new(reader);
    let mut running: FuturesUnordered<Running> = FuturesUnordered::new();
    let read = loop {
        tokio::select! {
            biased;
            Some(reply) = running.next(), if !running.is_empty() => write_reply(&*sink, reply),
            line = reader.next() => match line {
                Ok(Some(Line::Message(line))) => {
                    let inbound = Inbound {
                        session: SessionRef::Connection(connection.clone()),
                        sink: Some(sink.clone()),
                        http: None,
                    };
                    match service.handle(line, inbound) {
                        Outgoing::Ready(reply) => write_reply(&*sink, reply),
                        Outgoing::Running(call) => running.push(call),
                        Outgoing::Accepted => {}
                    }
                }
                Ok(Some(Line::TooLong)) => {
                    let error =
                        McpError::invalid_request(format!("message longer than {MAX_LINE} bytes"));
                    sink.send(jsonrpc::error_response(None, &error));
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            },
        }
    };
    // The client is gone: nothing it was asked will be answered, and running calls get a
    // grace period, then are dropped.
    service.client_gone(&connection);
    let drained = tokio::time::timeout(EOF_GRACE, async {
        while let Some(reply) = running.next().await {
            write_reply(&*sink, reply);
        }
    })
    .await;
    if drained.is_err() {
        tracing::debug!(
            calls = running.len(),
            "stdin closed: abandoning running calls"
        );
    }
    drop(running);
    connection.close();
    drop((sink, connection));
    writing.await.map_err(io::Error::other)??;
    read
}

/// Writes a request's answer.
fn write_reply(sink: &dyn MessageSink, reply: Reply) {
    if let Some(message) = answer_message(reply) {
        sink.send(message);
    }
}

/// What one read gives: a message's line, or a line over [`MAX_LINE`] (skipped).
enum Line<'a> {
    Message(&'a [u8]),
    TooLong,
}

/// Reads lines without losing any on cancellation: the only await is `fill_buf`, and what it
/// gave is consumed before the next one, so a read dropped mid-line resumes where it was.
struct LineReader<R> {
    reader: BufReader<R>,
    line: Vec<u8>,
    /// The current line is over the limit: skip to its end.
    skipping: bool,
    /// The last line returned, to clear before reading on.
    returned: bool,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    fn new(reader: R) -> Self {
        Self {
            reader: BufReader::new(reader),
            line: Vec::new(),
            skipping: false,
            returned: false,
        }
    }

    /// The next non-blank line; `None` at the end of the stream.
    async fn next(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            if std::mem::take(&mut self.returned) {
                self.line.clear();
            }
            let buf = self.reader.fill_buf().await?;
            if buf.is_empty() {
                // A last line without its newline still counts.
                if self.line.is_empty() || self.skipping {
                    return Ok(None);
                }
                self.returned = true;
                return Ok(Some(Line::Message(&self.line)));
            }
            let (chunk, end) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            if !self.skipping {
                self.line.extend_from_slice(chunk);
                if self.line.len() > MAX_LINE {
                    self.line.clear();
                    self.skipping = true;
                }
            }
            let consumed = end.unwrap_or(buf.len());
            self.reader.consume(consumed);
            if end.is_none() {
                continue;
            }
            if std::mem::take(&mut self.skipping) {
                self.returned = true;
                return Ok(Some(Line::TooLong));
            }
            self.returned = true;
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(Line::Message(&self.line)));
        }
    }
}

async fn write_lines<W: AsyncWrite + Unpin>(
    mut rx: mpsc::UnboundedReceiver<Bytes>,
    writer: W,
) -> io::Result<()> {
    // Messages and their newlines gather here and go out in one write per batch (stdout
    // writes are system calls, run on tokio's blocking pool).
    let mut writer = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, writer);
    while let Some(message) = rx.recv().await {
        writer.write_all(&one_line(message)).await?;
        writer.write_all(b"\n").await?;
        while let Ok(message) = rx.try_recv() {
            writer.write_all(&one_line(message)).await?;
            writer.write_all(b"\n").await?;
        }
        writer.flush().await?;
    }
    Ok(())
}

/// `message` on one line. Serialized JSON is, but JSON text kept as written (a `RawValue`) may
/// hold line breaks; outside strings (inside, they are escaped) those are whitespace, so
/// spaces mean the same.
fn one_line(message: Bytes) -> Bytes {
    if !message.iter().any(|&b| b == b'\n' || b == b'\r') {
        return message;
    }
    let spaced: Vec<u8> = message
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b })
        .collect();
    Bytes::from(spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_message_is_written_on_one_line() {
        let (tx, rx) = mpsc::unbounded_channel();
        tx.send(Bytes::from_static(
            b"{\n  \"a\": \"x\\ny\",\r\n  \"b\": 1\n}",
        ))
        .unwrap();
        tx.send(Bytes::from_static(b"{}")).unwrap();
        drop(tx);
        let mut out = Vec::new();
        write_lines(rx, &mut out).await.unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out:?}");
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first, serde_json::json!({"a": "x\ny", "b": 1}));
        assert_eq!(lines[1], "{}");
    }
}
