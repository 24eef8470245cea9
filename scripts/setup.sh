#!/usr/bin/env bash
# setup.sh installs what building and testing Hài Lòng needs on Debian:
# the C libraries for Fyne's cgo build, Xvfb for UI tests, sqlite3 for
# benchmarks, and a Go toolchain when the machine has none (or an old one);
# with --test also PostgreSQL's server for the hub's tests (they start
# their own throwaway cluster; the package's own cluster is not used),
# staticcheck, govulncheck and the Go vulnerability database, all but
# PostgreSQL through the Go module proxy. It prints the directories to put
# in front of PATH (joined by ':'), or nothing. It is idempotent and quiet
# when everything is already present.
set -euo pipefail

want_go=1.26.11 # the first 1.26 release without a vulnerability govulncheck reports
# Checkers for `make test` (versions pinned; bump them deliberately).
staticcheck_version=v0.8.2                     # staticcheck 2026.2.2
govulncheck_version=v1.9.0                     # golang.org/x/vuln
vulndb_version=v0.0.0-20261105234957-e22db6528018 # golang.org/x/vulndb: the OSV files of that day
pkgs=(gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev libxinerama-dev
      libxi-dev libxxf86vm-dev xvfb xauth x11-apps sqlite3 curl unzip ca-certificates)
if [ "${1:-}" = "--test" ]; then
  # libreoffice-calc-nogui (~90 MB download): app/export opens the exports in it.
  # poppler-utils: pdftotext and pdftoppm read the hub's slip sheets back.
  pkgs+=(espeak-ng chromium chromium-driver libreoffice-calc-nogui postgresql poppler-utils)
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
  export PATH="$dir/bin:$PATH"
  path_out="$dir/bin"
fi

# The checkers, built from source by the Go module proxy's modules into a
# cache directory. govulncheck reads the vulnerability database from disk
# (the database site is not reachable here): it is built from the OSV files
# in golang.org/x/vulndb by that module's own indexdb command, into
# $tools/vulndb, which the Makefile passes to govulncheck -db.
if [ "${1:-}" = "--test" ]; then
  tools="$HOME/.cache/hailong/tools"
  bin="$tools/bin-$staticcheck_version-$govulncheck_version"
  if [ ! -x "$bin/staticcheck" ] || [ ! -x "$bin/govulncheck" ]; then
    echo "setup: building staticcheck $staticcheck_version and govulncheck $govulncheck_version" >&2
    GOBIN="$bin" go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
    GOBIN="$bin" go install "golang.org/x/vuln/cmd/govulncheck@$govulncheck_version"
  fi
  db="$tools/vulndb-$vulndb_version"
  if [ ! -f "$db/index/db.json" ]; then
    echo "setup: building the Go vulnerability database of golang.org/x/vulndb@$vulndb_version" >&2
    src=$(go mod download -json "golang.org/x/vulndb@$vulndb_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    rm -rf "$db.tmp"
    go run "golang.org/x/vulndb/cmd/indexdb@$vulndb_version" -vulns "$src/data/osv" -out "$db.tmp"
    mv "$db.tmp" "$db"
  fi
  ln -sfn "$db" "$tools/vulndb"
  path_out="${path_out:+$path_out:}$bin"
fi
if [ -n "${path_out:-}" ]; then
  echo "$path_out"
fi
