package pipeline_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/archive/verify"
	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/clearpack/clearpack/pipeline"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

func padesRunner(t *testing.T, e *env) *pipeline.Runner {
	t.Helper()
	chainPEM, _, err := pades.DevCA(e.signer.PublicKey(), "Test Declarant", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var chain []*x509.Certificate
	for rest := chainPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, c)
	}
	r := e.runner(t, nil)
	r.PDF = &pipeline.PAdES{Chain: chain, Signer: e.signer}
	return r
}

func runWith(t *testing.T, r *pipeline.Runner, files ingest.Files) *pipeline.Summary {
	t.Helper()
	sum, err := r.Run(context.Background(), files, ingest.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Log.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sum
}

// Every document of every pack carries a PAdES signature poppler accepts;
// the manifest names each document's first revision, which is the same
// bytes on another run with another key at another time; verify checks the
// embedded signatures and the first revisions, also after a re-routing that
// carries signed documents over.
func TestPAdESEveryDocument(t *testing.T) {
	pdfsig := testenv.Tool(t, "pdfsig")
	e := newEnv(t)
	sum := runWith(t, padesRunner(t, e), sample)
	snap := e.snapshot(t)
	// Signed inside, the post-clearance pack still names the documents the
	// clearance was made against, and not the compliance summary.
	documentsNameNoFiles(t, snap)
	firstRevs := map[string]string{} // pack path + name → sha256
	docs := 0
	for _, sh := range sum.Shipments {
		if sh.Status != pipeline.Archived {
			continue
		}
		st, err := manifest.Open([]byte(snap[sh.Path+manifest.FileName]), e.signer.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Predicate.Unsigned) != len(sh.Documents) {
			t.Errorf("%s: manifest names %d first revisions for %d documents", sh.Path, len(st.Predicate.Unsigned), len(sh.Documents))
		}
		for _, u := range st.Predicate.Unsigned {
			firstRevs[sh.Path+u.Name] = u.SHA256
			body := snap[sh.Path+u.Name]
			if len(body) <= u.Bytes || manifest.Digest([]byte(body[:u.Bytes])) != u.SHA256 {
				t.Errorf("%s%s does not begin with the first revision the manifest names", sh.Path, u.Name)
			}
		}
		// pdfsig on the documents of a few packs (each call costs ~50 ms).
		if docs > 12 {
			continue
		}
		for _, d := range sh.Documents {
			docs++
			out, err := exec.Command(pdfsig, "-nocert", filepath.Join(e.dir, filepath.FromSlash(sh.Path+d.Name))).CombinedOutput()
			if err != nil {
				t.Fatalf("pdfsig %s: %v\n%s", d.Name, err, out)
			}
			for _, want := range []string{"Signature Type: ETSI.CAdES.detached", "Signature Validation: Signature is Valid.", "Total document signed", "Signer Certificate Common Name: Test Declarant"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("pdfsig %s%s lacks %q:\n%s", sh.Path, d.Name, want, out)
				}
			}
		}
	}
	if len(firstRevs) < 80 {
		t.Fatalf("only %d signed documents", len(firstRevs))
	}
	rep := e.verify(t)
	if !rep.OK() {
		t.Fatalf("verify: %v", rep.Failures())
	}
	var embedded, first int
	for _, c := range rep.Checks {
		if strings.Contains(c.Detail, "embedded PAdES B-B signature valid") {
			embedded++
		}
		if strings.Contains(c.Detail, "first revision (") {
			first++
		}
	}
	if embedded != len(firstRevs) || first != len(firstRevs) {
		t.Errorf("verify checked %d embedded signatures and %d first revisions of %d documents", embedded, first, len(firstRevs))
	}

	// Another machine, key and time: the same first revisions.
	e2 := newEnv(t)
	runWith(t, padesRunner(t, e2), sample)
	snap2 := e2.snapshot(t)
	for k, v := range snap2 {
		if !strings.HasSuffix(k, manifest.FileName) {
			continue
		}
		st, err := manifest.Open([]byte(v), e2.signer.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		dir := strings.TrimSuffix(k, manifest.FileName)
		for _, u := range st.Predicate.Unsigned {
			if firstRevs[dir+u.Name] != u.SHA256 {
				t.Errorf("%s%s: first revision differs between two runs", dir, u.Name)
			}
			if snap2[dir+u.Name] == snap[dir+u.Name] {
				t.Errorf("%s%s: the signed files of two runs with two keys are identical", dir, u.Name)
			}
		}
	}

	// A re-routing carries the untouched signed documents over.
	files := copySample(t, func(s string) string {
		i := strings.Index(s, "id: APL26-VN-01")
		j := strings.Index(s[i:], "reference: ") + i + len("reference: ")
		return s[:j] + "AMENDED-" + s[j:]
	}, nil)
	if got := byID(runWith(t, padesRunner(t, e), files))["APL26-VN-01"]; got.Version != 2 {
		t.Fatalf("re-routed shipment: %+v", got)
	}
	if rep := e.verify(t); !rep.OK() {
		t.Fatalf("verify after re-routing: %v", rep.Failures())
	}
}

// failingStamper is a time-stamp authority that goes down.
type failingStamper struct{}

func (failingStamper) Stamp(context.Context, []byte) ([]byte, []byte, error) {
	return nil, nil, errors.New("time-stamp authority unusable: connection refused")
}

// A TSA that fails mid-run leaves no complete pack behind: the shipments
// fail with the cause, nothing of them verifies as archived, and the next
// run (TSA back) redoes them.
func TestTSAFailureLeavesNothingHalfSigned(t *testing.T) {
	e := newEnv(t)
	r := padesRunner(t, e)
	r.TSA = failingStamper{}
	r.StaleAfter = time.Nanosecond
	sum := runWith(t, r, sample)
	if n := sum.Count(pipeline.Archived); n != 0 {
		t.Fatalf("%d shipments archived with the TSA down", n)
	}
	for _, sh := range sum.Shipments {
		if sh.Status == pipeline.Failed && !strings.Contains(strings.Join(sh.Reasons, " "), "time-stamping manifest.intoto.json: time-stamp authority unusable") {
			t.Errorf("%s failed for another reason: %v", sh.ID, sh.Reasons)
		}
	}
	for k := range e.snapshot(t) {
		if strings.HasSuffix(k, manifest.FileName) {
			t.Errorf("%s written with the TSA down", k)
		}
	}
	r = padesRunner(t, e)
	r.StaleAfter = time.Nanosecond
	sum = runWith(t, r, sample)
	if n := sum.Count(pipeline.Archived); n != 19 {
		t.Fatalf("rerun archived %d shipments, want 19", n)
	}
	// The remains of the failed run are incomplete versions (never valid);
	// everything else verifies, and each shipment's v0002 is complete.
	rep := e.verify(t)
	for _, c := range rep.Failures() {
		if c.Kind != verify.KindIncomplete || !strings.HasSuffix(c.Object, "/v0001/") {
			t.Errorf("verify failure other than the failed run's incomplete v0001: %s", c)
		}
	}
	for _, sh := range sum.Shipments {
		if sh.Status == pipeline.Archived && sh.Version != 2 {
			t.Errorf("%s archived as v%d, want v2 after the incomplete v1", sh.ID, sh.Version)
		}
	}
}
