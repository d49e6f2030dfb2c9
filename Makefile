# parkplan — the two commands are `make run` and `make test` (see README.md).
#
# Without DATABASE_URL, scripts/db.sh installs PostGIS from Debian if needed and
# starts a private cluster under .pg/ on 127.0.0.1:55432 (the system cluster is
# never touched). With DATABASE_URL set, that server is used instead.
SHELL := /bin/bash
GO ?= go
BIN := bin/parkplan
ADDR ?= 127.0.0.1:8080
DEMO := out/demo
SCENARIO ?= scenarios/baseline.yaml
DBURL = $$(scripts/db.sh)

.PHONY: run test build lint deps db db-stop bench bench-solver bench-api bench-import bench-scale bench-jobs bench-county-jobs bench-province bench-province-jobs generate clean

build:
	$(GO) build -o $(BIN) ./cmd/parkplan

deps:
	@scripts/deps.sh

db:
	@scripts/db.sh >/dev/null

db-stop:
	scripts/db.sh stop

# run: database, demo data, baseline plan, then the API and map at http://$(ADDR)/
# (STANDBY=1: reads from a hot standby of the private cluster, scripts/db.sh standby)
STANDBY ?=
run: build
	@url=$(DBURL); export DATABASE_URL="$$url"; set -e; \
	$(BIN) migrate up; \
	$(BIN) demo --out $(DEMO); \
	$(BIN) import $(DEMO); \
	$(BIN) summary; \
	$(BIN) solve --scenario $(SCENARIO) --out out/baseline --publish; \
	$(BIN) evaluate --save; \
	echo "parkplan: serving on http://$(ADDR)/ (Ctrl-C to stop)"; \
	read_db=(); if [ -n "$(STANDBY)" ]; then read_db=(--read-db "$$(scripts/db.sh standby)"); fi; \
	exec $(BIN) serve --addr $(ADDR) "$${read_db[@]}"

# test: the whole suite, PostGIS, CBC, GDAL and Chromium tests included.
test: deps lint
	@url=$(DBURL); DATABASE_URL="$$url" $(GO) test -count=1 -timeout 30m ./...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	scripts/check-imports.sh

# generate: regenerate committed artefacts; must leave no diff.
generate:
	$(GO) generate ./...

bench: bench-solver bench-api bench-import bench-scale bench-jobs bench-county-jobs bench-province bench-province-jobs

bench-solver: build
	scripts/bench-solver.sh

bench-api: build
	scripts/bench-api.sh

bench-import: build
	scripts/bench-import.sh

# bench-scale: reads with 0 and 1 hot standby, tiles against pg_tileserv
# (PG_TILESERV=/path/to/pg_tileserv, built outside this repository); docs/scale.md.
bench-scale: build
	scripts/bench-scale.sh

# bench-jobs: queued solves on 1, 2, 3 workers and the projection; docs/scale-jobs.md.
bench-jobs: build
	scripts/bench-jobs.sh

# bench-province: provinces of 12, 30, 90 demo counties sharing a new-land
# pool: time to plan, gap, projection, equal split, CBC; docs/province.md.
bench-province:
	scripts/bench-province.sh

# bench-province-jobs: the 12-county province-demo solved in process and as
# River jobs on 1 and 2 `parkplan worker` processes; docs/province.md.
bench-province-jobs: build
	scripts/bench-province-jobs.sh

# bench-county-jobs: the job engine's cost per county task of a province round
# (enqueue; round trip on 1, 2, 3 workers); docs/scale-jobs.md.
bench-county-jobs:
	@url=$(DBURL); DATABASE_URL="$$url" $(GO) test -run '^$$' -bench BenchmarkCounty -benchtime 3x ./jobs/

clean:
	rm -rf bin out

-include web.mk
