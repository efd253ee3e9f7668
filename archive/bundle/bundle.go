// Package bundle builds the zip a customs broker receives for one shipment:
// the current pack's documents, their detached signatures, SHA256SUMS and its
// signature, the signed manifest, the issuer's public key and a README that
// tells the broker, step by step, how to check all of it with sha256sum,
// openssl and cosign.
//
// The zip is deterministic: entries are sorted by name, every header carries
// the same fixed time and mode, and nothing in it depends on the clock or on
// who builds it, so the same pack bundled twice for the same broker gives the
// same bytes (and the same digest in the audit log).
package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// Names of the files the bundle adds to the pack's own.
const (
	PublicKeyName = "public-key.pem"
	ReadmeName    = "README.txt"
)

// zipTime is the modification time written in every zip header, so that the
// zip does not depend on when it was built.
func zipTime() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

// Options say what to bundle for whom.
type Options struct {
	// Program is the program's archive slug, Shipment the shipment id.
	Program  string
	Shipment string
	// Version is the pack version; 0 means the latest complete one (the
	// shipment's current documents).
	Version int
	// Broker names who the bundle is for (letters, digits, - _ . only).
	Broker string
	// PublicKeyPEM is the issuer's document public key, included so the
	// broker can check the signatures (and compare its fingerprint with the
	// one the issuer gave them).
	PublicKeyPEM []byte
}

// File is one entry of the bundle.
type File struct {
	Name string
	Data []byte
}

// Bundle is a built bundle, ready to be written as a zip.
type Bundle struct {
	Program  string
	Shipment string
	Version  int
	Broker   string
	// Pack is the archive key of the pack directory, without trailing slash.
	Pack string
	// Dir is the directory name every entry sits in inside the zip.
	Dir string
	// Files are the entries, sorted by name.
	Files []File
	// KeyFingerprint is the SHA-256 (hex) of the public key's DER encoding.
	KeyFingerprint string
}

// Build reads the pack from the archive and assembles the bundle.
func Build(ctx context.Context, st archive.Store, o Options) (*Bundle, error) {
	ref := pack.Ref{Program: o.Program, Shipment: o.Shipment, Version: o.Version}
	if err := ref.Valid(); err != nil {
		return nil, err
	}
	if err := archive.ValidSegment(o.Broker); err != nil {
		return nil, fmt.Errorf("broker %q: %w", o.Broker, err)
	}
	fp, err := fingerprint(o.PublicKeyPEM)
	if err != nil {
		return nil, err
	}
	if ref.Version == 0 {
		if ref, err = pack.Latest(ctx, st, ref); err != nil {
			return nil, fmt.Errorf("bundling %w", err)
		}
	}
	dir := ref.Dir()
	b := &Bundle{
		Program: o.Program, Shipment: o.Shipment, Version: ref.Version, Broker: o.Broker,
		Pack: dir, Dir: o.Shipment + "-" + pack.VersionName(ref.Version), KeyFingerprint: fp,
	}
	var names []string
	err = pack.Scan(ctx, st, ref, func(k pack.Key, _ archive.Info) error {
		names = append(names, k.Name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	hasManifest := false
	for _, name := range names {
		data, err := archive.ReadAll(ctx, st, ref.Key(name))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", ref.Key(name), err)
		}
		if name == manifest.FileName {
			hasManifest = true
		}
		if name == PublicKeyName || name == ReadmeName {
			return nil, fmt.Errorf("bundling %s: the pack holds a file named %s, which the bundle adds itself", dir, name)
		}
		b.Files = append(b.Files, File{Name: name, Data: data})
	}
	if !hasManifest {
		return nil, fmt.Errorf("bundling %s: %w (no %s)", dir, pack.ErrNoPack, manifest.FileName)
	}
	b.Files = append(b.Files, File{Name: PublicKeyName, Data: o.PublicKeyPEM})
	readme, err := b.readme()
	if err != nil {
		return nil, err
	}
	b.Files = append(b.Files, File{Name: ReadmeName, Data: readme})
	sort.Slice(b.Files, func(i, j int) bool { return b.Files[i].Name < b.Files[j].Name })
	return b, nil
}

// Name is the file name for the zip: "<shipment>-vNNNN-<broker>.zip".
func (b *Bundle) Name() string { return fmt.Sprintf("%s-%s.zip", b.Dir, b.Broker) }

// Digests maps every entry's name to its lowercase hex SHA-256.
func (b *Bundle) Digests() map[string]string {
	m := make(map[string]string, len(b.Files))
	for _, f := range b.Files {
		sum := sha256.Sum256(f.Data)
		m[f.Name] = hex.EncodeToString(sum[:])
	}
	return m
}

// WriteZip writes the bundle as a zip whose entries sit in the directory
// b.Dir. The bytes depend only on the bundle's contents.
func (b *Bundle) WriteZip(w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, f := range b.Files {
		h := &zip.FileHeader{Name: b.Dir + "/" + f.Name, Method: zip.Deflate, Modified: zipTime()}
		h.SetMode(0o444)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("writing bundle entry %s: %w", f.Name, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("writing bundle entry %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("writing bundle: %w", err)
	}
	return nil
}

// Zip returns the zip's bytes.
func (b *Bundle) Zip() ([]byte, error) {
	var buf bytes.Buffer
	if err := b.WriteZip(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fingerprint is the SHA-256 of the DER public key in pemBytes.
func fingerprint(pemBytes []byte) (string, error) {
	blk, _ := pem.Decode(pemBytes)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		return "", errors.New("public key: not a PEM \"PUBLIC KEY\" block")
	}
	if _, err := x509.ParsePKIXPublicKey(blk.Bytes); err != nil {
		return "", fmt.Errorf("public key: %w", err)
	}
	sum := sha256.Sum256(blk.Bytes)
	return hex.EncodeToString(sum[:]), nil
}

// CheckScript is the shell block of the README, run in the bundle's
// directory. It stops at the first file that fails.
const CheckScript = `set -eu
# 1. Every document is present and unchanged.
sha256sum -c SHA256SUMS
# 2. The checksum list and every document are signed by the issuer's key.
#    (The .sig files are base64; openssl wants the raw bytes.)
for f in SHA256SUMS *.pdf; do
  base64 -d "$f.sig" > "$f.sig.der"
  openssl dgst -sha256 -verify public-key.pem -signature "$f.sig.der" "$f"
  rm "$f.sig.der"
done
`

// CosignScript is the optional cosign block of the README.
const CosignScript = `set -eu
for f in SHA256SUMS *.pdf; do
  cosign verify-blob --key public-key.pem --signature "$f.sig" --insecure-ignore-tlog=true "$f"
done
for f in *.pdf; do
  cosign verify-blob-attestation --key public-key.pem --type https://clearpack.dev/pack/v1 \
    --signature manifest.intoto.json --insecure-ignore-tlog=true "$f"
done
`

// What cosign v2 prints (on its error output) for each file of a good
// bundle, checked as CosignScript does: CosignWarnings, then CosignOK. The
// TUF warning comes only without a network (cosign tries to fetch sigstore's
// trusted root; these signatures need none of it), and ends with the reason
// the fetch failed. The README tells the broker exactly this; a test runs
// cosign offline and compares.
const (
	CosignOK            = "Verified OK"
	CosignTlogWarning   = "WARNING: Skipping tlog verification is an insecure practice that lacks transparency and auditability verification for the blob."
	CosignAttWarning    = "WARNING: Skipping tlog verification is an insecure practice that lacks transparency and auditability verification for the blob attestation."
	CosignOfflinePrefix = "WARNING: Could not fetch trusted_root.json from the TUF repository. Continuing with individual targets. Error from TUF: "
)

var readmeTmpl = template.Must(template.New("readme").Parse(`Customs documents for shipment {{.B.Shipment}} (pack version {{.B.Version}})
Program: {{.B.Program}}
Prepared for: {{.B.Broker}}

This folder holds the shipment's current documents exactly as they were
signed and archived, with what you need to check that nobody changed them.

Files
{{range .Files}}  {{.Sum}}  {{.Name}}
{{end}}
  *.pdf                 the documents
  *.pdf.sig             each document's signature (base64, ECDSA P-256 / SHA-256)
  SHA256SUMS (.sig)     the documents' SHA-256 checksums, and their signature
  manifest.intoto.json  the signed manifest (in-toto statement in a DSSE envelope)
  public-key.pem        the issuer's public key

Before you rely on public-key.pem, compare its fingerprint with the one the
issuer gave you by another channel (e-mail, portal, phone):

  openssl pkey -pubin -in public-key.pem -outform DER | sha256sum

must print {{.B.KeyFingerprint}}

How to check (Linux or macOS terminal, in this folder; needs sha256sum or
"shasum -a 256", base64 and openssl). Every line must print "OK" or
"Verified OK"; any other output means do not use the documents and tell
the issuer:

{{.Check}}
The same with cosign v2, if you have it (no network needed):

{{.Cosign}}
Each cosign command must print "{{.OK}}" as its last line. Before it, cosign
prints warnings that are expected for these documents: their signatures are
checked with public-key.pem alone, not against sigstore's public log. Each
verify-blob prints

  {{.Tlog}}

each verify-blob-attestation prints

  {{.Att}}

and, without a network, each command also prints

  {{.Offline}}...

followed by why the network could not be reached. Any other line, or a
missing "{{.OK}}", means do not use the documents and tell the issuer.

To read the manifest (which documents, their digests, the shipment):

  cut -d'"' -f8 manifest.intoto.json | base64 -d
`))

func (b *Bundle) readme() ([]byte, error) {
	type row struct{ Sum, Name string }
	var rows []row
	for _, f := range b.Files {
		sum := sha256.Sum256(f.Data)
		rows = append(rows, row{hex.EncodeToString(sum[:]), f.Name})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	var buf bytes.Buffer
	err := readmeTmpl.Execute(&buf, map[string]any{
		"B": b, "Files": rows, "Check": indent(CheckScript), "Cosign": indent(CosignScript),
		"OK": CosignOK, "Tlog": CosignTlogWarning, "Att": CosignAttWarning, "Offline": CosignOfflinePrefix,
	})
	if err != nil {
		return nil, fmt.Errorf("writing the bundle README: %w", err)
	}
	return buf.Bytes(), nil
}

func indent(s string) string {
	var out strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" && l != "\n" {
			out.WriteString("  ")
		}
		out.WriteString(l)
	}
	return out.String()
}
