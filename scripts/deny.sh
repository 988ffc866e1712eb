#!/usr/bin/env bash
# Supply chain: `cargo deny check` (deny.toml) against the RustSec advisory database snapshot
# in scripts/deps/advisory-db.tar.gz, without network. Refresh the snapshot from a fresh
# clone of rustsec/advisory-db (or ../shared/advisory-db) with:
#   tar czf scripts/deps/advisory-db.tar.gz -C <parent> advisory-db
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO"

export PATH="$CACHE/cargo-tools/bin:$PATH"
if ! command -v cargo-deny >/dev/null; then
    log "cargo-deny is missing: run scripts/install-test-deps.sh"
    exit 1
fi
# deny.toml reads the database from target/advisory-db, in the directory cargo-deny names
# after the database's URL.
db=target/advisory-db/advisory-db-3157b0e258782691
rm -rf target/advisory-db
mkdir -p "$db"
tar xzf scripts/deps/advisory-db.tar.gz -C "$db" --strip-components=1
log "advisories as of: $(head -c 120 "$db/SNAPSHOT.txt")"
# --offline keeps the database as it is; the crates of every platform must then be local.
cargo fetch --quiet
cargo deny --offline check
