# clearpack: two commands on a fresh machine.
#   make demo   builds bin/clearpack and runs the sample program into ./var/archive
#   make test   installs what the tests need (MinIO, Versity Gateway, cosign,
#               poppler-utils, qpdf, openssl, chromium) and runs every test
#               with -race
SHELL := /bin/bash
export GOTOOLCHAIN := local
BIN := $(CURDIR)/bin
export PATH := $(BIN):$(PATH)

MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
VERSITYGW_VERSION := v1.8.0
COSIGN_VERSION := v2.6.5
APT_TOOLS := pdftotext:poppler-utils qpdf:qpdf openssl:openssl chromium:chromium zbarimg:zbar-tools
# Only make bench needs these (the alternatives it measures clearpack against).
BENCH_APT := chromium:chromium wkhtmltopdf:wkhtmltopdf
FUZZTIME ?= 20s
FUZZ_TARGETS := FuzzReadInventoryCSV FuzzReadInventoryJSON FuzzReadInventoryYAML FuzzLoadPlan FuzzReadClearances

.PHONY: all build demo test test-short bench faults fuzz tools apt-tools bench-apt clean

all: build

build:
	go build -o $(BIN)/clearpack ./cmd/clearpack

# The sample program stops one shipment on purpose (testdata/sample/README.md),
# so run exits 3 (some shipments not archived); the demo treats that as shown.
demo: build
	@mkdir -p var
	$(BIN)/clearpack keygen --if-missing --out var/dev-signing-key.pem
	@rc=0; $(BIN)/clearpack run \
		--inventory testdata/sample/inventory.csv \
		--plan testdata/sample/plan.yaml \
		--clearances testdata/sample/clearances.yaml \
		--key var/dev-signing-key.pem \
		--archive var/archive || rc=$$?; \
	if [ $$rc -eq 3 ]; then echo "(exit 3: a shipment was stopped at the desk, as the sample intends)"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@echo
	@echo "Verifying the archive as an auditor would (trusting only var/dev-signing-key.pub):"
	$(BIN)/clearpack verify --archive var/archive --pub var/dev-signing-key.pub --quiet
	@echo
	@echo "Documents are in var/archive/programs/*/shipments/*/v*/ ; open any .pdf."

test: tools
	go vet ./...
	go test -race -count=1 -timeout 40m ./... ./testdata/sample/gen/...

# Quick loop while developing: no installs, no race detector.
test-short:
	go test -short ./...

# Benchmarks against maroto alone, Chromium and wkhtmltopdf, and the
# 100,000-unit memory run; writes bench/results/latest.md and latest.json.
bench: apt-tools bench-apt $(BIN)/minio
	go run ./bench/cmd/clearpack-bench -out bench/results

bench-apt:
	@$(MAKE) --no-print-directory apt-tools APT_TOOLS="$(BENCH_APT)"

# Fault tests (SIGKILL mid-run, MinIO stopped, disk full, unusable keys, clock
# set back). make test runs them too; this runs them alone.
faults: apt-tools $(BIN)/minio
	go test -count=1 -timeout 15m ./faults/

# Each fuzz target for FUZZTIME (20s by default).
fuzz:
	@for f in $(FUZZ_TARGETS); do \
		echo "go test -run '^$$' -fuzz '^$$f$$' -fuzztime $(FUZZTIME) ./pipeline/ingest/"; \
		go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) ./pipeline/ingest/ || exit 1; \
	done

tools: apt-tools $(BIN)/minio $(BIN)/versitygw $(BIN)/cosign

apt-tools:
	@missing=""; for t in $(APT_TOOLS); do cmd=$${t%%:*}; pkg=$${t##*:}; \
		command -v $$cmd >/dev/null || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BIN)/minio:
	GOBIN=$(BIN) go install github.com/minio/minio@$(MINIO_VERSION)

$(BIN)/versitygw:
	GOBIN=$(BIN) go install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

$(BIN)/cosign:
	GOBIN=$(BIN) go install github.com/sigstore/cosign/v2/cmd/cosign@$(COSIGN_VERSION)

clean:
	rm -rf $(BIN)/clearpack
