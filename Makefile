# clearpack: two commands on a fresh machine.
#   make demo   builds bin/clearpack and runs the sample program into ./var/archive
#   make test   installs what the tests need (MinIO, Versity Gateway, cosign,
#               poppler-utils, qpdf) and runs every test with -race
SHELL := /bin/bash
export GOTOOLCHAIN := local
BIN := $(CURDIR)/bin
export PATH := $(BIN):$(PATH)

MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
VERSITYGW_VERSION := v1.8.0
COSIGN_VERSION := v2.6.5
APT_TOOLS := pdftotext:poppler-utils qpdf:qpdf

.PHONY: all build demo test test-short bench tools apt-tools clean

all: build

build:
	go build -o $(BIN)/clearpack ./cmd/clearpack

demo: build
	@mkdir -p var
	$(BIN)/clearpack keygen --if-missing --out var/dev-signing-key.pem
	$(BIN)/clearpack run \
		--inventory testdata/sample/inventory.csv \
		--plan testdata/sample/plan.yaml \
		--clearances testdata/sample/clearances.yaml \
		--key var/dev-signing-key.pem \
		--archive var/archive

test: tools
	go vet ./...
	go test -race -count=1 -timeout 40m ./...

# Quick loop while developing: no installs, no race detector.
test-short:
	go test -short ./...

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
