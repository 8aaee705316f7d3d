# Read Receipts — every task starts here. See README.md.
SHELL := /bin/bash
GO ?= go
# Override to build fewer platforms while developing: make dist PLATFORMS=linux-amd64
PLATFORMS ?= linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64.exe
EXECUTABLES := $(addprefix server/dist/plugin-,$(PLATFORMS))
HOST_PLATFORM := $(shell $(GO) env GOOS)-$(shell $(GO) env GOARCH)$(if $(filter windows,$(shell $(GO) env GOOS)),.exe)
SERVER_SOURCES := $(shell find server -name '*.go' -not -name '*_test.go') go.mod go.sum plugin.json
WEBAPP_SOURCES := $(shell find webapp/src -type f 2>/dev/null) webapp/package.json webapp/vite.config.ts
ID := $(shell $(GO) run ./build/manifest id 2>/dev/null)
VERSION := $(shell $(GO) run ./build/manifest version 2>/dev/null)
BUNDLE := dist/$(ID)-$(VERSION).tar.gz
# The local server's address follows MM_PORT (build/server.sh), unless MM_SITE_URL names another.
export MM_PORT ?= 8065
export MM_SITE_URL ?= http://127.0.0.1:$(MM_PORT)
STATICCHECK_VERSION := v0.8.2
GOBIN_LOCAL := $(CURDIR)/.cache/gobin

.PHONY: all manifest server webapp dist run stop test test-go test-webapp test-integration test-e2e bench check lint-go server-up clean

all: dist

manifest:
	@$(GO) run ./build/manifest apply

## server: the plugin's server executables for every platform in plugin.json
server: manifest $(EXECUTABLES)

# The stem is os-arch, with .exe for Windows.
server/dist/plugin-%: $(SERVER_SOURCES)
	@mkdir -p server/dist
	GOOS=$(word 1,$(subst -, ,$*)) GOARCH=$(word 2,$(subst -, ,$(basename $*))) CGO_ENABLED=0 \
		$(GO) build -trimpath -o $@ ./server

webapp/node_modules: webapp/package-lock.json
	cd webapp && npm ci --no-audit --no-fund
	@touch $@

## webapp: the production bundle webapp/dist/main.js
webapp: manifest webapp/node_modules webapp/dist/main.js
webapp/dist/main.js: $(WEBAPP_SOURCES)
	cd webapp && npm run build

## dist: the bundle that Mattermost accepts as an upload
dist: server webapp
	@build/bundle.sh

## server-up: a local Mattermost with PostgreSQL (built once, reused)
server-up:
	@build/server.sh start

## run: everything a person needs to try the plugin locally (the bundle for this machine only, to start fast)
run: manifest
	@$(MAKE) --no-print-directory dist PLATFORMS=$(HOST_PLATFORM)
	@build/server.sh start
	@cd test/integration && $(GO) run ./cmd/demo --bundle ../../$(BUNDLE)
	@build/hostpage.sh start
	@echo
	@echo "Watch receipts arrive in the project's host page: http://127.0.0.1:$${HOST_PAGE_PORT:-8070}"
	@echo "  open it in two browser windows (one private), log in as alice and as bob (password above),"
	@echo "  post as alice in the DM, and look at it as bob."

stop:
	@build/hostpage.sh stop
	@build/server.sh stop

## test: every test
test: test-go test-webapp test-integration test-e2e

test-go: manifest
	$(GO) test -race -count=1 ./...

test-webapp: manifest webapp/node_modules
	cd webapp && npm test

test-integration: dist server-up
	READRECEIPTS_TEST_DATABASE="postgres://mmuser:mmuser@127.0.0.1:$${PG_PORT:-55432}/mattermost?sslmode=disable" \
		$(GO) test -count=1 -run 'TestBatchStatementsTouchOnlyTheirRows|TestRecentPostsLeaveOutOneUser' ./server/
	cd test/integration && PLUGIN_BUNDLE=$(CURDIR)/$(BUNDLE) $(GO) test -count=1 -timeout 20m ./...

test-e2e: dist server-up
	@cd test/integration && $(GO) run ./cmd/demo --bundle ../../$(BUNDLE) --quiet --env-file $(CURDIR)/.cache/demo.env
	source .cache/demo.env && cd webapp && npm run e2e

## bench: issue 9's figures, the plugin next to the server's own operations on the real server (5–8 min;
## restarts the server twice; prints a Markdown table). The bundle is built for this machine only.
bench: manifest
	@$(MAKE) --no-print-directory dist PLATFORMS=$(HOST_PLATFORM)
	@build/server.sh start
	cd test/integration && PLUGIN_BUNDLE=$(CURDIR)/$(BUNDLE) $(GO) test -count=1 -run '^$$' -bench AgainstServer -benchtime 1x -timeout 30m ./

## check: static checks
check: manifest webapp/node_modules lint-go
	@test -z "$$(gofmt -l server build test)" || { gofmt -l server build test; echo "run gofmt -w"; exit 1; }
	$(GO) vet ./...
	cd test/integration && $(GO) vet ./...
	cd webapp && npm run typecheck && npm run lint

lint-go: $(GOBIN_LOCAL)/staticcheck
	$(GOBIN_LOCAL)/staticcheck ./...
	cd test/integration && $(GOBIN_LOCAL)/staticcheck ./...

$(GOBIN_LOCAL)/staticcheck:
	GOBIN=$(GOBIN_LOCAL) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

clean:
	rm -rf dist server/dist webapp/dist
