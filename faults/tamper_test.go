package faults

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/verify"
)

// The issue 13 tamper suite, end to end with the clearpack binary: the
// sample program is archived (v0001 without clearances, then v0002 of the
// cleared shipments), then an attacker with write access to the archive
// (the directory, or the bucket's credentials) deletes, forges, copies or
// plants something. Each case makes `clearpack verify` exit 6 with the
// object named as its first failure, on a local archive and on MinIO; a
// forged entry or a changed identity also makes `clearpack run` stop with
// exit 5, naming it, before it signs anything.

const (
	cleared  = "programs/apac-latam-server-refresh-2026/shipments/APL26-VN-01/"
	rejected = "programs/apac-latam-server-refresh-2026/shipments/APL26-BR-03/rejected/"
	other    = "programs/apac-latam-server-refresh-2026/shipments/APL26-ID-02/"
)

// tampered is one archive under attack.
type tampered interface {
	spec() string
	env() []string
	keys(t *testing.T, prefix string) []string
	read(t *testing.T, key string) []byte
	put(t *testing.T, key string, b []byte)
	del(t *testing.T, prefix string) // every object under prefix (or the key)
}

type localArchive struct{ root string }

func (a localArchive) spec() string  { return a.root }
func (a localArchive) env() []string { return nil }
func (a localArchive) path(k string) string {
	return filepath.Join(a.root, filepath.FromSlash(k))
}
func (a localArchive) keys(t *testing.T, prefix string) []string {
	var out []string
	filepath.Walk(a.root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(a.root, p)
		if k := filepath.ToSlash(rel); strings.HasPrefix(k, prefix) && !strings.HasPrefix(k, ".tmp/") {
			out = append(out, k)
		}
		return nil
	})
	sort.Strings(out)
	return out
}
func (a localArchive) read(t *testing.T, k string) []byte {
	b, err := os.ReadFile(a.path(k))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
func (a localArchive) put(t *testing.T, k string, b []byte) {
	os.MkdirAll(filepath.Dir(a.path(k)), 0o755)
	os.Chmod(a.path(k), 0o644)
	if err := os.WriteFile(a.path(k), b, 0o444); err != nil {
		t.Fatal(err)
	}
}
func (a localArchive) del(t *testing.T, prefix string) {
	if err := os.RemoveAll(a.path(strings.TrimSuffix(prefix, "/"))); err != nil {
		t.Fatal(err)
	}
}

type minioArchive struct {
	m              *minioServer
	bucket, prefix string
}

func (a minioArchive) spec() string {
	return "s3://" + a.bucket + "/" + a.prefix + "?endpoint=" + a.m.addr + "&insecure=true"
}
func (a minioArchive) env() []string { return a.m.env() }
func (a minioArchive) keys(t *testing.T, prefix string) []string {
	var out []string
	for o := range a.m.client().ListObjects(context.Background(), a.bucket, minio.ListObjectsOptions{Prefix: a.prefix + "/" + prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, a.prefix+"/"))
	}
	return out
}
func (a minioArchive) read(t *testing.T, k string) []byte {
	o, err := a.m.client().GetObject(context.Background(), a.bucket, a.prefix+"/"+k, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
func (a minioArchive) put(t *testing.T, k string, b []byte) {
	if _, err := a.m.client().PutObject(context.Background(), a.bucket, a.prefix+"/"+k, bytes.NewReader(b), int64(len(b)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}
func (a minioArchive) del(t *testing.T, prefix string) {
	keys := a.keys(t, prefix)
	if len(keys) == 0 {
		t.Fatalf("nothing under %s", prefix)
	}
	for _, k := range keys {
		if err := a.m.client().RemoveObject(context.Background(), a.bucket, a.prefix+"/"+k, minio.RemoveObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// archiveSample archives the sample into spec twice: without clearances
// (every shipment v0001), then with (v0002 of the cleared ones).
func archiveSample(t *testing.T, spec, key string, env []string) {
	t.Helper()
	args := []string{"run", "--json", "--inventory", "../testdata/sample/inventory.csv", "--plan", "../testdata/sample/plan.yaml", "--key", key, "--archive", spec}
	for _, a := range [][]string{args, append(args, "--clearances", "../testdata/sample/clearances.yaml")} {
		if r := cli(t, context.Background(), env, a...); r.code != 3 { // APL26-BR-03 is stopped on purpose
			t.Fatalf("archiving the sample: %s", r)
		}
	}
}

type tamperCase struct {
	name   string
	local  bool // a filesystem-only attack
	tamper func(t *testing.T, a tampered)
	// object is what verify must name first, per store.
	object map[string]string
	kind   map[string]verify.Kind
	// run is run's exit code after the tampering (0: not checked).
	run     int
	runSays string
}

func both(v string) map[string]string { return map[string]string{"local": v, "minio": v} }

func tamperCases(t *testing.T, key string) []tamperCase {
	forged := func(t *testing.T, a tampered) string {
		n := len(a.keys(t, auditlog.EntriesPrefix))
		k := auditlog.EntryKey(uint64(n))
		a.put(t, k, fmt.Appendf(nil, `{"index":%d,"time":"2026-11-29T12:00:00Z","actor":"alice","event":"pack.retrieved","object":"%sv0002/commercial-invoice.pdf"}`+"\n", n, cleared))
		return k
	}
	return []tamperCase{
		{name: "delete-newest-version", tamper: func(t *testing.T, a tampered) { a.del(t, cleared+"v0002/") },
			object: map[string]string{"local": cleared + "v0002/", "minio": cleared + "v0002/SHA256SUMS"},
			kind:   map[string]verify.Kind{"local": verify.KindMissing, "minio": verify.KindAltered}},
		{name: "delete-shipment", tamper: func(t *testing.T, a tampered) { a.del(t, other) },
			object: map[string]string{"local": other + "v0001/", "minio": other + "v0001/SHA256SUMS"},
			kind:   map[string]verify.Kind{"local": verify.KindMissing, "minio": verify.KindAltered}},
		{name: "delete-rejection-report", tamper: func(t *testing.T, a tampered) { a.del(t, rejected) },
			object: map[string]string{"local": rejected, "minio": rejected},
			kind:   map[string]verify.Kind{"local": verify.KindMissing, "minio": verify.KindAltered}},
		{name: "forged-entry", tamper: func(t *testing.T, a tampered) { forged(t, a) },
			object: both(auditlog.EntriesPrefix), kind: map[string]verify.Kind{"local": verify.KindEntry, "minio": verify.KindEntry},
			run: 5, runSays: "does not verify"},
		{name: "pack-from-another-archive", tamper: func(t *testing.T, a tampered) {
			// The same program archived elsewhere with the same key: its
			// pack of a shipment replaces this archive's.
			b := localArchive{root: t.TempDir()}
			archiveSample(t, b.spec(), key, nil)
			a.del(t, other+"v0001/")
			for _, k := range b.keys(t, other+"v0001/") {
				a.put(t, k, b.read(t, k))
			}
		}, object: both(other + "v0001/"), kind: map[string]verify.Kind{"local": verify.KindInclusion, "minio": verify.KindAltered}},
		{name: "archive-id-edited", tamper: func(t *testing.T, a tampered) { a.put(t, "archive-id", []byte("archive-forked\n")) },
			object: both("archive-id"), kind: map[string]verify.Kind{"local": verify.KindIdentity, "minio": verify.KindAltered},
			run: 5, runSays: "archive-id"},
		{name: "archive-id-deleted", tamper: func(t *testing.T, a tampered) { a.del(t, "archive-id") },
			object: both("archive-id"), kind: map[string]verify.Kind{"local": verify.KindIdentity, "minio": verify.KindAltered},
			run: 5, runSays: "archive-id is missing"},
		{name: "stray-objects", tamper: func(t *testing.T, a tampered) {
			a.put(t, cleared+"v0002x/commercial-invoice.pdf", a.read(t, cleared+"v0002/commercial-invoice.pdf"))
		}, object: both(cleared + "v0002x/commercial-invoice.pdf"), kind: map[string]verify.Kind{"local": verify.KindStray, "minio": verify.KindStray}},
		{name: "symlink-to-the-key", local: true, tamper: func(t *testing.T, a tampered) {
			if err := os.Symlink(key, a.(localArchive).path(other+"v0001/leak.txt")); err != nil {
				t.Fatal(err)
			}
		}, object: both(other + "v0001/leak.txt"), kind: map[string]verify.Kind{"local": verify.KindManifest}},
		{name: "version-folder-symlink", local: true, tamper: func(t *testing.T, a tampered) {
			if err := os.Symlink(filepath.Dir(key), a.(localArchive).path(other+"v0002")); err != nil {
				t.Fatal(err)
			}
		}, object: both(other + "v0002"), kind: map[string]verify.Kind{"local": verify.KindStray}},
		{name: "fifo", local: true, tamper: func(t *testing.T, a tampered) {
			if err := syscall.Mkfifo(a.(localArchive).path(other+"notes.pdf"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, object: both(other + "notes.pdf"), kind: map[string]verify.Kind{"local": verify.KindStray}},
	}
}

// runTamperCase checks that the intact archive verifies, tampers with it,
// and checks what verify (and run) say.
func runTamperCase(t *testing.T, store string, tc tamperCase, a tampered, pub, key string) {
	t.Helper()
	if rep, r := verifyReport(t, a.spec(), pub, a.env()); r.code != 0 {
		t.Fatalf("the intact archive does not verify: %v", rep.Failures())
	}
	tc.tamper(t, a)
	rep, r := verifyReport(t, a.spec(), pub, a.env())
	first := rep.FirstFailure()
	if r.code != 6 || first == nil || first.Kind != tc.kind[store] || !strings.HasPrefix(first.Object, tc.object[store]) {
		t.Fatalf("verify after tampering: exit %d, first failure %v; want exit 6, %s naming %s\n%s", r.code, first, tc.kind[store], tc.object[store], r.stderr)
	}
	if !strings.Contains(r.stderr, first.Object) {
		t.Errorf("verify's error does not name %s: %s", first.Object, r.stderr)
	}
	if tc.run == 0 || store == "minio" && tc.kind[store] == verify.KindAltered {
		return // (on S3 a run reads the archived versions: nothing to refuse)
	}
	before := a.keys(t, auditlog.CheckpointsPrefix)
	args := []string{"run", "--inventory", "../testdata/sample/inventory.csv", "--plan", "../testdata/sample/plan.yaml",
		"--clearances", "../testdata/sample/clearances.yaml", "--key", key, "--archive", a.spec()}
	rr := cli(t, context.Background(), a.env(), args...)
	if rr.code != tc.run || !strings.Contains(rr.stderr, tc.runSays) {
		t.Fatalf("run after tampering: exit %d, want %d saying %q\n%s", rr.code, tc.run, tc.runSays, rr)
	}
	if first.Kind == verify.KindEntry && !strings.Contains(rr.stderr, first.Object) {
		t.Errorf("run does not name the forged entry %s: %s", first.Object, rr.stderr)
	}
	if after := a.keys(t, auditlog.CheckpointsPrefix); len(after) != len(before) {
		t.Errorf("a checkpoint was signed after the tampering: %v", after[len(before):])
	}
}

func TestTamperLocal(t *testing.T) {
	if testing.Short() {
		t.Skip("archives the sample")
	}
	key, pub := keypair(t)
	base := t.TempDir()
	archiveSample(t, base, key, nil)
	for _, tc := range tamperCases(t, key) {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "archive")
			if out, err := exec.Command("cp", "-a", base, root).CombinedOutput(); err != nil {
				t.Fatalf("copying the archive: %v %s", err, out)
			}
			runTamperCase(t, "local", tc, localArchive{root: root}, pub, key)
		})
	}
}

func TestTamperMinIO(t *testing.T) {
	if testing.Short() {
		t.Skip("starts MinIO")
	}
	m := startMinio(t)
	ctx := context.Background()
	bucket := "faults-tamper"
	if err := m.client().MakeBucket(ctx, bucket, minio.MakeBucketOptions{ObjectLocking: true}); err != nil {
		t.Fatal(err)
	}
	key, pub := keypair(t)
	base := minioArchive{m: m, bucket: bucket, prefix: "base"}
	archiveSample(t, base.spec(), key, m.env())
	for i, tc := range tamperCases(t, key) {
		if tc.local {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			// A copy of the archive under its own prefix, locked as the
			// original (copies are new objects: they keep their order).
			a := minioArchive{m: m, bucket: bucket, prefix: fmt.Sprintf("case%d", i)}
			for _, k := range base.keys(t, "") {
				_, err := m.client().CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: a.prefix + "/" + k,
					Mode: minio.Compliance, RetainUntilDate: time.Now().Add(24 * time.Hour)},
					minio.CopySrcOptions{Bucket: bucket, Object: base.prefix + "/" + k})
				if err != nil {
					t.Fatal(err)
				}
			}
			runTamperCase(t, "minio", tc, a, pub, key)
		})
	}
}

// After a key rotation a run refuses the entries of the earlier key until
// it is named with --also-trust; then the archive is extended and verifies
// with both keys.
func TestKeyRotation(t *testing.T) {
	if testing.Short() {
		t.Skip("archives the sample")
	}
	oldKey, oldPub := keypair(t)
	newKey, newPub := keypair(t)
	root := filepath.Join(t.TempDir(), "archive")
	args := func(key string, extra ...string) []string {
		return append([]string{"run", "--inventory", "../testdata/sample/inventory.csv", "--plan", "../testdata/sample/plan.yaml",
			"--clearances", "../testdata/sample/clearances.yaml", "--key", key, "--archive", root}, extra...)
	}
	if r := cli(t, context.Background(), nil, args(oldKey)...); r.code != 3 {
		t.Fatalf("first run: %s", r)
	}
	r := cli(t, context.Background(), nil, args(newKey)...)
	if r.code != 5 || !strings.Contains(r.stderr, auditlog.EntriesPrefix) || !strings.Contains(r.stderr, "not a trusted key") {
		t.Fatalf("run with a new key, the old one not named: %s", r)
	}
	if r := cli(t, context.Background(), nil, args(newKey, "--also-trust", oldPub)...); r.code != 3 {
		t.Fatalf("run with the new key trusting the old: %s", r)
	}
	v := cli(t, context.Background(), nil, "verify", "--archive", root, "--pub", newPub, "--also-trust", oldPub, "--quiet")
	if v.code != 0 {
		t.Fatalf("verify with both keys: %s", v)
	}
}
