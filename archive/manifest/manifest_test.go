package manifest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/internal/testenv"
)

// tool: see internal/testenv.
func tool(t *testing.T, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func newSigner(t *testing.T) *signing.Signer {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key.pem")
	if err := signing.Keygen(p, nil); err != nil {
		t.Fatal(err)
	}
	s, err := signing.Load(context.Background(), signing.Options{KeyPath: p})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var docs = map[string][]byte{
	"commercial-invoice.pdf": []byte("%PDF-1.7 invoice SHP-1\n%%EOF\n"),
	"packing-list.pdf":       []byte("%PDF-1.7 packing list SHP-1\n%%EOF\n"),
}

func predicate(keyID string) manifest.Predicate {
	return manifest.Predicate{
		Program: "fleet-refresh-2026", Shipment: "SHP-1", Version: 2, Supersedes: 1,
		Inputs:       []manifest.Subject{{Name: "inventory.csv", SHA256: manifest.Digest([]byte("inv"))}},
		RulesVersion: "rules-2026.11", TemplateVersion: "templates-3", KeyID: keyID,
		Created: "2026-11-20T00:00:00Z", Generator: "clearpack test",
	}
}

func TestBuildSignOpen(t *testing.T) {
	ctx := context.Background()
	s := newSigner(t)
	st, err := manifest.Build(manifest.Subjects(docs), predicate(s.KeyID()))
	if err != nil {
		t.Fatal(err)
	}
	// Same input, same bytes, whatever the subject order.
	rev := manifest.Subjects(docs)
	rev[0], rev[1] = rev[1], rev[0]
	again, _ := manifest.Build(rev, predicate(s.KeyID()))
	if !bytes.Equal(st, again) {
		t.Fatal("Build is not deterministic")
	}
	for _, want := range []string{`"_type": "https://in-toto.io/Statement/v1"`, `"predicateType": "https://clearpack.dev/pack/v1"`,
		`"sha256": "` + manifest.Digest(docs["packing-list.pdf"]) + `"`, `"supersedes": 1`, `"keyId": "` + s.KeyID() + `"`} {
		if !bytes.Contains(st, []byte(want)) {
			t.Errorf("statement lacks %s:\n%s", want, st)
		}
	}
	env, err := manifest.Sign(ctx, s, st)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		PayloadType string
		Payload     string
		Signatures  []struct{ KeyID, Sig string }
	}
	if err := json.Unmarshal(env, &e); err != nil {
		t.Fatal(err)
	}
	if e.PayloadType != manifest.PayloadType || len(e.Signatures) != 1 {
		t.Fatalf("envelope: %s", env)
	}
	got, err := manifest.Open(env, s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	if got.Predicate.Shipment != "SHP-1" || len(got.Subject) != 2 || got.Subject[0].Name != "commercial-invoice.pdf" {
		t.Fatalf("opened statement: %+v", got)
	}

	other := newSigner(t)
	payload, _ := base64.StdEncoding.DecodeString(e.Payload)
	forged := bytes.Replace(payload, []byte("SHP-1"), []byte("SHP-2"), 1)
	e2 := e
	e2.Payload = base64.StdEncoding.EncodeToString(forged)
	forgedEnv, _ := json.Marshal(e2)
	for _, tc := range []struct {
		name string
		env  []byte
		pub  any
	}{
		{"other key", env, other.PublicKey()},
		{"payload altered", forgedEnv, s.PublicKey()},
		{"not json", []byte("nope"), s.PublicKey()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := manifest.Open(tc.env, tc.pub); !errors.Is(err, manifest.ErrBadEnvelope) {
				t.Fatalf("Open: %v, want ErrBadEnvelope", err)
			}
		})
	}
	t.Run("statement for another key", func(t *testing.T) {
		if _, err := manifest.Sign(ctx, other, st); err == nil || !strings.Contains(err.Error(), "keyId") {
			t.Fatalf("Sign with a key not named in the predicate: %v", err)
		}
	})

	// cosign checks the envelope and that the document is one of its subjects.
	cosign := tool(t, "../../bin/cosign")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pub.pem"), s.PublicKeyPEM(), 0o644)
	os.WriteFile(filepath.Join(dir, manifest.FileName), env, 0o644)
	for name, b := range docs {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "stranger.pdf"), []byte("%PDF other"), 0o644)
	check := func(doc string) error {
		cmd := exec.Command(cosign, "verify-blob-attestation", "--key", "pub.pem", "--type", manifest.PredicateType,
			"--signature", manifest.FileName, "--insecure-ignore-tlog=true", doc)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return errors.New(string(out))
		}
		return nil
	}
	if err := check("commercial-invoice.pdf"); err != nil {
		t.Fatalf("cosign verify-blob-attestation rejects the manifest: %v", err)
	}
	if err := check("stranger.pdf"); err == nil {
		t.Fatal("cosign accepted a document that is not in the manifest")
	}
}

func TestBuildRejects(t *testing.T) {
	good := predicate(strings.Repeat("ab", 32))
	subj := manifest.Subjects(docs)
	for _, tc := range []struct {
		name string
		subj []manifest.Subject
		edit func(p *manifest.Predicate)
		want string
	}{
		{"no documents", nil, nil, "no documents"},
		{"bad digest", []manifest.Subject{{Name: "a.pdf", SHA256: "XYZ"}}, nil, "a.pdf: digest"},
		{"path in name", []manifest.Subject{{Name: "../a.pdf", SHA256: subj[0].SHA256}}, nil, `"../a.pdf"`},
		{"duplicate", []manifest.Subject{subj[0], subj[0]}, nil, "listed twice"},
		{"version 0", subj, func(p *manifest.Predicate) { p.Version = 0 }, "predicate.version"},
		{"supersedes itself", subj, func(p *manifest.Predicate) { p.Supersedes = 2 }, "predicate.supersedes"},
		{"no key id", subj, func(p *manifest.Predicate) { p.KeyID = "" }, "predicate.keyId"},
		{"bad input digest", subj, func(p *manifest.Predicate) { p.Inputs[0].SHA256 = "0" }, "predicate.inputs[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			p.Inputs = append([]manifest.Subject(nil), good.Inputs...)
			if tc.edit != nil {
				tc.edit(&p)
			}
			_, err := manifest.Build(tc.subj, p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build: %v, want an error saying %s", err, tc.want)
			}
		})
	}
}

func TestSHA256SUMS(t *testing.T) {
	sums := manifest.SHA256SUMS(docs)
	got, err := manifest.ParseSHA256SUMS(sums)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Name != "packing-list.pdf" || got[1].SHA256 != manifest.Digest(docs["packing-list.pdf"]) {
		t.Fatalf("parsed %+v", got)
	}

	sha256sum := tool(t, "sha256sum")
	dir := t.TempDir()
	for name, b := range docs {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, manifest.SumsName), sums, 0o644)
	cmd := exec.Command(sha256sum, "-c", manifest.SumsName)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || strings.Count(string(out), ": OK") != 2 {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "packing-list.pdf"), []byte("changed"), 0o644)
	cmd = exec.Command(sha256sum, "-c", manifest.SumsName)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "packing-list.pdf: FAILED") {
		t.Fatalf("sha256sum -c accepted a changed file: %v\n%s", err, out)
	}
	// What sha256sum itself writes parses too.
	out, err := exec.Command(sha256sum, filepath.Join(dir, "commercial-invoice.pdf")).Output()
	if err != nil {
		t.Fatal(err)
	}
	_, err = manifest.ParseSHA256SUMS(bytes.ReplaceAll(out, []byte(dir+"/"), nil))
	if err != nil {
		t.Fatalf("parsing sha256sum output: %v", err)
	}
}

func TestParseSHA256SUMSErrors(t *testing.T) {
	d := manifest.Digest([]byte("x"))
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no files listed"},
		{"one space", d + " a.pdf\n", "line 1"},
		{"short digest", "abc  a.pdf\n", "line 1: \"abc\""},
		{"duplicate", d + "  a.pdf\n" + d + "  a.pdf\n", "line 2: a.pdf already listed on line 1"},
		{"path", d + "  ../a.pdf\n", "line 1: file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := manifest.ParseSHA256SUMS([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}
