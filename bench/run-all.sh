#!/usr/bin/env bash
# Every workload of the performance issue in one run, as the markdown tables docs/performance.md
# records: the shared kit (../shared/bench) with the Rust peers and quickmcp's configurations
# (bench/peers.txt) at CONNS connections, then bench/extra.sh (the 10 KiB result, memory after
# DELETE with 100,000 sessions, stdio through real pipes), then bench/build-compare.sh (binary
# size and cold build against rmcp). Server on core 0, load on core 1. About 20 minutes on 2
# cores; build the kit's peers once first (`../shared/bench/run.sh build`).
#
#   bench/run-all.sh > results.md
#   CONNS="16 64" DURATION=10 bench/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
KIT="${KIT:-../shared/bench}"
export BENCH_WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/mcp-bench}"
CONNS="${CONNS:-1 16 64 256}" DURATION="${DURATION:-5}"
PEERS="${PEERS:-rmcp-sse-nodelay rmcp-stateless-json rmcp-modern turbomcp-json-nodelay rust-mcp-sdk-modern-nodelay}"

cargo build --release --example bench_server >&2
echo "## HTTP: quickmcp, the peers and the bare-axum ceiling"
echo
# shellcheck disable=SC2086 # the peer lists are words
PEERS_FILE=bench/peers.txt CONNS="$CONNS" DURATION="$DURATION" SESSIONS="1000 10000" \
    "$KIT/run.sh" peer axum-ceiling $PEERS \
    quickmcp-sse quickmcp-json quickmcp-stateless-json quickmcp-modern axum-ceiling
echo
echo "## What the kit lacks"
echo
CONNS="16 64" DURATION="$DURATION" SESSIONS=100000 bench/extra.sh
echo
echo "## Binary size and cold build against rmcp"
echo
bench/build-compare.sh
