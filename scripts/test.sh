#!/usr/bin/env bash
# Runs every test of quickmcp, as CI does (.ci/run calls exactly this):
#
#   1. installs what the tests need beyond cargo (scripts/install-test-deps.sh: Node 22, the
#      official Python and TypeScript SDK clients, the conformance suite, Chromium) into .cache/;
#   2. checks formatting and clippy (-D warnings);
#   3. cargo test --workspace: unit, integration (real sockets, real clients, a real browser),
#      trybuild UI tests and doc tests;
#   4. the official conformance suite against the quickstart example.
#
# QUICKMCP_SKIP_INSTALL=1 skips step 1 (use the cache as it is).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO"

if [ "${QUICKMCP_SKIP_INSTALL:-0}" != 1 ]; then
    scripts/install-test-deps.sh
fi

log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

log "cargo test"
# The integration tests under tests/ run the example binaries: build them first.
cargo build --examples
cargo test --workspace --no-fail-fast

log "conformance suite against the quickstart example"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
target/debug/examples/quickstart --port "$port" >"$CACHE/quickstart.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
done
scripts/conformance.sh "http://localhost:$port/mcp"
