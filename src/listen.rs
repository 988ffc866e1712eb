//! Where an HTTP server listens, from the command line or the environment.

/// The `host:port` to listen on: `--host H` / `--port P` (or `--host=H`), else the `HOST` and
/// `PORT` environment variables, else `127.0.0.1:8000`.
///
/// ```
/// assert!(quickmcp::listen_addr().contains(':'));
/// ```
pub fn listen_addr() -> String {
    listen_addr_from(std::env::args().skip(1), |key| std::env::var(key).ok())
}

fn listen_addr_from(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> String {
    let (mut host, mut port) = (env("HOST"), env("PORT"));
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (arg, None),
        };
        let slot = match key.as_str() {
            "--host" => &mut host,
            "--port" => &mut port,
            _ => continue,
        };
        *slot = inline.or_else(|| args.next());
    }
    let host = host.unwrap_or_else(|| "127.0.0.1".into());
    let port = port.unwrap_or_else(|| "8000".into());
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::listen_addr_from;

    fn addr(args: &[&str], env: &[(&str, &str)]) -> String {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        listen_addr_from(args.iter().map(|s| s.to_string()), |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn flags_beat_environment_beats_defaults() {
        assert_eq!(addr(&[], &[]), "127.0.0.1:8000");
        assert_eq!(addr(&[], &[("PORT", "9000")]), "127.0.0.1:9000");
        assert_eq!(
            addr(&["--port", "7000"], &[("PORT", "9000")]),
            "127.0.0.1:7000"
        );
        assert_eq!(addr(&["--host=0.0.0.0", "--port=1"], &[]), "0.0.0.0:1");
        assert_eq!(addr(&["--host", "::1"], &[]), "[::1]:8000");
    }
}
