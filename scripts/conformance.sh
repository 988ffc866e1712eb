#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, on Node 22) against
# a running server and prints a summary per run.
#
#   scripts/conformance.sh [URL]                  # the full bar, for the everything example
#   scripts/conformance.sh --foundation [URL]     # 5 scenarios any server passes (quickstart)
#   scripts/conformance.sh --scenario NAME [--scenario NAME ...] [URL]
#
# URL defaults to http://localhost:8000/mcp; use a localhost or 127.0.0.1 URL (the
# dns-rebinding-protection scenario fails on any other host). Start the server first:
#
#   cargo run --example everything -- --port 3000 &
#   scripts/conformance.sh http://localhost:3000/mcp
#
# The full bar is three runs, which need the conformance fixture (examples/everything.rs):
#   1. 0.2.0-alpha.12 `--requirements 2025-11-25`: the 30 scored scenarios of the 2025-11-25
#      requirement set, plus the unscored ones it runs (server-session-lifecycle,
#      json-schema-2020-12, server-sse-polling);
#   2. 0.1.16 (the latest stable release), its default suite;
#   3. 0.2.0-alpha.12 `--requirements 2026-07-28` (the stateless wire): the 37 scored scenarios
#      and the 13 unscored ones it runs, judged against scripts/conformance-baseline-2026-07-28.txt
#      (what quickmcp does not build yet; empty now).
# --foundation runs server-initialize, ping, tools-list, server-session-lifecycle and
# dns-rebinding-protection (alpha.12, one at a time): they need no fixture. --scenario runs the
# scenarios named (alpha.12).
#
# Each run fails if any check of any scenario it ran FAILED, scored or not, if a scenario did not
# finish, or if the CLI failed. Runs 1 and 2 have no baseline. Run 3 excuses the scenarios its
# baseline lists (one per line, each saying what is missing), and fails if one of them passes
# (a stale entry: remove it), like the suite's --expected-failures. Each run prints one line per
# scenario (passed, failed, warnings), every FAILURE and WARNING with its message, and
# `conformance: N passed, M failed` (checks; M leaves out the baselined failures, which the line
# before counts). The script's last line is that line summed over its runs. The checks are kept
# in $CONFORMANCE_OUT (default: a temporary directory). Exits non-zero if any run failed. Install
# the CLIs first with scripts/install-test-deps.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASELINE_2026="$REPO/scripts/conformance-baseline-2026-07-28.txt"
FOUNDATION="server-initialize ping tools-list server-session-lifecycle dns-rebinding-protection"

mode=full
label="alpha.12 --scenario"
scenarios=()
URL=http://localhost:8000/mcp
while [ $# -gt 0 ]; do
    case "$1" in
        --foundation)
            mode=scenarios
            label="alpha.12 foundation scenarios"
            read -ra scenarios <<<"$FOUNDATION"
            ;;
        --scenario) mode=scenarios; scenarios+=("${2:?--scenario needs a name}"); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) log "unknown option $1 (see --help)"; exit 2 ;;
        *) URL="$1" ;;
    esac
    shift
done

OUT="${CONFORMANCE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/quickmcp-conformance.XXXXXX")}"
use_node22
mkdir -p "$OUT"

# cli DIR: the conformance CLI installed in DIR; fails if it is missing.
cli() {
    local bin="$1/node_modules/.bin/conformance"
    if [ ! -x "$bin" ]; then
        log "the conformance CLI is missing at $bin: run scripts/install-test-deps.sh"
        return 1
    fi
    echo "$bin"
}

version_of() {
    node -p "require('$1/node_modules/@modelcontextprotocol/conformance/package.json').version"
}

# run NAME LABEL CLI_DIR BASELINE ARGS...: one CLI run of the scenarios ARGS select,
# summarized; BASELINE is a file of expected failures, or "".
run() {
    local name="$1" label="$2" dir="$3" baseline="$4" bin code
    shift 4
    bin="$(cli "$dir")" || return 1
    rm -rf "${OUT:?}/$name" "$OUT/$name.log"
    log "$label: conformance $(version_of "$dir") server --url $URL $*"
    set +e
    NO_COLOR=1 "$bin" server --url "$URL" "$@" -o "$OUT/$name" >"$OUT/$name.log" 2>&1
    code=$?
    set -e
    summarize "$name" "$label" "$code" "$baseline"
}

# run_each NAME LABEL SCENARIO...: alpha.12, one CLI run per scenario, summarized together.
run_each() {
    local name="$1" label="$2" bin scenario code=0
    shift 2
    bin="$(cli "$CONFORMANCE_DIR")" || return 1
    rm -rf "${OUT:?}/$name" "$OUT/$name.log"
    log "$label: conformance $(version_of "$CONFORMANCE_DIR") server --url $URL --scenario ..."
    for scenario in "$@"; do
        NO_COLOR=1 "$bin" server --url "$URL" --scenario "$scenario" -o "$OUT/$name" \
            >>"$OUT/$name.log" 2>&1 || code=$?
    done
    summarize "$name" "$label" "$code"
}

# summarize NAME LABEL CLI_EXIT [BASELINE]: prints the run's summary (kept in $OUT/NAME.summary).
summarize() {
    local code=0
    node "$REPO/scripts/conformance-summary.mjs" "$OUT/$1" "$OUT/$1.log" "$3" "$2 ($URL)" \
        ${4:+"$4"} | tee "$OUT/$1.summary" || code=1
    if [ "$code" != 0 ]; then
        log "$2 failed; the CLI's output: $OUT/$1.log"
    fi
    summaries+=("$OUT/$1.summary")
    return "$code"
}

log "$(node --version), results in $OUT"
status=0
summaries=()
if [ "$mode" = full ]; then
    run alpha12-2025-11-25 "alpha.12 --requirements 2025-11-25" "$CONFORMANCE_DIR" "" \
        --requirements 2025-11-25 || status=1
    run stable-0.1.16 "0.1.16 default suite" "$CONFORMANCE_OLD_DIR" "" || status=1
    run alpha12-2026-07-28 "alpha.12 --requirements 2026-07-28" "$CONFORMANCE_DIR" \
        "$BASELINE_2026" --requirements 2026-07-28 || status=1
else
    run_each scenarios "$label" "${scenarios[@]}" || status=1
fi

# The last line, summed over the runs: `conformance: N passed, M failed`.
passed=0
failed=0
for summary in "${summaries[@]}"; do
    line="$(grep -E '^conformance: [0-9]+ passed, [0-9]+ failed$' "$summary" | tail -n 1)" || true
    if [[ "$line" =~ ^conformance:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
    fi
done
echo
echo "conformance.sh: ${#summaries[@]} run(s), $([ "$status" = 0 ] && echo ok || echo FAILED)"
echo "conformance: $passed passed, $failed failed"
exit "$status"
