// Package inbox finds the input batches that land for scheduled runs, and
// hands them out to one instance at a time.
//
// An inbox is a local directory or an S3 prefix. Every batch is one folder
// directly under it holding the run's inputs:
//
//	<inbox>/<batch>/inventory.csv   (or .json, .yaml)  required
//	<inbox>/<batch>/plan.yaml       (or .yml, .json)   required
//	<inbox>/<batch>/clearances.yaml (or .csv, .json)   optional
//	<inbox>/<batch>/READY           marker: the batch is complete
//
// A batch is complete, and only then read, when its READY marker exists, or,
// when Options.Stable is set, when none of its files changed for that long.
// Writers copy the inputs first and the marker last, so a half-copied file is
// never read. Folder names starting with "." or "_" are staging areas and are
// ignored, and so are done/ and failed/: once processed, a batch moves to
// done/<batch>/ or failed/<batch>/ together with its run report. Nothing is
// deleted: a name already taken there gets a suffix (-2, -3, ...). For the S3
// inbox the move is a server-side copy followed by the deletion of the inbox
// objects; the inbox is a plain bucket or prefix, never the archive.
//
// Batch folder names must be valid archive path segments (letters, digits,
// - _ . + =): they name the batch's claim in the archive. Others are
// reported by List in Skipped.
//
// Claims (see Claims) make sure that, of any number of instances on any
// number of machines sharing one archive, exactly one processes a batch.
package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/pipeline/ingest"
)

const (
	// Marker is the file whose presence marks a batch complete.
	Marker = "READY"
	// DoneDir and FailedDir receive processed batches.
	DoneDir   = "done"
	FailedDir = "failed"
	// ReportName is the run report stored with a processed batch.
	ReportName = "run-report.json"
)

// Outcome is where a processed batch goes.
type Outcome string

const (
	// Done: every shipment was archived, unchanged or rejected with its
	// report archived; nothing is left to retry.
	Done Outcome = "done"
	// Failed: the inputs could not be used, or some shipment failed in
	// processing.
	Failed Outcome = "failed"
)

func (o Outcome) dir() string {
	if o == Failed {
		return FailedDir
	}
	return DoneDir
}

// File is one file of a batch.
type File struct {
	Name    string
	Size    int64
	ModTime time.Time
}

// Batch is one complete batch in the inbox.
type Batch struct {
	// ID is the batch folder's name.
	ID string
	// Files are the batch's files, the marker included, by name.
	Files []File
	// Key names the batch's claim: the ID plus a short digest of its data
	// files' names and sizes, so that a new batch dropped under a name used
	// before is a new batch.
	Key string
}

// Skipped is a folder List did not take, and why.
type Skipped struct {
	ID     string
	Reason string
}

// Inbox is a place batches land. Implementations: Dir (local directory) and
// S3 (a bucket prefix).
type Inbox interface {
	// List returns the complete batches, by ID, and the folders skipped.
	List(ctx context.Context) ([]Batch, []Skipped, error)
	// Fetch copies the batch's files (the marker excepted) into dir.
	Fetch(ctx context.Context, b Batch, dir string) error
	// Finish stores extra files (the run report) with the batch and moves it
	// to done/ or failed/. It returns where the batch went, for people.
	Finish(ctx context.Context, b Batch, o Outcome, extra map[string][]byte) (string, error)
	// String names the inbox for people.
	String() string
}

// Options says when a batch without a marker counts as complete.
type Options struct {
	// Stable, when not zero, makes a batch without a marker complete once
	// none of its files changed for this long. Zero: the marker is required.
	Stable time.Duration
	// Clock is time.Now when nil.
	Clock func() time.Time
}

func (o Options) now() time.Time {
	if o.Clock != nil {
		return o.Clock()
	}
	return time.Now()
}

// complete sorts the files of each folder into batches.
func (o Options) complete(folders map[string][]File) ([]Batch, []Skipped) {
	var out []Batch
	var skipped []Skipped
	now := o.now()
	ids := make([]string, 0, len(folders))
	for id := range folders {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		files := folders[id]
		if id == DoneDir || id == FailedDir || strings.HasPrefix(id, ".") || strings.HasPrefix(id, "_") {
			continue
		}
		if err := archive.ValidSegment(id); err != nil {
			skipped = append(skipped, Skipped{ID: id, Reason: "batch name: " + err.Error()})
			continue
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
		marked, newest, data := false, time.Time{}, 0
		for _, f := range files {
			if f.Name == Marker {
				marked = true
				continue
			}
			data++
			if f.ModTime.After(newest) {
				newest = f.ModTime
			}
		}
		switch {
		case data == 0 && marked:
			skipped = append(skipped, Skipped{ID: id, Reason: "marker without input files"})
			continue
		case marked:
		case o.Stable > 0 && data > 0 && now.Sub(newest) >= o.Stable:
		default:
			continue // still arriving
		}
		out = append(out, Batch{ID: id, Files: files, Key: batchKey(id, files)})
	}
	return out, skipped
}

func batchKey(id string, files []File) string {
	h := sha256.New()
	for _, f := range files {
		if f.Name == Marker || f.Name == ReportName {
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f.Name, f.Size)
	}
	return id + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// Inputs finds the input files among those fetched into dir: the files named
// inventory.*, plan.*, clearances.* and mapping.* (case does not matter; the
// last two are optional).
func Inputs(dir string) (ingest.Files, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ingest.Files{}, fmt.Errorf("reading batch: %w", err)
	}
	var f ingest.Files
	set := func(dst *string, role, name string) error {
		if *dst != "" {
			return fmt.Errorf("batch has two %s files: %s and %s; expected one", role, filepath.Base(*dst), name)
		}
		*dst = filepath.Join(dir, name)
		return nil
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		base := strings.ToLower(strings.TrimSuffix(e.Name(), filepath.Ext(e.Name())))
		var err error
		switch base {
		case "inventory":
			err = set(&f.Inventory, "inventory", e.Name())
		case "plan":
			err = set(&f.Plan, "plan", e.Name())
		case "clearances":
			err = set(&f.Clearances, "clearances", e.Name())
		case "mapping":
			err = set(&f.Mapping, "mapping", e.Name())
		}
		if err != nil {
			return f, err
		}
	}
	var missing []string
	if f.Inventory == "" {
		missing = append(missing, "inventory.csv (or .json/.yaml)")
	}
	if f.Plan == "" {
		missing = append(missing, "plan.yaml (or .json)")
	}
	if len(missing) > 0 {
		return f, fmt.Errorf("batch lacks %s", strings.Join(missing, " and "))
	}
	return f, nil
}

// ErrNoBatch: the batch is gone from the inbox (another instance moved it).
var ErrNoBatch = errors.New("batch no longer in the inbox")
