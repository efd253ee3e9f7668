package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/deliver/delivertest"
)

func logEntries(t *testing.T, arch string) []auditlog.Entry {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(arch, "audit", "entries", "*.json"))
	sort.Strings(files)
	var out []auditlog.Entry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e auditlog.Entry
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// bundleEnv runs the sample into an archive and writes APL26-VN-01's bundle
// with --out: what any delivery must carry, byte for byte.
func bundleEnv(t *testing.T) (dir, key, arch, pub string, want []byte) {
	t.Helper()
	dir = t.TempDir()
	key, arch = filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive")
	if code, out, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	if code, out, _ := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", arch); code != ExitPartial {
		t.Fatalf("run: %d %s", code, out)
	}
	pub = filepath.Join(dir, "key.pub")
	zipPath := filepath.Join(dir, "b.zip")
	if code, out, errOut := clearpack(t, "bundle", "APL26-VN-01", "--program", deliverProgram, "--for", "saigon-customs", "--pub", pub, "--archive", arch, "--out", zipPath, "--key", key); code != ExitOK {
		t.Fatalf("bundle --out: %s %s", out, errOut)
	}
	want, _ = os.ReadFile(zipPath)
	return dir, key, arch, pub, want
}

const deliverProgram = "apac-latam-server-refresh-2026"

// A broker receives the bundle by e-mail through a real SMTP server (TLS,
// password from the environment): the attachment is the very zip `bundle
// --out` writes, and the audit log records the issue and the delivery with
// the message id. A server that is down is retried, the failure recorded,
// the exit code says so, and the password is never printed.
func TestBundleDeliverMail(t *testing.T) {
	mp := delivertest.StartMailpit(t, false)
	dir, key, arch, pub, want := bundleEnv(t)
	const program = deliverProgram
	t.Setenv(deliver.EnvSMTPUser, delivertest.User)
	t.Setenv(deliver.EnvSMTPPassword, delivertest.Password)
	args := []string{"bundle", "APL26-VN-01", "--program", program, "--for", "saigon-customs", "--pub", pub, "--archive", arch,
		"--mail-from", "customs@meridian.example", "--smtp-ca", mp.CA, "--key", key, "--deliver", "mailto:despacho@broker.example"}
	code, out, errOut := clearpack(t, append(args, "--smtp", "smtp://"+mp.SMTP)...)
	if code != ExitOK || !strings.Contains(out, "delivered: e-mailed to despacho@broker.example as an attachment, message id <") {
		t.Fatalf("bundle --deliver: %d\n%s%s", code, out, errOut)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
		t.Fatalf("mailpit received %+v", msgs)
	}
	got := mp.Get(t, "/api/v1/message/"+msgs[0].ID+"/part/"+msgs[0].Attachments[0].PartID)
	if !bytes.Equal(got, want) {
		t.Errorf("the mailed bundle (%d bytes) is not the zip bundle --out writes (%d bytes)", len(got), len(want))
	}
	entries := logEntries(t, arch)
	last := entries[len(entries)-1]
	if last.Event != auditlog.EventBundleDelivered || !strings.Contains(last.Detail, msgs[0].MessageID) || !strings.Contains(last.Detail, "mailto:despacho@broker.example") {
		t.Errorf("last audit entry %+v, want bundle.delivered naming the message id %s", last, msgs[0].MessageID)
	}
	if prev := entries[len(entries)-2]; prev.Event != auditlog.EventBundleIssued {
		t.Errorf("entry before the delivery: %+v, want bundle.issued", prev)
	}

	// The server is gone: two attempts, then recorded as failed.
	code, out, errOut = clearpack(t, append(args, "--smtp", "smtp://"+delivertest.FreePort(t), "--deliver-attempts", "2", "--deliver-pause", "10ms")...)
	if code != ExitFailure || strings.Count(errOut, "attempt ") < 2 || !strings.Contains(errOut, "1 of 1 deliveries failed") {
		t.Errorf("server down: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, delivertest.Password) {
		t.Error("the SMTP password was printed")
	}
	entries = logEntries(t, arch)
	if last := entries[len(entries)-1]; last.Event != auditlog.EventBundleDeliveryFailed || !strings.Contains(last.Detail, "after 2 attempt(s)") {
		t.Errorf("last audit entry %+v, want bundle.delivery-failed after 2 attempts", last)
	}
	if len(mp.Messages(t)) != 1 {
		t.Error("a message arrived from the failed delivery")
	}

	// Bad delivery settings are usage errors, before anything is recorded.
	n := len(entries)
	for _, bad := range [][]string{
		{"--deliver", "mailto:not-an-address"},
		{"--deliver", "sftp://u:pw@host/dir"},
		{"--smtp", "smtp://" + mp.SMTP, "--out", filepath.Join(dir, "x.zip")},
	} {
		a := append(append([]string{}, args...), bad...)
		if code, out, errOut := clearpack(t, a...); code != ExitUsage || strings.Contains(out+errOut, ":pw@") {
			t.Errorf("%v: exit %d %s%s", bad, code, out, errOut)
		}
	}
	if len(logEntries(t, arch)) != n {
		t.Error("refused command lines were recorded in the audit log")
	}
}

// A broker receives the bundle in their SFTP directory over real SSH, with
// the key from the environment and the host key checked; the audit log
// records the remote path.
func TestBundleDeliverSFTP(t *testing.T) {
	sshd := delivertest.StartSSHD(t)
	_, key, arch, pub, want := bundleEnv(t)
	inbox := t.TempDir()
	t.Setenv(deliver.EnvSFTPKey, sshd.KeyFile)
	target := "sftp://" + sshd.User + "@" + sshd.Addr + inbox
	code, out, errOut := clearpack(t, "bundle", "APL26-VN-01", "--program", deliverProgram, "--for", "saigon-customs", "--pub", pub,
		"--archive", arch, "--key", key, "--sftp-known-hosts", sshd.KnownHosts, "--deliver", target)
	if code != ExitOK {
		t.Fatalf("bundle --deliver sftp: %d\n%s%s", code, out, errOut)
	}
	name := "APL26-VN-01-v0001-saigon-customs.zip"
	if got, err := os.ReadFile(filepath.Join(inbox, name)); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("uploaded bundle: %v (%d bytes, want %d)", err, len(got), len(want))
	}
	entries := logEntries(t, arch)
	if last := entries[len(entries)-1]; last.Event != auditlog.EventBundleDelivered || last.Object != target+"/"+name {
		t.Errorf("last audit entry %+v, want bundle.delivered naming %s", last, target+"/"+name)
	}
}
