package mem_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/archivetest"
	"github.com/clearpack/clearpack/archive/mem"
)

var _ archive.Holder = (*mem.Store)(nil)

func TestSuite(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archive.Store { return mem.New() })
}

func TestRecordsRetentionAndHold(t *testing.T) {
	ctx := context.Background()
	until := time.Date(2033, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		opts     archive.PutOptions
		wantMode archive.RetentionMode
	}{
		{"no retention", archive.PutOptions{}, ""},
		{"default mode is compliance", archive.PutOptions{RetainUntil: until}, archive.Compliance},
		{"governance", archive.PutOptions{RetainUntil: until, Mode: archive.Governance}, archive.Governance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mem.New()
			if err := archive.PutBytes(ctx, s, "a/b", []byte("x"), tt.opts); err != nil {
				t.Fatal(err)
			}
			info, err := s.Stat(ctx, "a/b")
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode != tt.wantMode || !info.RetainUntil.Equal(tt.opts.RetainUntil) {
				t.Fatalf("Stat = mode %q until %v, want %q %v", info.Mode, info.RetainUntil, tt.wantMode, tt.opts.RetainUntil)
			}
			if err := s.SetLegalHold(ctx, "a/b", true); err != nil {
				t.Fatal(err)
			}
			if info, _ := s.Stat(ctx, "a/b"); !info.LegalHold {
				t.Fatal("legal hold not reported after SetLegalHold(true)")
			}
			if err := s.SetLegalHold(ctx, "a/b", false); err != nil {
				t.Fatal(err)
			}
			if info, _ := s.Stat(ctx, "a/b"); info.LegalHold {
				t.Fatal("legal hold still reported after SetLegalHold(false)")
			}
		})
	}
	if err := mem.New().SetLegalHold(ctx, "no/such", true); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("SetLegalHold on a missing key: %v, want ErrNotFound", err)
	}
}
