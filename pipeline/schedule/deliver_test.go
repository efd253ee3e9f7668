package schedule

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/archive/mem"
	"github.com/clearpack/clearpack/pipeline/inbox"
)

// recordingDeliverer notes each delivery and fails those of one shipment.
type recordingDeliverer struct {
	mu   sync.Mutex
	got  []Delivery
	fail string
}

func (r *recordingDeliverer) DeliverPack(_ context.Context, d Delivery, _ *slog.Logger) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, d)
	if d.Shipment == r.fail {
		return errors.New("refused by the mail server")
	}
	return nil
}

// A batch's deliver.yaml sends every pack the batch archived to "all" and
// to its shipment's own targets; a failed delivery does not fail the
// batch; packs left unchanged by a later batch are not sent again; a
// broker list that cannot be read sends nothing and fails nothing.
func TestBatchDeliversItsPacks(t *testing.T) {
	ctx := context.Background()
	st := mem.New()
	w, root := localWorker(t, st, "me")
	rd := &recordingDeliverer{fail: "APL26-VN-01"}
	w.Deliver = rd
	files := smallBatch(t, "Delivered Program")
	files[DeliveriesName] = []byte("broker: despachos-gru\nall: [mailto:docs@broker.example]\nshipments:\n  APL26-VN-01: [sftp://u@h/in]\n")
	dropLocal(t, root, "b1", files)
	res, err := w.Pass(ctx, Trigger{Mode: "once"})
	if err != nil || len(res) != 1 || res[0].Outcome != string(inbox.Done) {
		t.Fatalf("pass: %+v %v", res, err)
	}
	if len(rd.got) != 2 {
		t.Fatalf("deliveries %+v, want one per archived pack (2)", rd.got)
	}
	for _, d := range rd.got {
		want := []string{"mailto:docs@broker.example"}
		if d.Shipment == "APL26-VN-01" {
			want = append(want, "sftp://u@h/in")
		}
		if d.Program != "delivered-program" || d.Version != 1 || d.Broker != "despachos-gru" || !slices.Equal(d.Targets, want) {
			t.Errorf("delivery %+v, want targets %v", d, want)
		}
	}

	// The same inputs again: nothing new is archived, nothing is sent.
	dropLocal(t, root, "b2", files)
	if res, err := w.Pass(ctx, Trigger{Mode: "once"}); err != nil || len(res) != 1 || res[0].Outcome != string(inbox.Done) {
		t.Fatalf("second pass: %+v %v", res, err)
	}
	if len(rd.got) != 2 {
		t.Errorf("unchanged packs delivered again: %+v", rd.got[2:])
	}

	for name, body := range map[string]string{
		"no broker":     "all: [mailto:a@b.example]\n",
		"unknown field": "broker: x\nto: [mailto:a@b.example]\n",
		"bad broker":    "broker: ../x\nall: [mailto:a@b.example]\n",
	} {
		t.Run(name, func(t *testing.T) {
			st := mem.New()
			w, root := localWorker(t, st, "me")
			rd := &recordingDeliverer{}
			w.Deliver = rd
			files := smallBatch(t, "Other Program")
			files[DeliveriesName] = []byte(body)
			dropLocal(t, root, "b1", files)
			res, err := w.Pass(ctx, Trigger{Mode: "once"})
			if err != nil || len(res) != 1 || res[0].Outcome != string(inbox.Done) || res[0].Counts.Archived != 2 {
				t.Fatalf("pass: %+v %v", res, err)
			}
			if len(rd.got) != 0 {
				t.Errorf("delivered despite an unusable %s: %+v", DeliveriesName, rd.got)
			}
		})
	}
}
