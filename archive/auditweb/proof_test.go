package auditweb_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/auditweb"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

// logFixture is an archive holding only an audit log of pack.archived
// entries (the proof route needs nothing else) and a handler serving it.
type logFixture struct {
	root   string
	st     *archivetest.Reads
	signer *signing.Signer
	log    *auditlog.Log
	h      http.Handler
	packs  int
}

func newLogFixture(t testing.TB, also ...crypto.PublicKey) *logFixture {
	t.Helper()
	root := filepath.Join(t.TempDir(), "archive")
	lst, err := local.New(root)
	if err != nil {
		t.Fatal(err)
	}
	f := &logFixture{root: root, st: &archivetest.Reads{Store: lst}, signer: pipelinetest.Key(t)}
	f.log, err = auditlog.Open(context.Background(), f.st, f.signer, auditlog.Options{Name: "proof-test"})
	if err != nil {
		t.Fatal(err)
	}
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	f.h, err = auditweb.New(auditweb.Config{Store: f.st, Trusted: f.signer.PublicKey(), AlsoTrusted: also, TokenHashes: hashes, Log: f.log})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func packPath(i int) string { return fmt.Sprintf("programs/p/shipments/S%05d/v0001", i) }

// archive appends n pack.archived entries and, if checkpoint, a checkpoint.
func (f *logFixture) archive(t testing.TB, l *auditlog.Log, n int, checkpoint bool) {
	t.Helper()
	ctx := context.Background()
	for range n {
		_, err := l.Append(ctx, auditlog.Entry{
			Time: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), Actor: "batch", Event: auditlog.EventPackArchived,
			Program: "p", Shipment: fmt.Sprintf("S%05d", f.packs), Object: packPath(f.packs),
			Digests: map[string]string{"manifest.intoto.json": fmt.Sprintf("%064x", f.packs)},
		})
		if err != nil {
			t.Fatal(err)
		}
		f.packs++
	}
	if checkpoint {
		if _, err := l.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

type proofResponse struct {
	Index      uint64
	Entry      string
	Checkpoint string
	TreeSize   uint64
	Proof      []string
	Error      string
}

func (f *logFixture) proof(t testing.TB, pack string) (int, proofResponse) {
	t.Helper()
	return proofOn(t, f.h, pack)
}

func proofOn(t testing.TB, h http.Handler, pack string) (int, proofResponse) {
	t.Helper()
	req := httptest.NewRequest("GET", "/api/"+strings.Replace(pack, "/v0001", "/packs/v0001", 1)+"/proof", nil)
	req.Header.Set("Authorization", "Bearer "+aliceTok)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var p proofResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("proof of %s: %d %v\n%s", pack, rec.Code, err, rec.Body)
	}
	return rec.Code, p
}

// checkProof checks a proof response the way an auditor does, from the
// archive's key files and the trusted document keys, and returns the
// checkpoint, the entry's bytes and the proof's hashes.
func checkProof(t *testing.T, st archive.Store, p proofResponse, trusted ...crypto.PublicKey) (auditlog.Checkpoint, []byte, [][]byte) {
	t.Helper()
	known, _, err := auditlog.TrustedVerifiers(context.Background(), st, trusted...)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := auditlog.ParseCheckpoint([]byte(p.Checkpoint), known)
	if err != nil {
		t.Fatalf("checkpoint from the API: %v", err)
	}
	entry, _ := base64.StdEncoding.DecodeString(p.Entry)
	var hashes [][]byte
	for _, h := range p.Proof {
		b, _ := base64.StdEncoding.DecodeString(h)
		hashes = append(hashes, b)
	}
	if err := auditlog.VerifyInclusion(cp, p.Index, entry, hashes); err != nil {
		t.Fatalf("inclusion proof from the API does not verify: %v", err)
	}
	return cp, entry, hashes
}

// verifies checks a proof response and that it proves pack's entry.
func (f *logFixture) verifies(t *testing.T, p proofResponse, pack string, trusted ...crypto.PublicKey) {
	t.Helper()
	if _, entry, _ := checkProof(t, f.st.Store, p, trusted...); !bytes.Contains(entry, []byte(`"object":"`+pack+`"`)) {
		t.Fatalf("proved entry is not %s's: %s", pack, entry)
	}
}

// A proof request after N more packs reads only the N new entries, the end
// of the log and the new checkpoint; a pack not yet checkpointed is refused
// until a checkpoint covers it; a key published later is honoured.
func TestProofReadsOnlyNewEntries(t *testing.T) {
	other := pipelinetest.Key(t)
	f := newLogFixture(t, other.PublicKey())
	f.archive(t, f.log, 50, true)
	f.st.Take()
	code, p := f.proof(t, packPath(7))
	if code != 200 {
		t.Fatalf("first proof: %d %s", code, p.Error)
	}
	f.verifies(t, p, packPath(7), f.signer.PublicKey())
	if reads := f.st.Take(); len(reads) < 51 {
		t.Fatalf("first proof read %d objects, want the whole log (51 or more)", len(reads))
	}

	const more = 30
	f.archive(t, f.log, more, false)
	f.st.Take()
	code, p = f.proof(t, packPath(60))
	if code != 409 || !strings.Contains(p.Error, "entry 60 is not yet covered by a signed checkpoint (latest size 50)") {
		t.Fatalf("proof of an entry after the checkpoint: %d %q", code, p.Error)
	}
	var want []string
	for i := 50; i <= 50+more; i++ {
		want = append(want, auditlog.EntryKey(uint64(i)))
	}
	if reads := f.st.Take(); !slices.Equal(reads, want) {
		t.Fatalf("second proof read\n%v\nwant only the %d new entries and the end of the log\n%v", reads, more, want)
	}

	// A log opened with a second trusted key publishes that key; its
	// checkpoint verifies once the server has read the new key.
	// (It accepts the entries of the first key: a rotation names the
	// earlier key, or the new writer would refuse entries it cannot verify.)
	l2, err := auditlog.Open(context.Background(), f.st, other, auditlog.Options{Name: "proof-test", AlsoTrusted: []crypto.PublicKey{f.signer.PublicKey()}})
	if err != nil {
		t.Fatal(err)
	}
	f.archive(t, l2, 1, true)
	f.st.Take()
	code, p = f.proof(t, packPath(60))
	if code != 200 || p.TreeSize != 81 {
		t.Fatalf("proof after a checkpoint by a newly published key: %d size %d %s", code, p.TreeSize, p.Error)
	}
	f.verifies(t, p, packPath(60), f.signer.PublicKey(), other.PublicKey())
	reads := f.st.Take()
	if !slices.Contains(reads, auditlog.EntryKey(80)) || !slices.Contains(reads, auditlog.CheckpointKey(81)) || slices.Contains(reads, auditlog.EntryKey(79)) {
		t.Fatalf("third proof read %v: want entry 80 and checkpoint 81, not older entries", reads)
	}

	// No key was published since: the key files are not read again.
	f.st.Take()
	if code, p = f.proof(t, packPath(3)); code != 200 {
		t.Fatalf("proof: %d %s", code, p.Error)
	}
	f.verifies(t, p, packPath(3), f.signer.PublicKey(), other.PublicKey())
	if reads := f.st.Take(); !slices.Equal(reads, []string{auditlog.EntryKey(81)}) {
		t.Fatalf("proof with nothing new read %v, want only %s", reads, auditlog.EntryKey(81))
	}
}

// An entry altered after the server last read the log is refused with 409,
// as a full audit would refuse it, on every later request.
func TestProofRefusesTamperedNewEntry(t *testing.T) {
	f := newLogFixture(t)
	f.archive(t, f.log, 10, true)
	if code, p := f.proof(t, packPath(2)); code != 200 {
		t.Fatalf("untampered: %d %s", code, p.Error)
	}
	f.archive(t, f.log, 5, true)
	p := filepath.Join(f.root, filepath.FromSlash(auditlog.EntryKey(12)))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, bytes.Replace(b, []byte(`"actor":"batch"`), []byte(`"actor":"mallory"`), 1), 0o444); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		code, resp := f.proof(t, packPath(2))
		if code != 409 || !strings.Contains(resp.Error, "the audit log does not verify: audit log altered: "+auditlog.CheckpointKey(15)+" does not match the stored entries") {
			t.Fatalf("proof over a tampered log: %d %q", code, resp.Error)
		}
	}
}

// BenchmarkProof10000 is one proof request on a log of 10,000 entries in a
// local archive: "audit" is what a request cost before the Follower
// (TrustedVerifiers and a full Audit), "first" a request to a new server,
// "subsequent" a request when nothing was appended since the last one, and
// "after100" one after 100 more packs and a checkpoint (appending them is
// not timed). gets/op counts the objects read.
func BenchmarkProof10000(b *testing.B) {
	ctx := context.Background()
	f := newLogFixture(b)
	f.archive(b, f.log, 10000, true)
	pack := packPath(1234)
	report := func(b *testing.B, gets int) {
		b.ReportMetric(float64(gets)/float64(b.N), "gets/op")
	}
	b.Run("audit", func(b *testing.B) {
		f.st.Take()
		for b.Loop() {
			known, _, err := auditlog.TrustedVerifiers(ctx, f.st, f.signer.PublicKey())
			if err != nil {
				b.Fatal(err)
			}
			state, err := auditlog.Audit(ctx, f.st, known)
			if err != nil {
				b.Fatal(err)
			}
			i := slices.IndexFunc(state.Entries, func(e auditlog.Entry) bool { return e.Object == pack })
			if len(state.InclusionProof(uint64(i), state.Latest.Size)) == 0 {
				b.Fatal("no proof")
			}
		}
		report(b, len(f.st.Take()))
	})
	b.Run("first", func(b *testing.B) {
		tokens := mustTokens(b)
		f.st.Take()
		for b.Loop() {
			h, err := auditweb.New(auditweb.Config{Store: f.st, Trusted: f.signer.PublicKey(), TokenHashes: tokens, Log: f.log})
			if err != nil {
				b.Fatal(err)
			}
			if code, p := proofOn(b, h, pack); code != 200 {
				b.Fatal(code, p.Error)
			}
		}
		report(b, len(f.st.Take()))
	})
	b.Run("subsequent", func(b *testing.B) {
		if code, p := f.proof(b, pack); code != 200 {
			b.Fatal(code, p.Error)
		}
		f.st.Take()
		for b.Loop() {
			if code, p := f.proof(b, pack); code != 200 {
				b.Fatal(code, p.Error)
			}
		}
		report(b, len(f.st.Take()))
	})
	b.Run("after100", func(b *testing.B) {
		gets := 0
		for b.Loop() {
			b.StopTimer()
			f.archive(b, f.log, 100, true)
			f.st.Take()
			b.StartTimer()
			if code, p := f.proof(b, packPath(f.packs-1)); code != 200 {
				b.Fatal(code, p.Error)
			}
			gets += len(f.st.Take())
		}
		report(b, gets)
	})
}

func mustTokens(t testing.TB) []auditweb.TokenHash {
	t.Helper()
	hashes, err := auditweb.ParseTokens(strings.NewReader(auditweb.HashLine(aliceTok, "alice")+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	return hashes
}
