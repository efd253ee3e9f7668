package capability_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/pipeline/capability"
	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/pipelinetest"
)

func TestSampleCapability(t *testing.T) {
	ctx := context.Background()
	w := pipelinetest.New(t, nil)
	st, s, book := w.Store, w.Signer, w.Rules
	if _, err := w.Runner(t, auditlog.Options{Name: "t"}).Run(ctx, pipelinetest.Sample(), ingest.Limits{}); err != nil {
		t.Fatal(err)
	}
	rep, err := capability.Report(ctx, st, s.PublicKey(), book)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]capability.Country{}
	for _, c := range rep {
		got[c.Country] = c
	}
	// From testdata/sample/README.md: two Mexican shipments cleared, one of
	// them held; one Brazilian shipment stopped at the desk; nothing to AR.
	if mx := got["MX"]; mx.Shipments != 2 || mx.Cleared != 2 || mx.Held != 1 || mx.ClearedWithoutHold != 1 || mx.LastRelease == "" {
		t.Errorf("MX = %+v", mx)
	}
	if br := got["BR"]; br.Stopped != 1 || br.Shipments != 2 {
		t.Errorf("BR = %+v; want 2 shipments and 1 stopped", br)
	}
	if ar, ok := got["AR"]; !ok || ar.Shipments != 0 {
		t.Errorf("AR = %+v, %v; want listed with no evidence", ar, ok)
	}
	var buf bytes.Buffer
	if err := capability.WriteTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "VN Viet Nam") {
		t.Errorf("table:\n%s", buf.String())
	}

	// Packs that do not verify with the key the reader trusts prove nothing.
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rep, err = capability.Report(ctx, st, other.Public(), book)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep {
		if c.Shipments != 0 {
			t.Errorf("untrusted key: %s counts %d shipments", c.Country, c.Shipments)
		}
		if c.Country == "??" && c.Unverified != 19 {
			t.Errorf("unverified = %d, want 19", c.Unverified)
		}
	}
}
