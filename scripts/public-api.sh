#!/usr/bin/env bash
# The public API of each published crate, as `cargo public-api` lists it (rustdoc JSON on the
# nightly toolchain, every feature on), against the listings committed in docs/public-api/.
#
#   scripts/public-api.sh          fails, with the diff, if an API differs from its listing
#   scripts/public-api.sh --bless  rewrites the listings (commit them with the change)
#
# A change here is a change users see: say it in CHANGELOG.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$REPO"

export PATH="$CACHE/cargo-tools/bin:$PATH"
if ! command -v cargo-public-api >/dev/null; then
    log "cargo-public-api is missing: run scripts/install-test-deps.sh"
    exit 1
fi
bless=0
[ "${1:-}" = --bless ] && bless=1

status=0
mkdir -p docs/public-api
for crate in quickmcp quickmcp-core quickmcp-http; do
    listing="docs/public-api/$crate.txt"
    actual="$(mktemp)"
    cargo public-api --package "$crate" --all-features -ss >"$actual" 2>"$CACHE/public-api.log" || {
        cat "$CACHE/public-api.log" >&2
        log "cargo public-api failed for $crate"
        exit 1
    }
    if [ "$bless" = 1 ]; then
        mv "$actual" "$listing"
    elif ! diff -u "$listing" "$actual" >&2; then
        log "the public API of $crate differs from $listing (above; - listed, + now):"
        log "if the change is meant, run scripts/public-api.sh --bless and note it in CHANGELOG.md"
        status=1
        rm -f "$actual"
    else
        rm -f "$actual"
    fi
done
exit "$status"
