//! Load for the workloads the shared kit lacks. Prints one JSON object on stdout.
//!
//! ```text
//! extra-load report   --url URL [-c CONNS] [-d SECS] [--warmup SECS] [--pid PID]
//! extra-load sessions --url URL --pid PID [--sessions N] [-c CONNS] [--settle SECS] [--traffic SECS]
//! extra-load stdio [-d SECS] [--warmup SECS] -- COMMAND [ARGS...]
//! ```
//!
//! `report`: each of CONNS connections opens a session (initialize, initialized) and loops
//! `tools/call report` with one request in flight; every response (JSON or the `data:` line of
//! an SSE stream) must carry the request's id and the 79-row report, else it counts as an error.
//! `sessions`: reads the server's idle RSS, opens N sessions, reads RSS, DELETEs every one,
//! waits `--settle` seconds and reads RSS again; then serves `--traffic` seconds of
//! `tools/call add` on one new session (ordinary work, which lets allocators that free lazily
//! collect) and reads RSS after another settle: how much memory a session holds, and whether it
//! comes back.
//! `stdio`: starts COMMAND (an MCP server on stdio), initializes it through real OS pipes and
//! loops `tools/call add` with one request in flight; every answer line must carry the sum.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{header, Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"extra-load","version":"0"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

struct Opts {
    command: Vec<String>,
    addr: SocketAddr,
    authority: String,
    path: String,
    conns: usize,
    duration: f64,
    warmup: f64,
    pid: Option<u32>,
    sessions: usize,
    settle: f64,
    traffic: f64,
}

fn parse() -> Result<(String, Opts), String> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().ok_or("missing mode: report or sessions")?;
    let (mut url, mut conns, mut duration, mut warmup) = (None, 16, 10.0, 1.0);
    let (mut pid, mut sessions, mut settle, mut traffic) = (None, 10_000, 2.0, 2.0);
    let mut command = Vec::new();
    while let Some(flag) = args.next() {
        if flag == "--" {
            command.extend(args.by_ref());
            break;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--url" => url = Some(value),
            "-c" => conns = value.parse().map_err(|e| bad(&e))?,
            "-d" => duration = value.parse().map_err(|e| bad(&e))?,
            "--warmup" => warmup = value.parse().map_err(|e| bad(&e))?,
            "--pid" => pid = Some(value.parse().map_err(|e| bad(&e))?),
            "--sessions" => sessions = value.parse().map_err(|e| bad(&e))?,
            "--settle" => settle = value.parse().map_err(|e| bad(&e))?,
            "--traffic" => traffic = value.parse().map_err(|e| bad(&e))?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if mode == "stdio" {
        if command.is_empty() {
            return Err("stdio needs `-- COMMAND`".into());
        }
        url.get_or_insert_with(|| "http://127.0.0.1:0/".into());
    }
    let url = url.ok_or("--url is required")?;
    let rest = url.strip_prefix("http://").ok_or("only http:// URLs")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let addr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .map_err(|e| format!("{authority}: {e}"))?
        .next()
        .ok_or(format!("{authority}: no address"))?;
    let path = if path.is_empty() { "/" } else { path }.to_owned();
    Ok((
        mode,
        Opts {
            command,
            addr,
            authority: authority.to_owned(),
            path,
            conns,
            duration,
            warmup,
            pid,
            sessions,
            settle,
            traffic,
        },
    ))
}

struct Conn {
    sender: SendRequest<Full<Bytes>>,
}

struct Reply {
    status: u16,
    session: Option<String>,
    sse: bool,
    body: Bytes,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Self, String> {
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = http1::handshake(TokioIo::new(tcp))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        Ok(Self { sender })
    }

    async fn send(
        &mut self,
        opts: &Opts,
        method: Method,
        session: Option<&str>,
        body: &'static str,
    ) -> Result<Reply, String> {
        self.send_bytes(opts, method, session, Bytes::from_static(body.as_bytes()))
            .await
    }

    async fn send_bytes(
        &mut self,
        opts: &Opts,
        method: Method,
        session: Option<&str>,
        body: Bytes,
    ) -> Result<Reply, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(&opts.path)
            .header(header::HOST, &opts.authority)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25");
        if let Some(session) = session {
            request = request.header("mcp-session-id", session);
        }
        let request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let session = header_text("mcp-session-id");
        let sse = header_text("content-type").is_some_and(|t| t.starts_with("text/event-stream"));
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Reply {
            status,
            session,
            sse,
            body,
        })
    }
}

/// The JSON-RPC message in a reply: the body itself, or the last `data:` event of an SSE stream.
fn message(reply: &Reply) -> Result<Value, String> {
    if !reply.sse {
        return serde_json::from_slice(&reply.body).map_err(|e| format!("body: {e}"));
    }
    let text = std::str::from_utf8(&reply.body).map_err(|e| e.to_string())?;
    let mut last = None;
    for event in text.split("\n\n") {
        let data: Vec<&str> = event
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim_start)
            .collect();
        if !data.is_empty() && !data.iter().all(|d| d.is_empty()) {
            last = Some(data.join("\n"));
        }
    }
    serde_json::from_str(&last.ok_or("no data event")?).map_err(|e| format!("event: {e}"))
}

fn check_report(reply: &Reply, id: u64) -> Result<(), String> {
    if reply.status != 200 {
        return Err(format!("HTTP {}", reply.status));
    }
    let message = message(reply)?;
    if message["id"] != json!(id) {
        return Err(format!("id {} for request {id}", message["id"]));
    }
    let report = &message["result"]["structuredContent"];
    let rows = report["rows"].as_array().map_or(0, Vec::len);
    if report["title"] != "bench report" || rows != 79 || report["rows"][78]["tags"][2] != "group-6"
    {
        return Err(format!("wrong report: {rows} rows"));
    }
    Ok(())
}

async fn open_session(conn: &mut Conn, opts: &Opts) -> Result<String, String> {
    let reply = conn.send(opts, Method::POST, None, INITIALIZE).await?;
    let session = reply.session.ok_or(format!(
        "initialize: HTTP {} without Mcp-Session-Id",
        reply.status
    ))?;
    let ack = conn
        .send(opts, Method::POST, Some(&session), INITIALIZED)
        .await?;
    if ack.status != 202 {
        return Err(format!("initialized: HTTP {}", ack.status));
    }
    Ok(session)
}

#[derive(Default)]
struct Tally {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    micros: Vec<u32>,
}

async fn report_worker(opts: &'static Opts, worker: u64, start: Instant, end: Instant) -> Tally {
    let mut tally = Tally::default();
    let setup = async {
        let mut conn = Conn::open(opts.addr).await?;
        let session = open_session(&mut conn, opts).await?;
        Ok::<_, String>((conn, session))
    };
    let (mut conn, session) = match setup.await {
        Ok(ready) => ready,
        Err(e) => {
            tally.errors += 1;
            tally.first_error = Some(e);
            return tally;
        }
    };
    let mut id = worker << 32;
    loop {
        id += 1;
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"report","arguments":{{}}}}}}"#
        );
        let t0 = Instant::now();
        if t0 >= end {
            break;
        }
        let outcome = match conn
            .send_bytes(opts, Method::POST, Some(&session), body.into())
            .await
        {
            Ok(reply) => check_report(&reply, id),
            Err(e) => Err(e),
        };
        let t1 = Instant::now();
        if t0 < start || t1 > end {
            continue;
        }
        match outcome {
            Ok(()) => {
                tally.ok += 1;
                tally
                    .micros
                    .push(u32::try_from((t1 - t0).as_micros()).unwrap_or(u32::MAX));
            }
            Err(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(e);
            }
        }
    }
    tally
}

fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / per_second)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

async fn report(opts: &'static Opts) -> Value {
    let start = Instant::now() + Duration::from_secs_f64(opts.warmup);
    let end = start + Duration::from_secs_f64(opts.duration);
    let workers: Vec<_> = (0..opts.conns as u64)
        .map(|w| tokio::spawn(report_worker(opts, w, start, end)))
        .collect();
    tokio::time::sleep_until(start.into()).await;
    let cpu0 = opts.pid.and_then(cpu_seconds);
    tokio::time::sleep_until(end.into()).await;
    let cpu1 = opts.pid.and_then(cpu_seconds);
    let mut total = Tally::default();
    for worker in workers {
        let tally = worker.await.unwrap_or_default();
        total.ok += tally.ok;
        total.errors += tally.errors;
        total.first_error = total.first_error.or(tally.first_error);
        total.micros.extend(tally.micros);
    }
    total.micros.sort_unstable();
    let rps = total.ok as f64 / opts.duration;
    let server_cpu = cpu0.zip(cpu1).map(|(a, b)| b - a);
    json!({
        "workload": "report",
        "connections": opts.conns,
        "ok": total.ok,
        "errors": total.errors,
        "first_error": total.first_error,
        "rps": (rps * 10.0).round() / 10.0,
        "per_server_cpu_s": server_cpu.filter(|s| *s > 0.0).map(|s| (total.ok as f64 / s).round()),
        "server_cpu_util": server_cpu.map(|s| (s / opts.duration * 100.0).round() / 100.0),
        "p50_ms": percentile(&total.micros, 0.50),
        "p99_ms": percentile(&total.micros, 0.99),
    })
}

async fn sessions(opts: &'static Opts) -> Result<Value, String> {
    let pid = opts.pid.ok_or("sessions needs --pid")?;
    let idle = rss_kib(pid).ok_or("no RSS for --pid")?;
    let per_conn = opts.sessions.div_ceil(opts.conns);
    let opened = futures_join(opts, per_conn, |mut conn, n| async move {
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            ids.push(open_session(&mut conn, opts).await?);
        }
        Ok::<_, String>((conn, ids))
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let open = rss_kib(pid).ok_or("server gone")?;
    let mut deletes = Vec::new();
    for (mut conn, ids) in opened {
        deletes.push(tokio::spawn(async move {
            for id in ids {
                let reply = conn.send(opts, Method::DELETE, Some(&id), "").await?;
                if reply.status != 200 && reply.status != 204 {
                    return Err(format!("DELETE: HTTP {}", reply.status));
                }
            }
            Ok::<_, String>(())
        }));
    }
    for delete in deletes {
        delete.await.map_err(|e| e.to_string())??;
    }
    tokio::time::sleep(Duration::from_secs_f64(opts.settle)).await;
    let deleted = rss_kib(pid).ok_or("server gone")?;
    let calls = traffic(opts).await?;
    tokio::time::sleep(Duration::from_secs_f64(opts.settle)).await;
    let after_traffic = rss_kib(pid).ok_or("server gone")?;
    let over_idle = |rss: u64| ((rss as f64 / idle as f64 - 1.0) * 1000.0).round() / 10.0;
    let count = (per_conn * opts.conns) as f64;
    Ok(json!({
        "workload": "sessions",
        "sessions": per_conn * opts.conns,
        "idle_rss_kib": idle,
        "open_rss_kib": open,
        "kib_per_session": ((open.saturating_sub(idle)) as f64 / count * 100.0).round() / 100.0,
        "deleted_rss_kib": deleted,
        "deleted_over_idle_pct": over_idle(deleted),
        "traffic_calls": calls,
        "after_traffic_rss_kib": after_traffic,
        "after_traffic_over_idle_pct": over_idle(after_traffic),
    }))
}

/// `--traffic` seconds of `tools/call add` on one new session, which is then deleted; the
/// number of calls.
async fn traffic(opts: &'static Opts) -> Result<u64, String> {
    let mut conn = Conn::open(opts.addr).await?;
    let session = open_session(&mut conn, opts).await?;
    let end = Instant::now() + Duration::from_secs_f64(opts.traffic);
    let mut calls = 0;
    while Instant::now() < end {
        calls += 1;
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":{calls},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{calls},"b":1}}}}}}"#
        );
        let reply = conn
            .send_bytes(opts, Method::POST, Some(&session), body.into())
            .await?;
        let message = message(&reply)?;
        if message["result"]["structuredContent"]["result"] != json!(calls + 1) {
            return Err(format!("add: unexpected reply {message}"));
        }
    }
    conn.send(opts, Method::DELETE, Some(&session), "").await?;
    Ok(calls)
}

async fn next_line<R: tokio::io::AsyncBufRead + Unpin>(
    lines: &mut tokio::io::Lines<R>,
) -> Result<String, String> {
    lines
        .next_line()
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the server closed stdout".to_owned())
}

async fn stdio(opts: &'static Opts) -> Result<Value, String> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let mut child = tokio::process::Command::new(&opts.command[0])
        .args(&opts.command[1..])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("{}: {e}", opts.command[0]))?;
    let pid = child.id();
    let mut input = child.stdin.take().ok_or("no stdin")?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let write = |line: String| {
        let mut line = line.into_bytes();
        line.push(b'\n');
        line
    };
    input
        .write_all(&write(INITIALIZE.into()))
        .await
        .map_err(|e| e.to_string())?;
    next_line(&mut lines).await?;
    input
        .write_all(&write(INITIALIZED.into()))
        .await
        .map_err(|e| e.to_string())?;
    let start = Instant::now() + Duration::from_secs_f64(opts.warmup);
    let end = start + Duration::from_secs_f64(opts.duration);
    let (mut id, mut ok, mut cpu0) = (0u64, 0u64, None);
    loop {
        let now = Instant::now();
        if now >= end {
            break;
        }
        if now >= start && cpu0.is_none() {
            cpu0 = pid.and_then(cpu_seconds);
            ok = 0;
        }
        id += 1;
        let call = format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{id},"b":1}}}}}}"#
        );
        input
            .write_all(&write(call))
            .await
            .map_err(|e| e.to_string())?;
        let line = next_line(&mut lines).await?;
        let answer: Value = serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
        let sum = answer["result"]["structuredContent"]["result"]
            .as_u64()
            .or_else(|| {
                answer["result"]["content"][0]["text"]
                    .as_str()?
                    .parse()
                    .ok()
            });
        if answer["id"] != json!(id) || sum != Some(id + 1) {
            return Err(format!("wrong answer to call {id}: {line}"));
        }
        ok += 1;
    }
    let server_cpu = cpu0.zip(pid.and_then(cpu_seconds)).map(|(a, b)| b - a);
    drop(input);
    let _ = child.wait().await;
    Ok(json!({
        "workload": "stdio",
        "calls": ok,
        "round_trips_per_s": (ok as f64 / opts.duration).round(),
        "per_server_cpu_s": server_cpu.filter(|s| *s > 0.0).map(|s| (ok as f64 / s).round()),
    }))
}

/// Runs `work` on `opts.conns` fresh connections at once, each with `per_conn` as its count.
async fn futures_join<F, Fut, T>(
    opts: &'static Opts,
    per_conn: usize,
    work: F,
) -> Result<Vec<T>, String>
where
    F: Fn(Conn, usize) -> Fut,
    Fut: std::future::Future<Output = Result<T, String>> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = Vec::new();
    for _ in 0..opts.conns {
        let conn = Conn::open(opts.addr).await?;
        tasks.push(tokio::spawn(work(conn, per_conn)));
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.map_err(|e| e.to_string())??);
    }
    Ok(out)
}

fn main() {
    let (mode, opts) = match parse() {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("extra-load: {e}");
            std::process::exit(2);
        }
    };
    let opts: &'static Opts = Box::leak(Box::new(opts));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let out = runtime.block_on(async {
        match mode.as_str() {
            "report" => Ok(report(opts).await),
            "sessions" => sessions(opts).await,
            "stdio" => stdio(opts).await,
            other => Err(format!("unknown mode {other}")),
        }
    });
    match out {
        Ok(value) => println!("{value}"),
        Err(e) => {
            eprintln!("extra-load: {e}");
            std::process::exit(1);
        }
    }
}
