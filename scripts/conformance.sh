#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance 0.2.0-alpha.12, on
# Node 22) against a running server, one scenario at a time, and prints a summary.
#
#   scripts/conformance.sh [URL]          # default URL: http://localhost:8000/mcp
#   CONFORMANCE_SCENARIOS="ping tools-list" scripts/conformance.sh URL
#
# Start the server first, e.g. `cargo run --example quickstart`. Use a localhost or 127.0.0.1
# URL: the dns-rebinding-protection scenario fails on any other host. Every scenario's checks are
# written to $CONFORMANCE_OUT (default: a temporary directory). The last line reads
# `conformance: N passed, M failed` (checks). Exits non-zero if any check FAILED or a scenario
# could not run. Install the CLI first with scripts/install-test-deps.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

URL="${1:-http://localhost:8000/mcp}"
# The scenarios of issue 3 (the foundation); the full suite is the next bar.
SCENARIOS="${CONFORMANCE_SCENARIOS:-server-initialize ping tools-list server-session-lifecycle dns-rebinding-protection}"
CLI="$CONFORMANCE_DIR/node_modules/.bin/conformance"
OUT="${CONFORMANCE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/quickmcp-conformance.XXXXXX")}"

use_node22
if [ ! -x "$CLI" ]; then
    log "the conformance CLI is missing at $CLI: run scripts/install-test-deps.sh"
    exit 1
fi
mkdir -p "$OUT"
log "$(node --version), conformance $(node -p "require('$CONFORMANCE_DIR/node_modules/@modelcontextprotocol/conformance/package.json').version"), $URL, results in $OUT"

# Counts the checks of one scenario from its checks.json: "passed failed warnings".
count_checks() {
    node -e '
        const fs = require("fs"), path = require("path");
        const dir = process.argv[1];
        const runs = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "checks.json")));
        if (runs.length !== 1) process.exit(1);
        const checks = JSON.parse(fs.readFileSync(path.join(dir, runs[0], "checks.json"), "utf8"));
        const n = (status) => checks.filter((c) => c.status === status).length;
        for (const c of checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING")) {
            console.error(`  ${c.status} ${c.id}: ${c.errorMessage ?? c.description}`);
        }
        console.log(`${n("SUCCESS")} ${n("FAILURE")} ${n("WARNING")}`);
    ' "$1"
}

total_passed=0
total_failed=0
status=0
summary=()
for scenario in $SCENARIOS; do
    log "scenario $scenario"
    dir="$OUT/$scenario"
    rm -rf "$dir"
    mkdir -p "$dir"
    set +e
    NO_COLOR=1 "$CLI" server --url "$URL" --scenario "$scenario" -o "$dir" 2>&1 | tee "$dir.log"
    code=${PIPESTATUS[0]}
    counts="$(count_checks "$dir")"
    counted=$?
    set -e
    if [ "$counted" != 0 ]; then
        summary+=("✗ $scenario: did not run (exit $code, see $dir.log)")
        status=1
        continue
    fi
    read -r passed failed warnings <<<"$counts"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    mark="✓"
    if [ "$code" != 0 ] || [ "$failed" != 0 ]; then
        mark="✗"
        status=1
    fi
    summary+=("$mark $scenario: $passed passed, $failed failed, $warnings warnings (exit $code)")
done

echo
echo "=== quickmcp conformance summary ($URL) ==="
printf '%s\n' "${summary[@]}"
echo "conformance: $total_passed passed, $total_failed failed"
exit "$status"
