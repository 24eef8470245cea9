#!/usr/bin/env bash
# setup.sh installs what building and testing Hài Lòng needs on Debian:
# the C libraries for Fyne's cgo build, Xvfb for UI tests, sqlite3 for
# benchmarks, PostgreSQL's server for the hub's tests (they start their own
# throwaway cluster; the package's own cluster is not used), and a Go
# toolchain when the machine has none (or an old one).
# It is idempotent and quiet when everything is already present.
set -euo pipefail

want_go=1.26.8
pkgs=(gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev
      libxi-dev libxxf86vm-dev xvfb xauth x11-apps sqlite3 curl unzip ca-certificates)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(espeak-ng chromium chromium-driver postgresql)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go: use the one on PATH when new enough, else fetch the toolchain from the
# Go module proxy (the only Go download site reachable here) into ~/.cache.
have_go() {
  command -v go >/dev/null 2>&1 || return 1
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  [ "$(printf '%s\n%s\n' "$want_go" "$v" | sort -V | head -1)" = "$want_go" ]
}
if ! have_go; then
  dir="$HOME/.cache/hailong/go$want_go"
  if [ ! -x "$dir/bin/go" ]; then
    arch=$(dpkg --print-architecture)
    echo "setup: downloading Go $want_go ($arch) from proxy.golang.org" >&2
    tmp=$(mktemp -d)
    curl -fsSL -o "$tmp/go.zip" \
      "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$want_go.linux-$arch.zip"
    unzip -q "$tmp/go.zip" -d "$tmp"
    mkdir -p "$(dirname "$dir")"
    mv "$tmp"/golang.org/toolchain@*/ "$dir"
    chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/* 2>/dev/null || true
    rm -rf "$tmp"
  fi
  echo "$dir/bin"
fi
