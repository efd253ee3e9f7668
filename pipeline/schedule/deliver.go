package schedule

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/pipeline"
)

// DeliveriesName is the batch file that names the brokers of the batch's
// packs:
//
//	broker: despachos-gru           # recorded as whom the bundles are for
//	all: [mailto:docs@broker.example]
//	shipments:
//	  APL26-BR-01: [sftp://upload@sftp.broker.example/inbound]
//
// Every pack the batch archives (a new version) is delivered to "all" and
// to the targets of its shipment. Each delivery, or its failure, is an
// audit-log event; a failed delivery never fails the batch.
const DeliveriesName = "deliver.yaml"

// Deliveries is a batch's DeliveriesName file.
type Deliveries struct {
	Broker    string              `yaml:"broker"`
	All       []string            `yaml:"all"`
	Shipments map[string][]string `yaml:"shipments"`
}

// Delivery is one archived pack to send to its targets.
type Delivery struct {
	Program  string // the program's archive slug
	Shipment string
	Version  int
	Broker   string
	Targets  []string
}

// Deliverer sends a pack's bundle to the targets of d and records each
// delivery (or its failure) in the audit log. An error is logged; the
// batch goes on.
type Deliverer interface {
	DeliverPack(ctx context.Context, d Delivery, log *slog.Logger) error
}

// loadDeliveries reads dir's DeliveriesName; nil when there is none.
func loadDeliveries(dir string) (*Deliveries, error) {
	b, err := os.ReadFile(filepath.Join(dir, DeliveriesName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", DeliveriesName, err)
	}
	var d Deliveries
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w (want broker: NAME, all: [targets], shipments: {ID: [targets]})", DeliveriesName, err)
	}
	if d.Broker == "" {
		return nil, fmt.Errorf("%s: broker is required: the audit log records whom each bundle is for", DeliveriesName)
	}
	if err := archive.ValidSegment(d.Broker); err != nil {
		return nil, fmt.Errorf("%s: broker %q: %v", DeliveriesName, d.Broker, err)
	}
	return &d, nil
}

// plan returns the deliveries of the packs that sum archived, in shipment
// order.
func (d *Deliveries) plan(sum *pipeline.Summary) []Delivery {
	if d == nil || sum == nil {
		return nil
	}
	program, err := pipeline.Slug(sum.Program)
	if err != nil {
		return nil // a program without a slug archived nothing
	}
	var out []Delivery
	for _, s := range sum.Shipments {
		if s.Status != pipeline.Archived {
			continue
		}
		targets := append(append([]string(nil), d.All...), d.Shipments[s.ID]...)
		if len(targets) == 0 {
			continue
		}
		out = append(out, Delivery{Program: program, Shipment: s.ID, Version: s.Version, Broker: d.Broker, Targets: targets})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Shipment < out[j].Shipment })
	return out
}
