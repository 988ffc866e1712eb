//! The ceiling for workload 6: a plain blocking loop that reads a JSON-RPC line from stdin and
//! answers `initialize` and `tools/call add` on stdout, with no MCP machinery and no async
//! runtime. What the machine's pipes and scheduler allow a stdio server.
//!
//! Usage: `extra-load stdio -- stdio-ceiling`.

use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct Request<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    method: &'a str,
    #[serde(borrow)]
    params: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Call {
    arguments: Add,
}

#[derive(Deserialize)]
struct Add {
    a: i64,
    b: i64,
}

fn main() {
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let Ok(line) = line else { break };
        let Ok(request) = serde_json::from_str::<Request>(&line) else {
            continue;
        };
        let Some(id) = request.id else { continue };
        let answer = match request.method {
            "initialize" => format!(
                r#"{{"jsonrpc":"2.0","id":{},"result":{{"protocolVersion":"2025-11-25","capabilities":{{"tools":{{}}}},"serverInfo":{{"name":"stdio-ceiling","version":"0"}}}}}}"#,
                id.get()
            ),
            "tools/call" => {
                let sum = request
                    .params
                    .and_then(|p| serde_json::from_str::<Call>(p.get()).ok())
                    .map_or(0, |call| call.arguments.a + call.arguments.b);
                format!(
                    r#"{{"jsonrpc":"2.0","id":{},"result":{{"content":[{{"type":"text","text":"{sum}"}}],"structuredContent":{{"result":{sum}}}}}}}"#,
                    id.get()
                )
            }
            _ => continue,
        };
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}
