# parkplan — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
GO ?= go
BIN := bin/parkplan

.PHONY: run test build lint db db-stop clean

build:
	$(GO) build -o $(BIN) ./cmd/parkplan

db:
	@scripts/db.sh >/dev/null

db-stop:
	scripts/db.sh stop

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	scripts/check-imports.sh

test: lint
	DATABASE_URL="$$(scripts/db.sh)" $(GO) test -count=1 ./...

clean:
	rm -rf bin out
