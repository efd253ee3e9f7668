package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/archive/witness/witnesstest"
)

// newWitnessedArchive makes an archive directory with a fixed identity and
// returns its log's origin and checkpoint verifier key.
func newWitnessedArchive(t *testing.T, dir, key, id string) (origin, vkey string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, auditlog.ArchiveIDKey), []byte(id+"\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	st, err := local.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := signing.Load(context.Background(), signing.Options{KeyPath: key})
	if err != nil {
		t.Fatal(err)
	}
	l, err := auditlog.Open(context.Background(), st, s, auditlog.Options{Name: id})
	if err != nil {
		t.Fatal(err)
	}
	return l.Origin(), l.VerifierKey()
}

func strangerWitnessKey(t *testing.T) string {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	name := "stranger.example/witness"
	key := append([]byte{4}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), key...))
	return fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(key))
}

// Checkpoints cosigned by two real litewitness instances on loopback;
// verify --witness checks the quorum; a second history of the same log (a
// split view) is refused by the witness (exit 5) and reported by verify.
func TestWitnessedRun(t *testing.T) {
	w1 := witnesstest.Start(t, "witness-one.example/w")
	w2 := witnesstest.Start(t, "witness-two.example/w")
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %d %s", code, errOut)
	}
	pub := signing.PublicKeyPath(key)
	a := filepath.Join(dir, "a")
	origin, vkey := newWitnessedArchive(t, a, key, "archive-witnessed")
	w1.AddLog(origin, vkey)
	w2.AddLog(origin, vkey)

	code, _, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", a,
		"--witness", w1.URL, "--witness", w2.URL)
	if code != ExitPartial || strings.Contains(errOut, "checkpoint") {
		t.Fatalf("run --witness: exit %d\n%s", code, errOut)
	}
	size := w1.Size(origin)
	if size == 0 || w2.Size(origin) != size {
		t.Fatalf("witnesses cosigned sizes %d and %d", size, w2.Size(origin))
	}
	verifyA := func(args ...string) (int, string) {
		code, out, errOut := clearpack(t, append([]string{"verify", "--archive", a, "--pub", pub}, args...)...)
		return code, out + errOut
	}
	if code, out := verifyA("--witness", w1.VKey, "--witness", w2.VKey); code != ExitOK || !strings.Contains(out, "cosigned by 2 of 2 trusted witnesses") {
		t.Fatalf("verify --witness x2: exit %d\n%s", code, out)
	}
	if code, out := verifyA(); code != ExitOK || !strings.Contains(out, "not witnessed (no --witness given)") {
		t.Errorf("verify without witnesses: exit %d, should say what it does not prove\n%s", code, out)
	}
	// AUDITOR.md section 5, as written, for each witness; not for a
	// witness that did not cosign.
	doc, err := os.ReadFile("../../archive/verify/AUDITOR.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 6 {
		t.Fatalf("AUDITOR.md has %d sh blocks, want 6", len(blocks))
	}
	auditorIn := func(archiveDir, wkey string) (string, error) {
		cmd := exec.Command("bash", "-c", blocks[4][1])
		cmd.Env = append(os.Environ(), "ARCHIVE="+archiveDir, "WITNESS_KEY="+wkey, "WORK="+t.TempDir())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	auditor := func(wkey string) (string, error) { return auditorIn(a, wkey) }
	for _, w := range []*witnesstest.Witness{w1, w2} {
		if out, err := auditor(w.VKey); err != nil || !strings.Contains(out, "Signature Verified Successfully") || !strings.Contains(out, "cosigned by "+strings.Split(w.VKey, "+")[0]) {
			t.Fatalf("AUDITOR.md block 5 for %s: %v\n%s", w.URL, err, out)
		}
	}
	stranger := strangerWitnessKey(t)
	if out, err := auditor(stranger); err == nil {
		t.Errorf("AUDITOR.md block 5 passes for a witness that did not cosign:\n%s", out)
	}
	if code, out := verifyA("--witness", w1.VKey, "--witness", stranger); code != ExitVerify || !strings.Contains(out, "cosigned by 1 of the 2 trusted witnesses, quorum 2") {
		t.Errorf("verify with a witness that did not cosign: exit %d\n%s", code, out)
	}
	if code, out := verifyA("--witness", w1.VKey, "--witness", stranger, "--witness-quorum", "1"); code != ExitOK {
		t.Errorf("verify with quorum 1 of 2: exit %d\n%s", code, out)
	}

	// Another history of the same log, same key and origin: the witness
	// refuses it, and verify reports the witnessed checkpoint as a split
	// view when it is presented with it.
	b := filepath.Join(dir, "b")
	newWitnessedArchive(t, b, key, "archive-witnessed")
	code, _, errOut = clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", b, "--witness", w1.URL)
	if code != ExitArchive || !strings.Contains(errOut, "split view") || !strings.Contains(errOut, w1.URL) {
		t.Fatalf("run of a forked history: exit %d, want %d naming the split view and the witness\n%s", code, ExitArchive, errOut)
	}
	if w1.Size(origin) != size {
		t.Fatalf("the witness moved to the forked history")
	}
	cosigned := auditlog.CosignedKey(uint64(size))
	forged, err := os.ReadFile(filepath.Join(a, filepath.FromSlash(cosigned)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(b, filepath.FromSlash(cosigned))), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, filepath.FromSlash(cosigned)), forged, 0o444); err != nil {
		t.Fatal(err)
	}
	code, out, _ := clearpack(t, "verify", "--archive", b, "--pub", pub, "--witness", w1.VKey)
	if code != ExitVerify || !strings.Contains(out, "split view") {
		t.Errorf("verify of the forked history with the other's cosigned checkpoint: exit %d\n%s", code, out)
	}
	if out, err := auditorIn(b, w1.VKey); err == nil {
		t.Errorf("AUDITOR.md block 5 passes on the forked history with the other's cosigned checkpoint:\n%s", out)
	}

	// The history goes on: the witnesses get a consistency proof.
	files := filepath.Join(dir, "plan.yaml")
	plan, _ := os.ReadFile(samplePlan)
	if err := os.WriteFile(files, []byte(strings.Replace(string(plan), "reference: ", "reference: AMENDED-", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = clearpack(t, "run", "--inventory", sampleInv, "--plan", files, "--key", key, "--archive", a,
		"--witness", w1.URL, "--witness", w2.URL)
	if code != ExitPartial || strings.Contains(errOut, "checkpoint") {
		t.Fatalf("second run --witness: exit %d\n%s", code, errOut)
	}
	if n := w1.Size(origin); n <= size {
		t.Fatalf("witness size %d after the second run, was %d", n, size)
	}
	if code, out := verifyA("--witness", w1.VKey, "--witness", w2.VKey); code != ExitOK {
		t.Fatalf("verify after the second run: exit %d\n%s", code, out)
	}
}
