#!/usr/bin/env bash
# Fuzzes each target of fuzz/ with cargo fuzz (libFuzzer, nightly toolchain) for SECONDS
# (default 900), then minimizes its corpus into fuzz/corpus/<target>/ (commit it). A crash
# stops the run: copy its input from fuzz/artifacts/<target>/ to fuzz/regressions/<target>/,
# where the test command replays it on stable (fuzz/tests/corpora.rs), and fix it.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 60 dispatch
#
# Prints libFuzzer's last status line per target (executions, coverage: cov = edges) and
# appends it to fuzz/runs.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO/fuzz"

export PATH="$CACHE/cargo-tools/bin:$PATH"
seconds="${1:-900}"
shift || true
targets=("$@")
[ "${#targets[@]}" = 0 ] && targets=(dispatch tool_arguments last_event_id header_value uri_template)

for target in "${targets[@]}"; do
    log "$target: ${seconds}s"
    mkdir -p "corpus/$target"
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 2>"target/$target.log" || {
        tail -n 40 "target/$target.log" >&2
        log "$target FAILED: see fuzz/artifacts/$target/"
        exit 1
    }
    status="$(grep -E '^#[0-9]+' "target/$target.log" | tail -n 1)"
    execs="$(grep -E '^stat::number_of_executed_units' "target/$target.log" | awk '{print $2}')"
    # Minimize: the corpus keeps one input per feature.
    cargo +nightly fuzz cmin "$target" "corpus/$target" 2>>"target/$target.log" >/dev/null || true
    files="$(ls "corpus/$target" | wc -l)"
    line="$(date -u +%FT%TZ) $target ${seconds}s executions=$execs corpus=$files | $status"
    echo "$line" | tee -a runs.log
done
