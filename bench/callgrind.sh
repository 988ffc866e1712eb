#!/usr/bin/env bash
# Instructions per request (see bench/README.md, "Instructions per request (callgrind)"):
# bench_server under callgrind, 2 s of warm-up, counters zeroed, `mcp-loadgen -c 16 -d 4`,
# counters dumped. Prints `NAME instructions ok errors instructions/ok requests instructions/request
# DUMP`, where `requests` counts what the server handled while counting (its `Message::parse`
# calls; for churn, its ended sessions; for a server without quickmcp, hyper's request parses):
# the load generator's `ok` leaves out the requests of its own warm-up, which a loaded
# machine makes a varying share.
#
#   LOADGEN=path/to/mcp-loadgen bench/callgrind.sh NAME MODE [SERVER FLAGS...]
#   e.g. bench/callgrind.sh json stateful --json
set -euo pipefail
name=$1 mode=$2
shift 2
server=${SERVER:-target/release/examples/bench_server}
loadgen=${LOADGEN:-${BENCH_WORK:-/tmp/mcp-bench}/target/release/mcp-loadgen}
out=${OUT:-/tmp/callgrind}
port=${PORT:-19371}
mkdir -p "$out"
PORT=$port valgrind --tool=callgrind --callgrind-out-file="$out/$name.%p" "$server" "$@" \
  2>"$out/$name.valgrind.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/mcp" && break
  sleep 0.2
done
url=http://127.0.0.1:$port/mcp
"$loadgen" --url "$url" --mode "$mode" -c 16 -d 2 >/dev/null
callgrind_control -z "$pid" >/dev/null
"$loadgen" --url "$url" --mode "$mode" -c 16 -d 4 >"$out/$name.loadgen.json"
callgrind_control -d "$pid" >/dev/null
sleep 1
kill "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
ok=$(jq -r '.ok' "$out/$name.loadgen.json")
errors=$(jq -r '.errors' "$out/$name.loadgen.json")
dump=$out/$name.$pid.1
summary=$(grep -m1 '^summary:' "$dump" | awk '{print $2}')
[ -n "$summary" ] || summary=$(grep -m1 '^totals:' "$dump" | awk '{print $2}')
# Calls of a function, from the dump's `cfn=`/`calls=` lines.
calls() {
  awk -v needle="$1" '
    /^cfn=/ { id = $1; sub(/^cfn=/, "", id); name = $0; sub(/^cfn=\([0-9]+\) ?/, "", name)
              if (name != "") names[id] = name; cur = id }
    /^fn=/  { id = $1; sub(/^fn=/, "", id); name = $0; sub(/^fn=\([0-9]+\) ?/, "", name)
              if (name != "") names[id] = name }
    /^calls=/ { split($0, a, /[= ]/); n[cur] += a[2] }
    END { for (k in n) if (index(names[k], needle)) t += n[k]; print t + 0 }' "$dump"
}
if [ "$mode" = churn ]; then
  requests=$(calls 'McpService::end_session')
else
  requests=$(calls 'quickmcp_core::jsonrpc::Message::parse')
  # Another server (the ceiling): the HTTP requests hyper parsed.
  [ "$requests" -gt 0 ] || requests=$(calls 'Http1Transaction>::parse')
fi
echo "$name $summary $ok $errors $((summary / ok)) $requests $((summary / requests)) $dump"
