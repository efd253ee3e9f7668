package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/minio/minio-go/v7"
)

const (
	e2eProgram  = "apac-latam-server-refresh-2026"
	e2eShipment = "APL26-ID-02"
)

// The S3 archive driven from the CLI against a real MinIO: archive init,
// run, verify (retention of every object), legal hold on and off, a
// tampering attempt the server refuses, and a presigned broker bundle
// downloaded with plain HTTP. Run against every S3 server the driver
// supports (MinIO and Versity Gateway).
func TestS3EndToEnd(t *testing.T) {
	for _, kind := range s3test.Kinds() {
		t.Run(string(kind), func(t *testing.T) { s3EndToEnd(t, kind) })
	}
}

func s3EndToEnd(t *testing.T, kind s3test.Kind) {
	srv := s3test.Start(t, kind)
	// Credentials come from the standard environment, never from flags.
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	ctx := context.Background()
	dir := t.TempDir()
	bucket := "clearpack-e2e"
	arch := "s3://" + bucket + "/archive?endpoint=" + srv.Endpoint + "&insecure=true"

	// archive init
	if code, _, errOut := clearpack(t, "archive", "init", "--archive", arch); code != ExitUsage || !strings.Contains(errOut, "--retention-days") {
		t.Errorf("init without --retention-days: %d %s", code, errOut)
	}
	for i := 0; i < 2; i++ { // idempotent
		code, out, errOut := clearpack(t, "archive", "init", "--archive", arch, "--retention-days", "30")
		if code != ExitOK || !strings.Contains(out, "object lock and versioning on, default retention COMPLIANCE 30 days") {
			t.Fatalf("archive init #%d: %d\n%s%s", i+1, code, out, errOut)
		}
	}
	if code, _, errOut := clearpack(t, "archive", "init", "--archive", arch, "--retention-days", "1"); code != ExitArchive {
		t.Errorf("shortening the default retention: exit %d %s", code, errOut)
	}
	unlocked := srv.NewBucket(t, false)
	uarch := "s3://" + unlocked + "?endpoint=" + srv.Endpoint + "&insecure=true"
	if code, _, errOut := clearpack(t, "archive", "init", "--archive", uarch, "--retention-days", "30"); code != ExitArchive || !strings.Contains(errOut, "object lock") {
		t.Errorf("init on a bucket without object lock: %d %s", code, errOut)
	}
	if code, out, errOut := clearpack(t, "archive", "init", "--archive", uarch, "--retention-days", "30", "--allow-unlocked-for-tests"); code != ExitOK || !strings.Contains(out, "WITHOUT object lock") {
		t.Errorf("init on an unlocked bucket for tests: %d %s%s", code, out, errOut)
	}

	// run and verify
	key := filepath.Join(dir, "key.pem")
	pub := filepath.Join(dir, "key.pub")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	code, out, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", arch)
	if code != ExitPartial || !strings.Contains(out, "19 archived") {
		t.Fatalf("run into S3: exit %d\n%s%s", code, out, errOut)
	}
	verifyOK := func(when string) string {
		t.Helper()
		code, out, errOut := clearpack(t, "verify", "--archive", arch, "--pub", pub)
		if code != ExitOK {
			t.Fatalf("verify %s: exit %d\n%s%s", when, code, tail(out), errOut)
		}
		return out
	}
	// hold and bundle sign a checkpoint over what they record: an auditor
	// verifying right after sees every entry covered.
	covered := func(when string) {
		t.Helper()
		out := verifyOK(when)
		m := regexp.MustCompile(`(\d+) log entries \(latest checkpoint (\d+)\)`).FindStringSubmatch(out)
		if m == nil || m[1] != m[2] {
			t.Errorf("verify %s: the latest checkpoint does not cover the log: %q", when, m)
		}
	}
	out = verifyOK("after run")
	if n := strings.Count(out, "COMPLIANCE until"); n < 19*11 {
		t.Errorf("verify checked retention of %d objects, want every object of 19 packs and more", n)
	}

	// legal hold
	if code, _, errOut := clearpack(t, "hold", e2eShipment, "--program", e2eProgram, "--archive", arch, "--on"); code != ExitUsage || !strings.Contains(errOut, "--reason") {
		t.Errorf("hold without a reason: %d %s", code, errOut)
	}
	code, out, errOut = clearpack(t, "hold", e2eShipment, "--program", e2eProgram, "--archive", arch, "--on", "--reason", "subpoena 2026-117", "--actor", "counsel", "--key", key)
	if code != ExitOK || !strings.Contains(out, "legal hold placed") {
		t.Fatalf("hold --on: %d\n%s%s", code, out, errOut)
	}
	covered("after hold --on")
	st, err := s3.New(ctx, mustParse(t, arch), srv.Creds())
	if err != nil {
		t.Fatal(err)
	}
	inv := "programs/" + e2eProgram + "/shipments/" + e2eShipment + "/v0001/commercial-invoice.pdf"
	if in, err := st.Stat(ctx, inv); err != nil || !in.LegalHold || in.Mode != archive.Compliance {
		t.Errorf("invoice after hold --on: %+v %v", in, err)
	}
	other := "programs/" + e2eProgram + "/shipments/APL26-VN-01/v0001/commercial-invoice.pdf"
	if in, err := st.Stat(ctx, other); err != nil || in.LegalHold {
		t.Errorf("another shipment's invoice got a hold: %+v %v", in, err)
	}
	original, err := archive.ReadAll(ctx, st, inv)
	if err != nil {
		t.Fatal(err)
	}

	// A broker bundle behind a presigned link.
	if code, _, errOut := clearpack(t, "bundle", e2eShipment, "--program", e2eProgram, "--for", "acme-brokers", "--pub", pub, "--archive", arch, "--presign", "200h"); code != ExitUsage {
		t.Errorf("--presign beyond 7 days: exit %d %s", code, errOut)
	}
	code, out, errOut = clearpack(t, "bundle", e2eShipment, "--program", e2eProgram, "--for", "acme-brokers", "--pub", pub, "--archive", arch, "--presign", "72h", "--key", key)
	if code != ExitOK {
		t.Fatalf("bundle --presign: %d\n%s%s", code, out, errOut)
	}
	link := regexp.MustCompile(`(?m)^http://\S+$`).FindString(out)
	digest := regexp.MustCompile(`sha256 ([0-9a-f]{64})`).FindStringSubmatch(out)
	if link == "" || digest == nil || !strings.Contains(link, "X-Amz-Expires=259200") {
		t.Fatalf("bundle output has no 72h link or digest:\n%s", out)
	}
	resp, err := http.Get(link) // no credentials: the link is the permission
	if err != nil {
		t.Fatal(err)
	}
	z, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET presigned link: %d %v %s", resp.StatusCode, err, z)
	}
	if sum := sha256.Sum256(z); hex.EncodeToString(sum[:]) != digest[1] {
		t.Errorf("downloaded bundle's sha256 differs from the one printed (and logged)")
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range zr.File {
		if f.Name == e2eShipment+"-v0001/commercial-invoice.pdf" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			found = bytes.Equal(b, original)
		}
	}
	if !found {
		t.Error("the bundle does not hold the original invoice")
	}
	resp, err = http.Get(strings.Replace(link, "X-Amz-Signature=", "X-Amz-Signature=0", 1))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("a link with a changed signature downloads")
		}
	}

	covered("after bundle --presign")

	// Lift the hold.
	code, out, errOut = clearpack(t, "hold", e2eShipment, "--program", e2eProgram, "--archive", arch, "--off", "--reason", "case closed", "--actor", "counsel", "--key", key)
	if code != ExitOK || !strings.Contains(out, "legal hold lifted") {
		t.Fatalf("hold --off: %d\n%s%s", code, out, errOut)
	}
	if in, err := st.Stat(ctx, inv); err != nil || in.LegalHold || in.Mode != archive.Compliance {
		t.Errorf("invoice after hold --off: %+v %v (retention must stay)", in, err)
	}

	// Everything is in the audit trail.
	events := map[string][]auditlog.Entry{}
	err = st.List(ctx, auditlog.EntriesPrefix, func(in archive.Info) error {
		b, err := archive.ReadAll(ctx, st, in.Key)
		if err != nil {
			return err
		}
		var e auditlog.Entry
		if err := json.Unmarshal(b, &e); err != nil {
			return err
		}
		events[e.Event] = append(events[e.Event], e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := events[auditlog.EventLegalHoldPlaced]; len(p) != 1 || p[0].Actor != "counsel" || !strings.Contains(p[0].Detail, "subpoena 2026-117") || p[0].Shipment != e2eShipment {
		t.Errorf("legal-hold.placed entries: %+v", p)
	}
	if l := events[auditlog.EventLegalHoldLifted]; len(l) != 1 || !strings.Contains(l[0].Detail, "case closed") {
		t.Errorf("legal-hold.lifted entries: %+v", l)
	}
	b := events[auditlog.EventBundleIssued]
	if len(b) != 1 || !strings.Contains(b[0].Detail, "acme-brokers") || !containsValue(b[0].Digests, digest[1]) || b[0].Digests["commercial-invoice.pdf"] == "" {
		t.Errorf("bundle.issued entries: %+v", b)
	}
	covered("at the end (after hold --off)")

	// Tampering behind the tool's back (last: it stays visible for good):
	// deleting the archived version is refused by the server; a new version
	// written over it changes nothing the archive reads, and verify names
	// the attempt (issue 13).
	name := "archive/" + inv
	var versionID string
	for oi := range srv.Client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: name, WithVersions: true}) {
		if oi.Err != nil {
			t.Fatal(oi.Err)
		}
		if oi.Key == name {
			versionID = oi.VersionID
		}
	}
	if versionID == "" {
		t.Fatalf("no version of %s listed", name)
	}
	if err := srv.Client.RemoveObject(ctx, bucket, name, minio.RemoveObjectOptions{VersionID: versionID}); err == nil {
		t.Fatal("the server deleted an archived, held document version")
	}
	if err := srv.Client.RemoveObject(ctx, bucket, name, minio.RemoveObjectOptions{VersionID: versionID, GovernanceBypass: true}); err == nil {
		t.Fatal("the server deleted a COMPLIANCE-locked version with governance bypass")
	}
	fake := []byte("%PDF-1.7 forged invoice")
	if _, err := srv.Client.PutObject(ctx, bucket, name, bytes.NewReader(fake), int64(len(fake)), minio.PutObjectOptions{}); err != nil {
		t.Fatalf("plain overwrite (a new version): %v", err)
	}
	if got, err := archive.ReadAll(ctx, st, inv); err != nil || !bytes.Equal(got, original) {
		t.Errorf("after a forged new version the archive reads %d bytes (%v), want the original", len(got), err)
	}
	code, out, errOut = clearpack(t, "verify", "--archive", arch, "--pub", pub, "--quiet")
	if code != ExitVerify || !strings.Contains(out, "FAIL altered    "+inv+": overwritten (1 later versions)") {
		t.Errorf("verify after a tampering attempt: exit %d, want %d naming %s as overwritten\n%s%s", code, ExitVerify, inv, tail(out), errOut)
	}
	// A pack with an object overwritten behind clearpack's back is not
	// handed to a broker.
	if code, _, errOut := clearpack(t, "bundle", e2eShipment, "--program", e2eProgram, "--for", "acme-brokers", "--pub", pub, "--archive", arch, "--presign", "72h", "--key", key); code != ExitVerify || !strings.Contains(errOut, "no bundle issued") {
		t.Errorf("bundle after a tampering attempt: exit %d %s", code, errOut)
	}
}

func containsValue(m map[string]string, v string) bool {
	for _, x := range m {
		if x == v {
			return true
		}
	}
	return false
}

func mustParse(t *testing.T, u string) s3.Config {
	t.Helper()
	c, err := s3.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func tail(s string) string {
	if len(s) > 3000 {
		return "..." + s[len(s)-3000:]
	}
	return s
}

// The access commands on a local archive: token, bundle to a file (refusing
// to overwrite, refusing a tampered pack), and the S3-only commands saying so.
func TestAccessCommandsLocal(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	pub := filepath.Join(dir, "key.pub")
	arch := filepath.Join(dir, "archive")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	if code, out, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", arch); code != ExitPartial {
		t.Fatalf("run: %d\n%s%s", code, out, errOut)
	}
	for _, c := range []string{"archive", "hold", "bundle", "token"} {
		if code, out, _ := clearpack(t, c, "--help"); code != ExitOK || !strings.Contains(out, "clearpack "+c) {
			t.Errorf("%s --help: %d %s", c, code, out)
		}
	}

	t.Run("token", func(t *testing.T) {
		code, out, _ := clearpack(t, "token", "--name", "alice")
		tok := regexp.MustCompile(`(?m)^  (cpa_\S+)$`).FindStringSubmatch(out)
		line := regexp.MustCompile(`(?m)^  (sha256:[0-9a-f]{64} alice)$`).FindStringSubmatch(out)
		if code != ExitOK || tok == nil || line == nil {
			t.Fatalf("token: %d\n%s", code, out)
		}
		sum := sha256.Sum256([]byte(tok[1]))
		if !strings.Contains(line[1], hex.EncodeToString(sum[:])) {
			t.Errorf("the tokens-file line is not the token's hash:\n%s", out)
		}
		_, out2, _ := clearpack(t, "token", "--name", "alice")
		if strings.Contains(out2, tok[1]) {
			t.Error("two tokens are the same")
		}
		if code, _, _ := clearpack(t, "token"); code != ExitUsage {
			t.Errorf("token without --name: exit %d", code)
		}
	})

	t.Run("bundle", func(t *testing.T) {
		zipPath := filepath.Join(dir, "b.zip")
		args := []string{"bundle", e2eShipment, "--program", e2eProgram, "--for", "acme", "--pub", pub, "--archive", arch, "--out", zipPath}
		// Every audit-log entry is signed by its writer (issue 13): a
		// bundle, which records one, needs the key.
		if code, _, errOut := clearpack(t, args...); code != ExitUsage || !strings.Contains(errOut, "--key") {
			t.Fatalf("bundle without --key: %d %s", code, errOut)
		}
		if _, err := os.Stat(zipPath); err == nil {
			t.Fatal("bundle without --key wrote a zip")
		}
		args = append(args, "--key", key)
		code, out, errOut := clearpack(t, args...)
		if code != ExitOK || !strings.Contains(out, "written to "+zipPath) {
			t.Fatalf("bundle: %d\n%s%s", code, out, errOut)
		}
		z, err := os.ReadFile(zipPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := zip.NewReader(bytes.NewReader(z), int64(len(z))); err != nil {
			t.Fatalf("not a zip: %v", err)
		}
		if code, _, errOut := clearpack(t, args...); code != ExitUsage || !strings.Contains(errOut, "exists") {
			t.Errorf("bundle over an existing file: %d %s", code, errOut)
		}
		for _, bad := range [][]string{
			{"bundle", e2eShipment, "--program", e2eProgram, "--pub", pub, "--archive", arch, "--key", key},                                     // no --for
			{"bundle", e2eShipment, "--program", e2eProgram, "--for", "a/b", "--pub", pub, "--archive", arch, "--key", key},                     // bad broker
			{"bundle", "APL26-BR-03", "--program", e2eProgram, "--for", "acme", "--pub", pub, "--archive", arch, "--key", key},                  // rejected: no pack
			{"bundle", e2eShipment, "--program", e2eProgram, "--for", "acme", "--pub", pub, "--archive", arch, "--presign", "1h", "--key", key}, // local: no links
			{"bundle", e2eShipment, "--program", e2eProgram, "--for", "acme", "--pub", pub, "--archive", arch, "--pack-version", "-1", "--key", key},
		} {
			if code, _, errOut := clearpack(t, bad...); code != ExitUsage {
				t.Errorf("%v: exit %d %s", bad, code, errOut)
			}
		}
		// A tampered pack is not handed out.
		inv := filepath.Join(arch, "programs", e2eProgram, "shipments", e2eShipment, "v0001", "commercial-invoice.pdf")
		b, err := os.ReadFile(inv)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		if err := os.Chmod(inv, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(inv, b, 0o444); err != nil {
			t.Fatal(err)
		}
		other := filepath.Join(dir, "tampered.zip")
		code, _, errOut = clearpack(t, "bundle", e2eShipment, "--program", e2eProgram, "--for", "acme", "--pub", pub, "--archive", arch, "--out", other, "--key", key)
		if code != ExitVerify || !strings.Contains(errOut, "no bundle issued") {
			t.Errorf("bundle of a tampered pack: %d %s", code, errOut)
		}
		if _, err := os.Stat(other); err == nil {
			t.Error("a bundle of a tampered pack was written")
		}
	})

	t.Run("s3-only commands", func(t *testing.T) {
		if code, _, errOut := clearpack(t, "hold", e2eShipment, "--program", e2eProgram, "--archive", arch, "--on", "--reason", "x"); code != ExitArchive || !strings.Contains(errOut, "a legal hold needs an S3 archive with object lock") {
			t.Errorf("hold on a local archive: %d %s", code, errOut)
		}
		if code, _, errOut := clearpack(t, "archive", "init", "--archive", arch, "--retention-days", "3"); code != ExitUsage || !strings.Contains(errOut, "s3://") {
			t.Errorf("archive init on a local directory: %d %s", code, errOut)
		}
		if code, _, _ := clearpack(t, "archive", "destroy", "--archive", "s3://b"); code != ExitUsage {
			t.Errorf("archive destroy: exit %d", code)
		}
		if code, _, _ := clearpack(t, "hold", "--program", e2eProgram, "--archive", arch, "--on", "--reason", "x"); code != ExitUsage {
			t.Errorf("hold without a shipment: exit %d", code)
		}
	})
}
