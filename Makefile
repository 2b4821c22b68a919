# xonvo-import — `make demo` runs an import into the embedded sandbox with no
# credentials; `make test` runs every test with the race detector.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build install test demo bench fuzz vet fmt clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/xonvo-import .

# install puts xonvo-import in $(go env GOPATH)/bin (or GOBIN).
install:
	$(GO) install -ldflags "$(LDFLAGS)" .

test:
	$(GO) test -race -count=1 ./...

STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) mod tidy -diff
	$(STATICCHECK) ./...

demo:
	@mkdir -p out
	$(GO) run . import samples/leads.csv --mapping samples/mapping.yaml --sandbox --rate 0 --report out/demo-report.csv

bench: build
	$(GO) run ./internal/benchrun -bin bin/xonvo-import -out BENCHMARKS.md

fuzz:
	$(GO) test ./importer -run '^$$' -fuzz FuzzReadAndMap -fuzztime 60s
	$(GO) test ./source/xlsx -run '^$$' -fuzz FuzzXLSXMatchesExcelize -fuzztime 60s

clean:
	rm -rf bin out
