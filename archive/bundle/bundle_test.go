package bundle_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/bundle"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

const (
	program  = "apac-latam-server-refresh-2026"
	shipment = "APL26-ID-02"
)

// archived is the sample program run once through the real pipeline into
// an in-memory archive, shared by the tests (they only read it).
type archived struct {
	st  *mem.Store
	pub []byte
}

var (
	fixtureOnce sync.Once
	fixture     archived
	fixtureErr  error
)

func sampleArchive(t *testing.T) archived {
	t.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = buildArchive(t.TempDir()) })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixture
}

func buildArchive(dir string) (archived, error) {
	ctx := context.Background()
	key := filepath.Join(dir, "key.pem")
	if err := signing.Keygen(key, nil); err != nil {
		return archived{}, err
	}
	s, err := signing.Load(ctx, signing.Options{KeyPath: key})
	if err != nil {
		return archived{}, err
	}
	st := mem.New()
	rend, err := renderers.New()
	if err != nil {
		return archived{}, err
	}
	book, err := rules.Load("")
	if err != nil {
		return archived{}, err
	}
	l, err := auditlog.Open(ctx, st, s, auditlog.Options{Name: "bundle-test"})
	if err != nil {
		return archived{}, err
	}
	r := &pipeline.Runner{Store: st, Signer: s, Renderer: rend, Rules: book, Log: l, Actor: "test"}
	files := ingest.Files{
		Inventory: "../../testdata/sample/inventory.csv", Plan: "../../testdata/sample/plan.yaml",
		Clearances: "../../testdata/sample/clearances.yaml",
	}
	if _, err := r.Run(ctx, files, ingest.DefaultLimits()); err != nil {
		return archived{}, err
	}
	return archived{st: st, pub: s.PublicKeyPEM()}, nil
}

// tool: see internal/testenv.
func tool(t *testing.T, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

// unzip extracts z into a new directory and returns the bundle's folder.
func unzip(t *testing.T, z []byte) (string, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
			t.Fatalf("unsafe entry %q", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, names
}

func build(t *testing.T, a archived, broker string) (*bundle.Bundle, []byte) {
	t.Helper()
	b, err := bundle.Build(context.Background(), a.st, bundle.Options{
		Program: program, Shipment: shipment, Broker: broker, PublicKeyPEM: a.pub,
	})
	if err != nil {
		t.Fatal(err)
	}
	z, err := b.Zip()
	if err != nil {
		t.Fatal(err)
	}
	return b, z
}

func TestBundleHoldsThePackAndIsDeterministic(t *testing.T) {
	a := sampleArchive(t)
	b, z := build(t, a, "acme-brokers")
	if b.Version != 1 || b.Pack != "programs/"+program+"/shipments/"+shipment+"/v0001" {
		t.Fatalf("bundled %s version %d", b.Pack, b.Version)
	}
	if b.Name() != shipment+"-v0001-acme-brokers.zip" {
		t.Errorf("name %q", b.Name())
	}
	_, names := unzip(t, z)
	want := []string{"README.txt", "SHA256SUMS", "SHA256SUMS.sig", "commercial-invoice.pdf", "commercial-invoice.pdf.sig", "manifest.intoto.json", "public-key.pem"}
	for _, w := range want {
		found := false
		for _, n := range names {
			if n == b.Dir+"/"+w {
				found = true
			}
		}
		if !found {
			t.Errorf("zip lacks %s/%s; has %v", b.Dir, w, names)
		}
	}
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("entries not sorted: %q before %q", names[i-1], names[i])
		}
	}
	// Every pack file is in the zip byte for byte.
	n := 0
	err := a.st.List(context.Background(), b.Pack+"/", func(in archive.Info) error {
		n++
		want, err := archive.ReadAll(context.Background(), a.st, in.Key)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(in.Key, b.Pack+"/")
		for _, f := range b.Files {
			if f.Name == name {
				if !bytes.Equal(f.Data, want) {
					t.Errorf("%s differs from the archive", name)
				}
				return nil
			}
		}
		t.Errorf("%s is missing from the bundle", name)
		return nil
	})
	if err != nil || n < 5 {
		t.Fatalf("listing the pack: %d objects, %v", n, err)
	}
	if got := b.Digests()["public-key.pem"]; len(got) != 64 {
		t.Errorf("digest of public-key.pem %q", got)
	}
	// Same pack, same broker: same bytes.
	_, z2 := build(t, a, "acme-brokers")
	if !bytes.Equal(z, z2) {
		t.Error("two builds of the same bundle differ")
	}
	readme := string(b.Files[0].Data)
	for _, w := range []string{"Prepared for: acme-brokers", "shipment " + shipment, b.KeyFingerprint, "sha256sum -c SHA256SUMS", "openssl dgst -sha256 -verify public-key.pem", "cosign verify-blob --key public-key.pem"} {
		if !strings.Contains(readme, w) {
			t.Errorf("README lacks %q:\n%s", w, readme)
		}
	}
}

// The README's commands, run as a broker would, pass on the bundle and fail
// once a document is changed.
func TestReadmeCommandsCheckTheBundle(t *testing.T) {
	for _, name := range []string{"sh", "sha256sum", "base64", "openssl"} {
		tool(t, name)
	}
	a := sampleArchive(t)
	b, z := build(t, a, "acme-brokers")
	root, _ := unzip(t, z)
	dir := filepath.Join(root, b.Dir)
	run := func(script string) (string, error) {
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+filepath.Join(mustAbs(t, "../../bin"))+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(bundle.CheckScript)
	if err != nil {
		t.Fatalf("README check fails on an untouched bundle: %v\n%s", err, out)
	}
	if c := strings.Count(out, "Verified OK"); c < 6 {
		t.Errorf("%d signatures verified, want one per document and SHA256SUMS:\n%s", c, out)
	}
	fp, err := run("openssl pkey -pubin -in public-key.pem -outform DER | sha256sum")
	if err != nil || !strings.HasPrefix(fp, b.KeyFingerprint) {
		t.Errorf("fingerprint command printed %q (%v), README says %s", fp, err, b.KeyFingerprint)
	}
	t.Run("cosign", func(t *testing.T) {
		tool(t, "cosign")
		// Offline whatever this machine can reach (a proxy nobody listens
		// on), with no TUF cache from earlier runs: a broker's first run.
		cmd := exec.Command("sh", "-c", bundle.CosignScript)
		cmd.Dir = dir
		home := t.TempDir()
		cmd.Env = append(os.Environ(), "PATH="+filepath.Join(mustAbs(t, "../../bin"))+":"+os.Getenv("PATH"),
			"HOME="+home, "TUF_ROOT="+filepath.Join(home, "tuf"), "HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9", "NO_PROXY=")
		outb, err := cmd.CombinedOutput()
		out := string(outb)
		if err != nil {
			t.Fatalf("cosign check fails: %v\n%s", err, out)
		}
		readme := string(b.Files[0].Data)
		pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		blobs, atts := len(pdfs)+1, len(pdfs)
		// Every command's output: warnings, then "Verified OK" last. Each
		// line cosign printed is in the README as it tells the broker.
		var commands [][]string
		var cur []string
		for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			cur = append(cur, l)
			if l == bundle.CosignOK {
				commands = append(commands, cur)
				cur = nil
			}
		}
		if len(cur) > 0 || len(commands) != blobs+atts {
			t.Fatalf("cosign printed %d %q lines for %d commands, and %q after the last:\n%s", len(commands), bundle.CosignOK, blobs+atts, cur, out)
		}
		if !strings.Contains(readme, `must print "`+bundle.CosignOK+`" as its last line`) {
			t.Errorf("README.txt does not name cosign's success line %q:\n%s", bundle.CosignOK, readme)
		}
		for i, c := range commands {
			wantTlog := bundle.CosignTlogWarning
			if i >= blobs {
				wantTlog = bundle.CosignAttWarning
			}
			var tlog, offline int
			for _, l := range c[:len(c)-1] {
				switch {
				case l == wantTlog:
					tlog++
					if !strings.Contains(readme, "\n  "+l+"\n") {
						t.Errorf("cosign printed %q, which README.txt does not state", l)
					}
				case strings.HasPrefix(l, bundle.CosignOfflinePrefix):
					offline++
					if !strings.Contains(readme, "\n  "+bundle.CosignOfflinePrefix+"...\n") {
						t.Errorf("cosign printed %q offline, which README.txt does not state", l)
					}
				default:
					t.Errorf("cosign command %d printed %q, which README.txt does not tell the broker to expect", i+1, l)
				}
			}
			if tlog != 1 || offline != 1 {
				t.Errorf("cosign command %d printed %d tlog and %d offline warnings, README.txt states one of each:\n%s", i+1, tlog, offline, strings.Join(c, "\n"))
			}
		}
	})
	t.Run("tampered", func(t *testing.T) {
		p := filepath.Join(dir, "commercial-invoice.pdf")
		pdf, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		pdf[len(pdf)/2] ^= 1
		if err := os.WriteFile(p, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := run(bundle.CheckScript)
		if err == nil || !strings.Contains(out, "commercial-invoice.pdf: FAILED") {
			t.Fatalf("a changed invoice passed the README check: %v\n%s", err, out)
		}
	})
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBuildRefuses(t *testing.T) {
	a := sampleArchive(t)
	ctx := context.Background()
	// An incomplete later version (no manifest) is not the current pack.
	incomplete := mem.New()
	err := a.st.List(ctx, "programs/"+program+"/shipments/"+shipment+"/", func(in archive.Info) error {
		b, err := archive.ReadAll(ctx, a.st, in.Key)
		if err != nil {
			return err
		}
		return archive.PutBytes(ctx, incomplete, in.Key, b, archive.PutOptions{})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := archive.PutBytes(ctx, incomplete, pack.Ref{Program: program, Shipment: shipment, Version: 2}.Key("commercial-invoice.pdf"), []byte("%PDF-half"), archive.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Build(ctx, incomplete, bundle.Options{Program: program, Shipment: shipment, Broker: "b", PublicKeyPEM: a.pub})
	if err != nil || b.Version != 1 {
		t.Errorf("with an incomplete v0002: version %v, %v; want the complete v0001", b, err)
	}

	cases := []struct {
		name string
		o    bundle.Options
		want string
		is   error
	}{
		{"unknown shipment", bundle.Options{Program: program, Shipment: "NOPE-1", Broker: "b", PublicKeyPEM: a.pub}, "NOPE-1", pack.ErrNoPack},
		{"rejected shipment", bundle.Options{Program: program, Shipment: "APL26-BR-03", Broker: "b", PublicKeyPEM: a.pub}, "APL26-BR-03", pack.ErrNoPack},
		{"incomplete version asked for", bundle.Options{Program: program, Shipment: shipment, Version: 2, Broker: "b", PublicKeyPEM: a.pub}, "v0002", nil},
		{"broker with a slash", bundle.Options{Program: program, Shipment: shipment, Broker: "../x", PublicKeyPEM: a.pub}, "broker", nil},
		{"shipment escaping", bundle.Options{Program: program, Shipment: "..", Broker: "b", PublicKeyPEM: a.pub}, "shipment", nil},
		{"no public key", bundle.Options{Program: program, Shipment: shipment, Broker: "b"}, "public key", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := archive.Store(a.st)
			if c.o.Version == 2 {
				st = incomplete
			}
			_, err := bundle.Build(ctx, st, c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v does not match %v", err, c.is)
			}
		})
	}
}

func BenchmarkBundle(b *testing.B) {
	a, err := buildArchive(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		bd, err := bundle.Build(ctx, a.st, bundle.Options{Program: program, Shipment: shipment, Broker: "b", PublicKeyPEM: a.pub})
		if err != nil {
			b.Fatal(err)
		}
		if err := bd.WriteZip(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
