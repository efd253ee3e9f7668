package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/deliver/delivertest"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// A batch that names its brokers has each new pack delivered as the worker
// makes it (run --once is serve's worker for one pass): the broker's mail
// arrives at a real SMTP server with the bundle attached and the delivery
// is in the audit log with its message id; a delivery that fails is
// recorded as failed and the batch is done all the same.
func TestBatchDeliversToItsBrokers(t *testing.T) {
	mp := delivertest.StartMailpit(t, false)
	t.Setenv(deliver.EnvSMTPUser, delivertest.User)
	t.Setenv(deliver.EnvSMTPPassword, delivertest.Password)
	dir := t.TempDir()
	key, arch, in := filepath.Join(dir, "key.pem"), filepath.Join(dir, "archive"), filepath.Join(dir, "inbox")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	dropSample(t, in, "b1")
	down := "sftp://broker@" + delivertest.FreePort(t) + "/inbound"
	plan := "broker: saigon-customs\nshipments:\n  APL26-VN-01: [mailto:despacho@broker.example]\n  APL26-BR-01: [" + down + "]\n  APL26-ID-01: [mailto:not-an-address]\n"
	if err := os.WriteFile(filepath.Join(in, "b1", schedule.DeliveriesName), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	knownHosts := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(knownHosts, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := clearpack(t, "run", "--once", "--inbox", in, "--archive", arch, "--key", key,
		"--smtp", "smtp://"+mp.SMTP, "--smtp-ca", mp.CA, "--mail-from", "customs@meridian.example",
		"--sftp-known-hosts", knownHosts, "--deliver-attempts", "1")
	// exit 3: the sample stops one shipment at the desk, as run does.
	if code != ExitPartial {
		t.Fatalf("run --once: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(in, "done", "b1")); err != nil {
		t.Errorf("the batch is not done although only a delivery failed: %v\n%s", err, errOut)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 || msgs[0].Attachments[0].FileName != "APL26-VN-01-v0001-saigon-customs.zip" {
		t.Fatalf("mailpit received %+v\n%s", msgs, errOut)
	}
	var delivered, failed, unusable *auditlog.Entry
	for _, e := range logEntries(t, arch) {
		switch {
		case e.Event == auditlog.EventBundleDelivered:
			delivered = &e
		case e.Event == auditlog.EventBundleDeliveryFailed && e.Shipment == "APL26-ID-01":
			unusable = &e
		case e.Event == auditlog.EventBundleDeliveryFailed:
			failed = &e
		}
	}
	if unusable == nil || !strings.Contains(unusable.Detail, "unusable target") {
		t.Errorf("an unusable target recorded as %+v\n%s", unusable, errOut)
	}
	if delivered == nil || delivered.Shipment != "APL26-VN-01" || !strings.Contains(delivered.Detail, msgs[0].MessageID) || !strings.Contains(delivered.Detail, "saigon-customs") {
		t.Errorf("delivery recorded as %+v, want bundle.delivered with message id %s", delivered, msgs[0].MessageID)
	}
	if failed == nil || failed.Shipment != "APL26-BR-01" || !strings.Contains(failed.Detail, down) {
		t.Errorf("failed delivery recorded as %+v\n%s", failed, errOut)
	}
	if strings.Contains(out+errOut, delivertest.Password) {
		t.Error("the SMTP password was printed")
	}
}
