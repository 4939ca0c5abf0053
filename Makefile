# The two commands a newcomer needs are `make run` and `make test`.
# The scripts behind them live in scripts/.

SHELL := /bin/bash
.DEFAULT_GOAL := build

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@latest

.PHONY: run build test lint bench temporal clean

# Temporal dev server plus `yizhi dev`, state kept in data/; Ctrl-C stops both.
run:
	scripts/dev.sh

build:
	go build -o bin/yizhi ./cmd/yizhi

# All tests with -race; log in test-output/test.log, summary on the last line.
test:
	scripts/test.sh

lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt would reformat:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	@if command -v staticcheck >/dev/null 2>&1; then \
		echo "staticcheck ./..."; staticcheck ./...; \
	elif go run $(STATICCHECK) -version >/dev/null 2>&1; then \
		echo "go run $(STATICCHECK) ./..."; go run $(STATICCHECK) ./...; \
	else \
		echo "note: staticcheck skipped: it is not installed and $(STATICCHECK) could not be fetched"; \
	fi

# Every benchmark, each next to a baseline measured in the same run. The
# portal bench needs Debian's wrk and nginx (apt-get install wrk nginx);
# portal and claims use MariaDB on 127.0.0.1:3306. Sizes are chosen so the
# whole run fits in 10 minutes on 2 cores; README gives the full-size runs.
bench: build
	go test -run '^$$' -bench . -benchtime 1s ./lang/
	go test -run '^$$' -bench MachineAssistJudgment -benchtime 1x ./activities/
	go test -run '^$$' -bench PortalRead -benchmem ./api/
	bin/yizhi bench tm -pairs 300000 -queries 1000
	scripts/temporal-cli.sh >/dev/null
	bin/yizhi bench pipeline -docs 50 -langs 3
	GOGC=400 bin/yizhi bench portal -duration 5s # as docker-compose.yml runs the API
	bin/yizhi bench claims -tasks 300 -translators 100 -baseline 50
	bin/yizhi bench memory -docs 10000 -window 2m

# Build (once) the pinned Temporal CLI into bin/temporal.
temporal:
	scripts/temporal-cli.sh

# Keeps bin/temporal (slow to rebuild) and data/ (your local databases).
clean:
	rm -rf bin/yizhi test-output
