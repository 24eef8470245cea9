#!/usr/bin/env bash
# package.sh builds installable Hài Lòng kiosk packages into dist/:
#
#   dist/hailong-<version>-linux-amd64.tar.xz   `fyne package -os linux`: the
#       binary, icon and .desktop file, with a Makefile for `sudo make install`
#   dist/hailong-<version>-windows-amd64.exe    cross-built with mingw-w64 (cgo
#       for Fyne and SQLite), icon, manifest and version info embedded
#
# Usage: scripts/package.sh [linux] [windows]     (both when none is named)
#
# It installs what it lacks: the fyne CLI (fyne.io/tools, pinned below) into
# $(go env GOPATH)/bin, and mingw-w64 from Debian's packages. When mingw-w64
# cannot be installed it says so and skips the Windows build, exiting 0 only
# if HAILONG_ALLOW_NO_WINDOWS=1 (CI sets nothing: a missing toolchain fails).
#
# The build runs in a staged copy of the work tree (tracked and untracked
# files, no dist/ or test binaries), because `fyne package` writes its
# binary, a Windows resource file (fyne.syso) and icons into the source
# folder while it works. The version comes from FyneApp.toml.
set -euo pipefail

fyne_tools_version=v1.7.4
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux windows)
for t in "${targets[@]}"; do
  case "$t" in linux | windows) ;; *) echo "package: unknown target $t (linux, windows)" >&2; exit 2 ;; esac
done

log() { echo "package: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

[ -f "$root/FyneApp.toml" ] || { log "FyneApp.toml missing at the repository root"; exit 1; }
[ -f "$root/main.go" ] || { log "main.go (the kiosk's entry point) missing at the repository root"; exit 1; }
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml" | head -1)
[ -n "$version" ] || { log "no Version in FyneApp.toml"; exit 1; }

# The fyne CLI, pinned so packages do not change under us.
fyne=$(command -v fyne || true)
if [ -z "$fyne" ] || ! "$fyne" version 2>/dev/null | grep -q "cli version: $fyne_tools_version"; then
  fyne="$(go env GOPATH)/bin/fyne"
  if [ ! -x "$fyne" ] || ! "$fyne" version 2>/dev/null | grep -q "cli version: $fyne_tools_version"; then
    log "installing the fyne CLI fyne.io/tools/cmd/fyne@$fyne_tools_version"
    (cd /tmp && GOFLAGS=-mod=mod go install "fyne.io/tools/cmd/fyne@$fyne_tools_version")
  fi
fi

# Stage the work tree.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
src="$stage/src"
mkdir -p "$src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  grep -zv -e '^dist/' -e '\.test$' -e '\.syso$' |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -C "$src" -xf -

# The icon: FyneApp.toml names a PNG; render it from the SVG source when
# only that is there.
icon=$(sed -n 's/^Icon *= *"\(.*\)"/\1/p' "$src/FyneApp.toml" | head -1)
icon=${icon:-Icon.png}
if [ ! -f "$src/$icon" ]; then
  svg="${icon%.png}.svg"
  [ -f "$src/$svg" ] || { log "no icon: neither $icon nor $svg"; exit 1; }
  log "rendering $icon from $svg"
  mkdir -p "$(dirname "$src/$icon")"
  (cd "$root" && go run ./scripts/svgpng -size 512 "$src/$svg" "$src/$icon")
fi

mkdir -p "$dist"
status=0
for t in "${targets[@]}"; do
  case "$t" in
  linux)
    log "building the Linux package (version $version)"
    rm -f "$src"/*.tar.xz
    (cd "$src" && "$fyne" package --os linux --release)
    pkg=$(ls "$src"/*.tar.xz)
    out="$dist/hailong-$version-linux-amd64.tar.xz"
    mv "$pkg" "$out"
    log "wrote $out ($(du -h "$out" | cut -f1))"
    ;;
  windows)
    if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
      log "installing mingw-w64 (gcc-mingw-w64-x86-64)"
      if ! { as_root apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
          gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 >/dev/null; }; then
        log "SKIPPED the Windows build: mingw-w64 could not be installed"
        [ "${HAILONG_ALLOW_NO_WINDOWS:-}" = 1 ] || status=1
        continue
      fi
    fi
    log "cross-building the Windows .exe with mingw-w64 (version $version)"
    rm -f "$src"/*.exe
    (cd "$src" && CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
      CGO_ENABLED=1 GOOS=windows GOARCH=amd64 "$fyne" package --os windows --release)
    exe=$(ls "$src"/*.exe)
    out="$dist/hailong-$version-windows-amd64.exe"
    mv "$exe" "$out"
    log "wrote $out ($(du -h "$out" | cut -f1))"
    ;;
  esac
done
exit $status
