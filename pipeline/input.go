package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/clearpack/clearpack/pipeline/ingest"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/pipeline/rules"
	"github.com/clearpack/clearpack/renderers"
)

// packInput is everything a pack is made from; its digest addresses the pack.
// Record positions (file, line) are left out on purpose: moving a row in the
// inventory does not make a new version.
type packInput struct {
	Format          string           `json:"format"`
	Program         string           `json:"program"`
	Shipment        model.Shipment   `json:"shipment"`
	Assets          []model.Asset    `json:"assets"`
	Clearance       *model.Clearance `json:"clearance,omitempty"`
	RulesVersion    string           `json:"rules_version"`
	TemplateVersion string           `json:"template_version"`
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// shipmentInput is what one shipment needs of its batch, copied out of it.
type shipmentInput struct {
	program   string // as the plan names it
	sh        *model.Shipment
	assets    []model.Asset
	clearance *model.Clearance
	problems  []ingest.Problem
	inputs    []ingest.Input
}

// assetUses counts the shipments that list each asset, and lets go of the
// spare units no shipment lists. It is nil for a batch read by Index, whose
// assets are not in memory: there is nothing to let go of.
func assetUses(batch *ingest.Batch) map[string]int {
	if batch.Assets == nil {
		return nil
	}
	uses := make(map[string]int, batch.GoodAssets())
	for i := range batch.Plan.Len() {
		for _, tag := range batch.Plan.Outline(i).Assets {
			uses[tag]++
		}
	}
	for tag := range batch.Assets {
		if uses[tag] == 0 {
			delete(batch.Assets, tag)
		}
	}
	return uses
}

// take copies shipment i's share of the batch out of it, then lets go of
// the batch's own: the plan entry (its id and destination stay) and each
// asset that no later shipment lists (uses counts them down). RunBatch's
// dispatching loop is the only reader and writer of the batch meanwhile.
// The error is an indexed batch's stores failing to read the shipment, its
// clearance or an asset back.
func take(batch *ingest.Batch, i int, uses map[string]int) (shipmentInput, error) {
	whole, err := batch.Plan.Shipment(i) // an indexed batch's is read back from its store
	if err != nil {
		return shipmentInput{}, err
	}
	sh := *whole
	clearance, _, err := batch.Clearance(sh.ID) // an indexed batch's clearances are in its store
	in := shipmentInput{program: batch.Plan.Program, sh: &sh, assets: make([]model.Asset, 0, len(sh.Assets)),
		clearance: clearance, problems: batch.ShipmentProblems(sh.ID), inputs: batch.Inputs}
	for _, tag := range sh.Assets {
		a, ok, aerr := batch.Asset(tag)
		if ok {
			in.assets = append(in.assets, *a)
		}
		if aerr != nil && err == nil {
			err = aerr
		}
		release(batch, uses, tag)
	}
	batch.Plan.Release(i)
	return in, err
}

// release counts down the uses of an asset a shipment lists, letting go of
// it after the last.
func release(batch *ingest.Batch, uses map[string]int, tag string) {
	if uses == nil {
		return
	}
	if uses[tag]--; uses[tag] <= 0 {
		delete(batch.Assets, tag)
	}
}

// retainUntil is the ship date plus the longest retention the origin and
// destination demand.
func retainUntil(sh *model.Shipment, rep rules.Report) time.Time {
	years := rep.RetentionYears
	if years <= 0 {
		years = 5
	}
	d, err := model.Date(sh.ShipDate)
	if err != nil || d.IsZero() {
		return time.Time{}
	}
	return d.AddDate(years, 0, 0)
}

// renderSlots bounds how many documents are rendered at once.
type renderSlots chan struct{}

// render renders one document in a free slot.
func (s renderSlots) render(ctx context.Context, r Renderer, kind model.DocKind, p renderers.Pack) (renderers.Document, error) {
	select {
	case s <- struct{}{}:
	case <-ctx.Done():
		return renderers.Document{}, fmt.Errorf("rendering %s: %w", kind, ctx.Err())
	}
	defer func() { <-s }()
	return r.Render(ctx, kind, p)
}
