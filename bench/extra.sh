#!/usr/bin/env bash
# The workloads ../shared/bench lacks, as markdown tables on stdout:
#   5. a 10 KiB structured result (`tools/call report`, about 21 KB on the wire with its JSON text
#      copy) against a bare-axum ceiling returning the same bytes (extra/src/bin/report_ceiling.rs),
#      at each count in CONNS;
#   4b. memory: idle RSS, RSS with SESSIONS idle sessions open, RSS SETTLE seconds after all of
#      them are DELETEd, and RSS after TRAFFIC seconds of ordinary calls (the target: back within
#      10% of idle), on the system allocator and on mimalloc (extra/src/bin/bench_server_mimalloc.rs);
#   6. stdio: `tools/call add` round trips through real OS pipes, one request in flight, against
#      a blocking read-parse-write loop (extra/src/bin/stdio_ceiling.rs), with client and server
#      on the same core and on different cores, DURATION seconds each.
# Server on core SERVER_CPU (default 0), load on LOAD_CPU (default 1), as the kit does.
#
#   bench/extra.sh                       # CONNS="16 64" DURATION=10 SESSIONS=100000
#   CONNS="1 16 64 256" DURATION=20 bench/extra.sh
#
# Builds `bench_server` (release) and bench/extra (into $BENCH_WORK/extra-target) first.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/mcp-bench}"
CONNS="${CONNS:-16 64}" DURATION="${DURATION:-10}" SESSIONS="${SESSIONS:-100000}" SETTLE="${SETTLE:-3}"
TRAFFIC="${TRAFFIC:-2}" SERVER_CPU="${SERVER_CPU:-0}" LOAD_CPU="${LOAD_CPU:-1}" PORT="${PORT:-19310}"

cargo build --release --example bench_server --example stdio >&2
CARGO_TARGET_DIR="$BENCH_WORK/extra-target" cargo build --release --manifest-path bench/extra/Cargo.toml >&2
EXTRA="$BENCH_WORK/extra-target/release"

SERVER_PID=
start() {
    PORT=$PORT taskset -c "$SERVER_CPU" "$@" 2>/dev/null &
    SERVER_PID=$!
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "extra.sh: $* did not listen on $PORT" >&2
    exit 1
}
stop() {
    [ -n "$SERVER_PID" ] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
trap stop EXIT
load() { taskset -c "$LOAD_CPU" "$EXTRA/extra-load" "$@" --url "http://127.0.0.1:$PORT/mcp" --pid "$SERVER_PID"; }

declare -A SERVERS=(
    [report-ceiling]="$EXTRA/report-ceiling"
    [quickmcp-json]="target/release/examples/bench_server --json"
    [quickmcp-sse]="target/release/examples/bench_server"
    [quickmcp-json-mimalloc]="$EXTRA/bench-server-mimalloc --json"
)
declare -A RPS CPU P99
for name in report-ceiling quickmcp-json quickmcp-sse; do
    for c in $CONNS; do
        # shellcheck disable=SC2086 # the command is words
        start ${SERVERS[$name]}
        out=$(load report -c "$c" -d "$DURATION")
        stop
        echo "$name c=$c $out" >&2
        errors=$(jq -r .errors <<<"$out")
        [ "$errors" = 0 ] || { echo "extra.sh: $name had $errors errors: $(jq -r .first_error <<<"$out")" >&2; exit 1; }
        RPS[$name.$c]=$(jq -r .rps <<<"$out")
        CPU[$name.$c]=$(jq -r .per_server_cpu_s <<<"$out")
        P99[$name.$c]=$(jq -r .p99_ms <<<"$out")
    done
done

echo "### Workload 5: 10 KiB structured result (\`tools/call report\`), ${DURATION}s per cell"
echo
echo "| server | conns | req/s | × ceiling | req per server CPU-s | × ceiling (CPU) | p99 ms |"
echo "|---|---|---|---|---|---|---|"
for name in report-ceiling quickmcp-json quickmcp-sse; do
    for c in $CONNS; do
        ratio=$(jq -n "${RPS[$name.$c]} / ${RPS[report-ceiling.$c]} * 100 | round / 100")
        cpu_ratio=$(jq -n "${CPU[$name.$c]} / ${CPU[report-ceiling.$c]} * 100 | round / 100")
        echo "| $name | $c | ${RPS[$name.$c]} | ${ratio} | ${CPU[$name.$c]} | ${cpu_ratio} | ${P99[$name.$c]} |"
    done
done

echo
echo "### Memory: $SESSIONS idle sessions, all deleted (RSS ${SETTLE}s later), then ${TRAFFIC}s of calls"
echo
echo "| server | idle RSS KiB | with sessions KiB | KiB per session | after DELETE KiB | vs idle | after calls KiB | vs idle |"
echo "|---|---|---|---|---|---|---|---|"
for name in quickmcp-json quickmcp-json-mimalloc; do
    # shellcheck disable=SC2086
    start ${SERVERS[$name]}
    out=$(load sessions --sessions "$SESSIONS" -c 16 --settle "$SETTLE" --traffic "$TRAFFIC")
    stop
    echo "$name $out" >&2
    jq -r --arg n "$name" '"| \($n) | \(.idle_rss_kib) | \(.open_rss_kib) | \(.kib_per_session) | \(.deleted_rss_kib) | \(.deleted_over_idle_pct)% | \(.after_traffic_rss_kib) | \(.after_traffic_over_idle_pct)% |"' <<<"$out"
done

echo
echo "### stdio: \`tools/call add\` round trips through OS pipes, one in flight, ${DURATION}s each"
echo
echo "| server | cores (client, server) | round trips/s | × ceiling | calls per server CPU-s |"
echo "|---|---|---|---|---|"
declare -A STDIO
for placement in "$SERVER_CPU $SERVER_CPU" "$LOAD_CPU $SERVER_CPU"; do
    read -r client server <<<"$placement"
    for name in stdio-ceiling quickmcp-stdio; do
        case $name in
            stdio-ceiling) command=("$EXTRA/stdio-ceiling") ;;
            quickmcp-stdio) command=(target/release/examples/stdio) ;;
        esac
        out=$(RUST_LOG=warn taskset -c "$client" "$EXTRA/extra-load" stdio -d "$DURATION" -- \
            taskset -c "$server" "${command[@]}")
        echo "$name $placement $out" >&2
        rate=$(jq -r .round_trips_per_s <<<"$out")
        STDIO[$name]=$rate
        ratio=$(jq -n "$rate / ${STDIO[stdio-ceiling]} * 100 | round / 100")
        echo "| $name | $client, $server | $rate | $ratio | $(jq -r .per_server_cpu_s <<<"$out") |"
    done
done
