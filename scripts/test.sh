#!/usr/bin/env bash
# Runs every test of quickmcp, as CI does (.ci/run calls exactly this):
#
#   1. installs what the tests need beyond cargo (scripts/install-test-deps.sh: Node 22, the
#      official Python and TypeScript SDK clients, the conformance suite, Chromium,
#      cargo-public-api) into .cache/;
#   2. checks formatting and clippy (-D warnings), and that the crate builds with no default
#      features (stdio only, no HTTP stack) and with every feature;
#   3. cargo deny (advisories from a committed RustSec snapshot, licenses, bans, sources), and
#      each crate's public API against its listing in docs/public-api/;
#   4. cargo test --workspace with every feature (`auth` too: tests/auth.rs against a real
#      authorization server; `otel`: mcp-core/tests/otel.rs and tests/otel.rs against the
#      OpenTelemetry SDK's in-memory exporters): unit, integration (real sockets, real clients,
#      a real browser), trybuild UI tests and doc tests; the fuzz targets' corpora replayed;
#   5. the official conformance suite (scripts/conformance.sh): 0.2.0-alpha.12's 2025-11-25
#      requirement set, 0.1.16's default suite and alpha.12's 2026-07-28 requirement set (with
#      scripts/conformance-baseline-2026-07-28.txt) against the everything example, and the five
#      foundation scenarios against the quickstart example.
#
# Any failure makes it exit non-zero.
#
# QUICKMCP_SKIP_INSTALL=1 skips step 1 (use the cache as it is).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO"
# Incremental state is dead weight in a one-shot build, and disk is what CI runs short of.
export CARGO_INCREMENTAL=0

if [ "${QUICKMCP_SKIP_INSTALL:-0}" != 1 ]; then
    scripts/install-test-deps.sh
fi

log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy"
cargo clippy --workspace --all-targets --features quickmcp/auth,quickmcp/otel --quiet -- -D warnings

log "feature sets: stdio only (no HTTP stack compiled), and every feature"
cargo check -p quickmcp --no-default-features --lib --example stdio
if cargo tree -p quickmcp --no-default-features -e normal | grep -qE '^.*(axum|hyper) v'; then
    log "--no-default-features still pulls in an HTTP stack:"
    cargo tree -p quickmcp --no-default-features -e normal -i axum >&2 || true
    exit 1
fi
cargo check --workspace --all-features --all-targets

log "supply chain: cargo deny (scripts/deny.sh)"
scripts/deny.sh

log "public API against docs/public-api/ (scripts/public-api.sh)"
scripts/public-api.sh

log "cargo test"
# The integration tests under tests/ run the example binaries: build them first.
# One feature set for both, so that the test build reuses the examples' build.
cargo build --examples --features quickmcp/auth,quickmcp/otel
cargo test --workspace --features quickmcp/auth,quickmcp/otel --no-fail-fast

log "fuzz corpora and regressions, replayed on stable (the long runs: scripts/fuzz.sh)"
cargo test --manifest-path fuzz/Cargo.toml --target-dir target

# start_example NAME: runs target/debug/examples/NAME on a free port (log in $CACHE/NAME.log),
# killed when this script exits; waits until it accepts connections and sets $url to its MCP
# endpoint. Fails if it exits or is not listening within 10 s.
servers=()
trap 'for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
start_example() {
    local name="$1" port pid
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    target/debug/examples/"$name" --port "$port" >"$CACHE/$name.log" 2>&1 &
    pid=$!
    servers+=("$pid")
    for _ in $(seq 1 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the $name example exited before serving; its output ($CACHE/$name.log):"
            cat "$CACHE/$name.log" >&2
            return 1
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            url="http://localhost:$port/mcp"
            return 0
        fi
        sleep 0.1
    done
    log "the $name example is not listening on port $port after 10 s ($CACHE/$name.log)"
    return 1
}

status=0
log "conformance suite against the everything example (the full bar)"
start_example everything
scripts/conformance.sh "$url" || status=1

log "conformance suite against the quickstart example (the foundation scenarios)"
start_example quickstart
scripts/conformance.sh --foundation "$url" || status=1

if [ "$status" != 0 ]; then
    log "conformance FAILED (see the summaries above)"
fi
exit "$status"
