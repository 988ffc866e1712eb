#!/usr/bin/env bash
# Cold release build of examples/quickstart.rs and of its rmcp equivalent (bench/rmcp-quickstart),
# each in a fresh CARGO_TARGET_DIR, then a markdown table of build times and binary sizes
# (unstripped as built, and after `strip`). Run from anywhere; measure on a quiet machine.
#
#   bench/build-compare.sh            # builds into a temporary directory, removed at the end
#   KEEP=1 bench/build-compare.sh     # keep the target dirs (their path is printed)
#   JOBS=2 bench/build-compare.sh     # passed to cargo as --jobs
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/build-compare.XXXXXX")"
if [[ -z "${KEEP:-}" ]]; then
    trap 'rm -rf "$work"' EXIT
else
    echo "target dirs kept in $work" >&2
fi
jobs=()
[[ -n "${JOBS:-}" ]] && jobs=(--jobs "$JOBS")

# build NAME MANIFEST BINARY-PATH-IN-TARGET CARGO-ARGS... -> "NAME|seconds|unstripped|stripped"
build() {
    local name=$1 manifest=$2 binary=$3
    shift 3
    local target="$work/$name"
    local start end
    start=$(date +%s.%N)
    CARGO_TARGET_DIR="$target" cargo build --release --quiet --manifest-path "$manifest" "${jobs[@]}" "$@" >&2
    end=$(date +%s.%N)
    local built="$target/release/$binary"
    strip -o "$target/stripped" "$built"
    printf '%s|%.1f|%s|%s\n' "$name" "$(echo "$end - $start" | bc)" \
        "$(stat -c %s "$built")" "$(stat -c %s "$target/stripped")"
}

# The quickstart as a user's crate would hold it (building the example in the workspace would
# also compile quickmcp's dev-dependencies), with the workspace's lock file.
app="$work/quickstart-app"
mkdir -p "$app/src"
cp "$root/examples/quickstart.rs" "$app/src/main.rs"
cp "$root/Cargo.lock" "$app/Cargo.lock"
cat >"$app/Cargo.toml" <<TOML
[package]
name = "quickstart"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
quickmcp = { path = "$root" }
serde_json = "1"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
tracing-subscriber = { version = "0.3", features = ["env-filter", "fmt"] }

[workspace]
TOML

# Fetch first, so that download time stays out of the build times.
cargo fetch --quiet --manifest-path "$app/Cargo.toml"
cargo fetch --quiet --manifest-path "$root/bench/rmcp-quickstart/Cargo.toml"

quick=$(build quickmcp "$app/Cargo.toml" quickstart)
rmcp=$(build rmcp "$root/bench/rmcp-quickstart/Cargo.toml" rmcp-quickstart)

kib() { echo "$(( ($1 + 512) / 1024 )) KiB"; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
IFS='|' read -r _ q_time q_size q_strip <<<"$quick"
IFS='|' read -r _ r_time r_size r_strip <<<"$rmcp"
echo "| | cold release build | binary | stripped |"
echo "|---|--:|--:|--:|"
echo "| quickstart (quickmcp) | ${q_time} s | $(kib "$q_size") | $(kib "$q_strip") |"
echo "| rmcp equivalent | ${r_time} s | $(kib "$r_size") | $(kib "$r_strip") |"
echo "| quickmcp ÷ rmcp | $(ratio "$q_time" "$r_time") | $(ratio "$q_size" "$r_size") | $(ratio "$q_strip" "$r_strip") |"
