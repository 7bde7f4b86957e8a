# slasim: the two commands a new machine needs are `make run` and `make test`.
GO       ?= go
SCENARIO ?= scenarios/black-friday.toml
RT5_PORT ?= 8080
RT5_ENV  ?= /tmp/slasim-rt5.env
BIN      := bin/slasim
SHELL    := /bin/bash

.PHONY: all build run test test-long bench fuzz lint rt5-up rt5-down clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/slasim

## run: simulate the bundled Black Friday scenario and print the summary
run: build
	./$(BIN) run $(SCENARIO)

## test: every test, including the fuzz seed corpora and the Erlang agreement grid;
## ends with the tests that skipped and why (go test's own exit code is kept)
test:
	@set -o pipefail; $(GO) test -json -count=1 ./... | $(GO) run ./scripts/testsummary

## test-long: the long checks behind -long (the Black Friday staffing plan against its targets,
## the README's Black Friday examples, calibration's long known answers); CI runs them too
test-long:
	$(GO) test -count=1 -timeout 60m ./cmd/slasim ./sim/staffing ./sim/calibrate -args -long

## staffing-table: plan every bundled scenario in every --meet mode (the README's table; minutes)
staffing-table:
	$(GO) run ./scripts/staffmodes

## bench: engine, Erlang and replay benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: fuzz the scenario loader, then load-and-run, for a minute each
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./model
	$(GO) test -run '^$$' -fuzz FuzzScenarioRun -fuzztime 60s ./sim

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

## rt5-up / rt5-down: a local Request Tracker 5 for the replay integration test
rt5-up:
	bash scripts/rt5-up.sh $(RT5_PORT) $(RT5_ENV)

rt5-down:
	bash scripts/rt5-down.sh

clean:
	rm -rf bin
