//! The stdio transport: newline-delimited JSON-RPC on stdin/stdout. Both eras: a request
//! carrying 2026 `_meta` is served statelessly, anything else by the `initialize` session.
//! Nothing else is ever written to stdout; logs go to stderr through `tracing`.

use std::io;
use std::sync::Arc;

use bytes::Bytes;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::dispatch::SessionMode;
use crate::error::McpError;
use crate::exchange::{Inbound, MessageSink};
use crate::jsonrpc::{self, Message};
use crate::protocol::v2026::ParamsProbe;
use crate::protocol::ProtocolVersion;
use crate::server::McpServer;
use crate::session::Session;

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

fn new_local_session() -> Arc<Session> {
    Arc::new(Session::new(
        crate::session::new_session_id(),
        ProtocolVersion::LATEST,
        Default::default(),
        None,
    ))
}

impl McpServer {
    /// Serves one request of the 2026 wire (its `_meta` selects it): the client's
    /// capabilities and log level come with it, and nothing but its notifications and response
    /// is written for it.
    fn spawn_modern(
        &self,
        running: &mut JoinSet<()>,
        request: jsonrpc::Request,
        probe: ParamsProbe,
        calls: Arc<Session>,
        sink: Arc<dyn MessageSink>,
    ) {
        let meta = match probe.into_meta() {
            Ok(meta) => meta,
            Err(e) => {
                sink.send(jsonrpc::error_response(Some(&request.id), &e));
                return;
            }
        };
        let server = self.clone();
        running.spawn(async move {
            let inbound = Inbound {
                session: Some(calls),
                sink: Some(sink.clone()),
                http: None,
                modern: Some(Arc::new(meta)),
            };
            if let Some(response) = server.handle_modern_bytes(request, inbound).await {
                sink.send(response);
            }
        });
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
    /// quickmcp_core::McpServer::new("demo").serve_stdio().await
    /// # }
    /// ```
    pub async fn serve_stdio(&self) -> io::Result<()> {
        #[cfg(unix)]
        if let Some((input, output)) = stdio_pipes() {
            return self.serve_lines(input, output).await;
        }
        self.serve_lines(tokio::io::stdin(), tokio::io::stdout())
            .await
    }

    /// Serves one client over any pair of byte streams, one JSON-RPC message per line.
    pub async fn serve_lines<R, W>(&self, reader: R, writer: W) -> io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        let writing = tokio::spawn(write_lines(rx, writer));
        let sink: Arc<dyn MessageSink> = Arc::new(Lines(tx.clone()));
        let mut reader = BufReader::new(reader);
        let mut session: Option<Arc<Session>> = None;
        // The 2026 wire has no session: this one only tracks its calls, for cancellation.
        let mut modern_calls: Option<Arc<Session>> = None;
        let mut running = JoinSet::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = AsyncReadExt::take(&mut reader, MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut line)
                .await?;
            if read == 0 {
                break;
            }
            if line.len() > MAX_LINE && line.last() != Some(&b'\n') {
                skip_rest_of_line(&mut reader).await?;
                let error =
                    McpError::invalid_request(format!("message longer than {MAX_LINE} bytes"));
                sink.send(jsonrpc::error_response(None, &error));
                continue;
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            while running.try_join_next().is_some() {}
            let message = match Message::parse(&line) {
                Ok(Message::Request(request)) => {
                    let probe = ParamsProbe::read(request.params.as_deref());
                    if probe.declared() {
                        let calls = modern_calls.get_or_insert_with(new_local_session).clone();
                        self.spawn_modern(&mut running, request, probe, calls, sink.clone());
                        continue;
                    }
                    Ok(Message::Request(request))
                }
                other => other,
            };
            match message {
                Ok(Message::Request(request))
                    if &*request.method == "initialize" && session.is_none() =>
                {
                    match self.initialize(&request, SessionMode::Local) {
                        Ok(done) => {
                            session = done.session;
                            if let Some(session) = &session {
                                session.try_attach_stream(sink.clone());
                                self.sessions().track_local(session);
                            }
                            sink.send(done.response);
                        }
                        Err(refused) => {
                            sink.send(refused.response);
                        }
                    }
                }
                Ok(Message::Request(request)) => {
                    let (server, sink, session) = (self.clone(), sink.clone(), session.clone());
                    running.spawn(async move {
                        let inbound = Inbound {
                            session,
                            sink: Some(sink.clone()),
                            http: None,
                            modern: None,
                        };
                        if let Some(response) = server.handle_request(request, inbound).await {
                            sink.send(response);
                        }
                    });
                }
                Ok(Message::Notification(notification)) => {
                    self.handle_notification(&notification, session.as_deref());
                    if modern_calls.is_some() {
                        self.handle_notification(&notification, modern_calls.as_deref());
                    }
                }
                Ok(Message::Response(response)) => {
                    self.handle_response(response, session.as_deref())
                }
                Err(failure) => {
                    sink.send(jsonrpc::error_response(failure.id.as_ref(), &failure.error));
                }
            }
        }
        // The client is gone: nothing it was asked will be answered, and running calls get a
        // grace period, then are dropped.
        if let Some(session) = &session {
            self.inner.pending.close_session(session.id());
        }
        let drained = tokio::time::timeout(EOF_GRACE, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::debug!(
                calls = running.len(),
                "stdin closed: abandoning running calls"
            );
            running.abort_all();
        }
        if let Some(session) = &session {
            session.close();
        }
        drop((sink, tx));
        writing.await.map_err(io::Error::other)?
    }
}

async fn skip_rest_of_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> io::Result<()> {
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        reader.consume(n);
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
