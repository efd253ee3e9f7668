package verify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/verify"
)

type rawSigner struct{ k *ecdsa.PrivateKey }

func (s rawSigner) SignBlob(_ context.Context, data []byte) ([]byte, error) {
	h := sha256.Sum256(data)
	return ecdsa.SignASN1(rand.Reader, s.k, h[:])
}

func devChain(t *testing.T, pub any) []*x509.Certificate {
	t.Helper()
	chainPEM, _, err := pades.DevCA(pub, "Test Declarant", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var chain []*x509.Certificate
	for rest := chainPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		c, _ := x509.ParseCertificate(b.Bytes)
		chain = append(chain, c)
	}
	return chain
}

// A pack of one PAdES-signed invoice, written as the pipeline writes it,
// with the manifest naming the first revision rev.
func padesPack(t *testing.T, st archive.Store, s *signing.Signer, doc []byte, rev manifest.Revision) archive.Store {
	t.Helper()
	ctx := context.Background()
	l, err := auditlog.Open(ctx, st, s, auditlog.Options{Name: "test-archive"})
	if err != nil {
		t.Fatal(err)
	}
	prefix := packPrefix("SHP-1", 1)
	docs := map[string][]byte{"commercial-invoice.pdf": doc}
	put := func(key string, b []byte) {
		if err := archive.PutBytes(ctx, st, key, b, archive.PutOptions{}); err != nil && !errors.Is(err, archive.ErrExists) {
			t.Fatal(err)
		}
	}
	sign := func(key string, b []byte) {
		der, err := s.SignBlob(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		put(key, b)
		put(key+".sig", signing.CosignSig(der))
	}
	sign(prefix+"commercial-invoice.pdf", doc)
	sign(prefix+manifest.SumsName, manifest.SHA256SUMS(docs))
	put("keys/"+s.KeyID()+".pub", s.PublicKeyPEM())
	stmt, err := manifest.Build(manifest.Subjects(docs), manifest.Predicate{
		Program: "fleet", Shipment: "SHP-1", Version: 1, RulesVersion: "rules-1", TemplateVersion: "templates-1",
		KeyID: s.KeyID(), Created: "2026-11-20T00:00:00Z", Unsigned: []manifest.Revision{rev},
	})
	if err != nil {
		t.Fatal(err)
	}
	env, err := manifest.Sign(ctx, s, stmt)
	if err != nil {
		t.Fatal(err)
	}
	put(prefix+manifest.FileName, env)
	if _, err := l.Append(ctx, auditlog.Entry{Actor: "test", Event: auditlog.EventPackArchived, Program: "fleet", Shipment: "SHP-1",
		Object: strings.TrimSuffix(prefix, "/"), Digests: map[string]string{manifest.FileName: manifest.Digest(env)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// padesCases are a good PAdES-signed document and the faults verify and
// the auditor's commands must find.
type padesCase struct {
	name string
	doc  []byte
	rev  manifest.Revision
	want string // "" = verifies
}

func padesCases(t *testing.T, s *signing.Signer) []padesCase {
	t.Helper()
	orig, err := os.ReadFile("../pades/testdata/invoice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	signWith := func(chain []*x509.Certificate, signer pades.BlobSigner) []byte {
		out, err := pades.Sign(context.Background(), orig, pades.Options{Chain: chain, Signer: signer, Time: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	good := signWith(devChain(t, s.PublicKey()), s)
	rev := manifest.Revision{Name: "commercial-invoice.pdf", Bytes: len(orig), SHA256: manifest.Digest(orig)}
	// Another render: the same length, one byte different.
	other := append([]byte(nil), orig...)
	other[len(other)/2] ^= 1
	stranger, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return []padesCase{
		{"signed inside, first revision as named", good, rev, ""},
		{"manifest names another first revision", good, manifest.Revision{Name: rev.Name, Bytes: rev.Bytes, SHA256: manifest.Digest(other)}, "first revision sha256"},
		{"manifest names another length", good, manifest.Revision{Name: rev.Name, Bytes: rev.Bytes - 1, SHA256: rev.SHA256}, "first revision is"},
		{"signed inside by another key", signWith(devChain(t, &stranger.PublicKey), rawSigner{stranger}), rev, "not the one that signed the manifest"},
		{"not signed inside", orig, rev, "no signature field"},
	}
}

func TestEmbeddedSignatureAndFirstRevision(t *testing.T) {
	s, _ := loadKey(t, t.TempDir())
	for _, tc := range padesCases(t, s) {
		name := tc.name
		t.Run(name, func(t *testing.T) {
			rep, err := verify.Verify(context.Background(), padesPack(t, mem.New(), s, tc.doc, tc.rev), s.PublicKey(), verify.Options{})
			if tc.want == "" {
				if err != nil || !rep.OK() {
					t.Fatalf("verify: %v %v", err, rep.Failures())
				}
				var embedded, first bool
				for _, c := range rep.Checks {
					embedded = embedded || strings.Contains(c.Detail, "embedded PAdES B-B signature valid, whole document signed")
					first = first || strings.Contains(c.Detail, "first revision (")
				}
				if !embedded || !first {
					t.Errorf("no embedded-signature (%v) or first-revision (%v) check in the report", embedded, first)
				}
				return
			}
			if !errors.Is(err, verify.ErrFailed) {
				t.Fatalf("verify err = %v, want ErrFailed", err)
			}
			f := rep.FirstFailure()
			if f == nil || !strings.Contains(f.Detail, tc.want) || !strings.HasSuffix(f.Object, "commercial-invoice.pdf") {
				t.Fatalf("first failure %v, want one about commercial-invoice.pdf naming %q", f, tc.want)
			}
		})
	}
}

// AUDITOR.md's third block (pdfsig, openssl, coreutils) passes on a good
// pack and fails on each fault, and on a document changed after signing.
func TestAuditorPAdESCommands(t *testing.T) {
	for _, name := range []string{"bash", "sha256sum", "base64", "openssl", "pdfsig"} {
		tool(t, name)
	}
	doc, err := os.ReadFile("AUDITOR.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 3 {
		t.Fatalf("AUDITOR.md has %d sh blocks, want at least 3", len(blocks))
	}
	s, pub := loadKey(t, t.TempDir())
	run := func(t *testing.T, doc []byte, rev manifest.Revision) (string, error) {
		root := filepath.Join(t.TempDir(), "archive")
		st, err := local.New(root)
		if err != nil {
			t.Fatal(err)
		}
		padesPack(t, st, s, doc, rev)
		cmd := exec.Command("bash", "-c", blocks[2][1])
		cmd.Env = append(os.Environ(), "PUB="+pub, "PACK="+filepath.Join(root, filepath.FromSlash(packPrefix("SHP-1", 1))), "WORK="+t.TempDir())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	cases := padesCases(t, s)
	changed := append([]byte(nil), cases[0].doc...)
	changed[100] ^= 1
	cases = append(cases, padesCase{name: "changed after signing", doc: changed, rev: cases[0].rev, want: "x"})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := run(t, tc.doc, tc.rev)
			if tc.want == "" {
				if err != nil || !strings.Contains(out, "commercial-invoice.pdf: embedded signature valid, whole document signed, trusted key") ||
					!strings.Contains(out, "commercial-invoice.pdf: first revision (") {
					t.Fatalf("block 3 on a good pack: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("block 3 passes:\n%s", out)
			}
		})
	}
}
