# Hài Lòng: the two commands a fresh Debian machine needs are `make run` and
# `make test`; both install what they need first (scripts/setup.sh).
SHELL := /bin/bash
# Prepend a downloaded Go toolchain to PATH when setup.sh had to fetch one.
WITH_GO = d=$$(scripts/setup.sh $(1)); if [ -n "$$d" ]; then export PATH="$$d:$$PATH"; fi;

# Screenshot tests open real windows and grab the X screen: one package at a
# time, so that no window covers another's. They write docs/screenshots.
SHOTS = HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" \
	  go test -p 1 -count=1 -timeout 20m -run 'Screenshot|Browser' ./app/... ./sync/hub/web

# The packages whose goroutines share state: run under the race detector too.
RACE = ./app/store/... ./sync/client/... ./sync/hub/...

.PHONY: run test build hub vet screenshots bench package package-linux package-windows clean

## run: start the kiosk in a window with the built-in surveys and a local database.
run:
	@$(call WITH_GO) go run . $(ARGS)

## test: vet, staticcheck and govulncheck, every test (UI tests in a real window under Xvfb),
## the race detector over the concurrent packages (kiosk store, sync client, hub), screenshots.
test:
	@$(call WITH_GO,--test) go vet ./... && \
	  staticcheck ./... && \
	  govulncheck -db "file://$$HOME/.cache/hailong/tools/vulndb" ./... && \
	  HAILONG_REQUIRE_BROWSER=1 HAILONG_REQUIRE_OFFICE=1 HAILONG_REQUIRE_POPPLER=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -timeout 40m ./... && \
	  go test -race -timeout 30m $(RACE) && \
	  $(SHOTS)

## build: the kiosk and hub binaries in the repository root.
build:
	@$(call WITH_GO) go build -o hailong . && go build -o hailong-hub ./sync/cmd/hailong-hub

## hub: run the hub on 127.0.0.1:8080 with hub.db.
hub:
	@$(call WITH_GO) go run ./sync/cmd/hailong-hub serve --db hub.db --listen 127.0.0.1:8080

## screenshots: regenerate docs/screenshots under Xvfb.
screenshots:
	@$(call WITH_GO,--test) $(SHOTS)

## bench: every benchmark (see docs/BENCHMARKS.md for each one's own command).
bench:
	@$(call WITH_GO,--test) xvfb-run -a -s "-screen 0 1280x800x24" go test -run '^$$' -bench . ./...

## package: Linux tarball and Windows .exe into dist/ (docs/install.md).
package:
	@$(call WITH_GO) scripts/package.sh

package-linux:
	@$(call WITH_GO) scripts/package.sh linux

package-windows:
	@$(call WITH_GO) scripts/package.sh windows

clean:
	rm -rf dist hailong hailong-hub
