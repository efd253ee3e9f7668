# clearpack: two commands on a fresh machine.
#   make demo   builds bin/clearpack and runs the sample program into ./var/archive
#   make image  builds the container image into dist/ (no network, no engine)
#   make test   installs what the tests need (MinIO, Versity Gateway, cosign,
#               staticcheck, mailpit, poppler-utils, qpdf, openssl, chromium,
#               openssh-sftp-server, openssh-server, systemd-analyze, podman, runc),
#               runs go vet and staticcheck, and runs every test with -race
SHELL := /bin/bash
export GOTOOLCHAIN := local
BIN := $(CURDIR)/bin
export PATH := $(BIN):$(PATH)

MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
VERSITYGW_VERSION := v1.8.0
COSIGN_VERSION := v2.6.5
# staticcheck 2026.2.2, which builds with Go 1.26.
STATICCHECK_VERSION := v0.8.2
# v2.1.4 and later need Go 1.27; v2.1.3 is the newest that builds with Go 1.26.
TIMESTAMP_AUTHORITY_VERSION := v2.1.3
# litewitness (C2SP tlog-witness); v0.10.0 needs a newer Go. Its witnessctl
# needs sigsum-go, which the module proxy here refuses: the tests register
# logs in litewitness's SQLite database with sqlite3 instead.
TORCHWOOD_VERSION := v0.6.1
MAILPIT_VERSION := v1.33.1
APT_TOOLS := pdftotext:poppler-utils qpdf:qpdf openssl:openssl chromium:chromium sqlite3:sqlite3 ssh-agent:openssh-client \
	/usr/lib/openssh/sftp-server:openssh-sftp-server /usr/sbin/sshd:openssh-server systemd-analyze:systemd \
	zbarimg:zbar-tools podman:podman runc:runc man:man-db /usr/share/bash-completion/bash_completion:bash-completion
# Only make bench needs these (the alternatives it measures clearpack against).
BENCH_APT := chromium:chromium wkhtmltopdf:wkhtmltopdf
FUZZTIME ?= 20s
FUZZ_TARGETS := FuzzReadInventoryCSV FuzzReadInventoryJSON FuzzReadInventoryYAML FuzzLoadPlan FuzzReadClearances

# The release version: the git tag (vMAJOR.MINOR.PATCH, semantic versioning)
# when one is reachable from HEAD (git describe: v1.2.3 on the tag,
# v1.2.3-4-gHASH after it, -dirty with uncommitted changes), else the next
# release the VERSION file names with -dev; make release VERSION=v1.2.3.
# docs/RELEASING.md says how to cut a release.
NEXT_VERSION := $(shell cat $(CURDIR)/VERSION)
VERSION ?= $(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null || echo v$(NEXT_VERSION)-dev)
REVISION := $(shell git rev-parse HEAD 2>/dev/null)
# The image's creation time and its files' times: the commit's, so the same
# commit gives the same image digest.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# make image tags $(IMAGE):$(VERSION); set IMAGE to your registry's name.
IMAGE ?= ghcr.io/clearpack/clearpack
IMAGE_ARCH ?= $(shell go env GOARCH)
DIST ?= dist
RELEASE_PLATFORMS := linux/amd64 linux/arm64
RELEASE_LDFLAGS := -s -w -X github.com/clearpack/clearpack/pipeline.Version=$(VERSION)


.PHONY: all build man release image version demo test test-short lint bench faults fuzz tools apt-tools bench-apt clean

all: build

# The version is stamped here too, so that bin/clearpack --version (and every
# manifest's generator) names the tag or the -dev release, not "devel".
build:
	go build -ldflags '-X github.com/clearpack/clearpack/pipeline.Version=$(VERSION)' -o $(BIN)/clearpack ./cmd/clearpack

# Man pages (docs/man/clearpack*.1) from the commands' own help; dated by the
# last commit, so that they change only when the help does.
man:
	rm -rf docs/man
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || date +%s) \
		go run -ldflags '$(RELEASE_LDFLAGS)' ./cmd/clearpack man docs/man

# Static binaries (no cgo, no build paths) for each platform in dist/, with
# the version stamped, and their SHA256SUMS.
release:
	rm -rf dist && mkdir -p dist
	@for p in $(RELEASE_PLATFORMS); do os=$${p%/*}; arch=$${p#*/}; \
		echo "CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags '$(RELEASE_LDFLAGS)' -o dist/clearpack_$(VERSION)_$${os}_$$arch ./cmd/clearpack"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags '$(RELEASE_LDFLAGS)' \
			-o dist/clearpack_$(VERSION)_$${os}_$$arch ./cmd/clearpack || exit 1; \
	done
	cd dist && sha256sum clearpack_* > SHA256SUMS
	@cat dist/SHA256SUMS

# The container image, built without a network or a container engine: the
# static binary as make release builds it, the build machine's CA
# certificates and a non-root user (65532) over an empty base, as an OCI
# layout ($(DIST)/image-oci) and a docker-archive for docker/podman load
# ($(DIST)/clearpack_$(VERSION)_image_linux_$(IMAGE_ARCH).tar).
CA_CERTS ?= /etc/ssl/certs/ca-certificates.crt
image: $(CA_CERTS)
	mkdir -p $(DIST)/image
	CGO_ENABLED=0 GOOS=linux GOARCH=$(IMAGE_ARCH) go build -trimpath -ldflags '$(RELEASE_LDFLAGS)' \
		-o $(DIST)/image/clearpack ./cmd/clearpack
	go run ./tools/mkimage -binary $(DIST)/image/clearpack -arch $(IMAGE_ARCH) -ca $(CA_CERTS) \
		-tag $(IMAGE):$(VERSION) -version $(VERSION) -revision '$(REVISION)' -created $(SOURCE_DATE_EPOCH) \
		-oci $(DIST)/image-oci -docker-archive $(DIST)/clearpack_$(VERSION)_image_linux_$(IMAGE_ARCH).tar

# Debian's CA bundle, which the image carries.
/etc/ssl/certs/ca-certificates.crt:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ca-certificates

# The version make release and make image stamp.
version:
	@echo $(VERSION)

# make print-VAR prints a variable as make computes it (the tests read them).
print-%:
	@echo '$($*)'

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
	@echo "The signature inside a document, as poppler sees it (development CA, so -nocert):"
	pdfsig -nocert $$(ls var/archive/programs/*/shipments/*/v*/commercial-invoice.pdf | head -n 1) | grep -E 'Common Name|Signature Type|Total document|Validation' \
		|| echo "(no signature inside: var/archive predates signed documents; rm -rf var and run make demo again)"
	@echo
	@echo "Documents are in var/archive/programs/*/shipments/*/v*/ ; open any .pdf."

test: tools lint
	go test -race -count=1 -timeout 40m ./... ./testdata/sample/gen/...
	# third_party/* are their own modules (forks under replace directives):
	# ./... above does not reach them.
	cd third_party/gofpdf && go vet ./... && go test -race -count=1 ./...
	cd third_party/barcode && go vet -composites=false ./... && go test -race -count=1 ./...
	cd third_party/maroto && go vet ./... && go test -race -count=1 ./...

# gofmt (the forks under third_party too), go vet and staticcheck over the whole tree; make test runs it first.
lint: $(BIN)/staticcheck
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./... ./testdata/sample/gen/...
	$(BIN)/staticcheck ./... ./testdata/sample/gen/...

# Quick loop while developing: no installs, no race detector.
test-short:
	go test -short ./...

# Benchmarks against maroto alone, Chromium and wkhtmltopdf, a 1,000-unit
# program run as 1, 2 and 4 shards at once (run --shard, verified after), and
# the 100,000-unit memory run (peak RSS, CPU per unit against the 10,000-unit
# run); writes bench/results/latest.md and latest.json.
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

tools: apt-tools $(BIN)/minio $(BIN)/versitygw $(BIN)/cosign $(BIN)/timestamp-server $(BIN)/litewitness $(BIN)/mailpit

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

# A real SMTP server with an HTTP API, for the delivery tests.
$(BIN)/mailpit:
	GOBIN=$(BIN) go install github.com/axllent/mailpit@$(MAILPIT_VERSION)

$(BIN)/cosign:
	GOBIN=$(BIN) go install github.com/sigstore/cosign/v2/cmd/cosign@$(COSIGN_VERSION)

$(BIN)/staticcheck:
	GOBIN=$(BIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# A C2SP tlog-witness, started on loopback by the tests.
$(BIN)/litewitness:
	GOBIN=$(BIN) go install filippo.io/torchwood/cmd/litewitness@$(TORCHWOOD_VERSION)

# sigstore's RFC 3161 time-stamp authority, started on loopback by the tests.
$(BIN)/timestamp-server:
	GOBIN=$(BIN) go install github.com/sigstore/timestamp-authority/v2/cmd/timestamp-server@$(TIMESTAMP_AUTHORITY_VERSION)

clean:
	rm -rf $(BIN)/clearpack dist
