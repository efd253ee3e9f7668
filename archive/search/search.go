// Package search is a derived index of an archive for auditors: which packs
// mention a serial, an asset tag, an invoice, entry or permit number, an HS
// code or a party's name, and a unit's history across programs.
//
// The archive stays the only source of truth. The index is a bbolt file under
// a state directory that can be deleted at any time: Open rebuilds it when it
// is missing, was built by another schema, names another archive, or no
// longer agrees with the audit log it followed (a different or rewritten
// log); Refresh reads the audit-log entries appended since and indexes the
// packs they archived, so the index stays current as runs append. What is
// indexed comes from the signed pack itself: a manifest that does not verify
// with a trusted key, or a document whose digest is not the manifest's, is
// recorded as a fault and contributes no search terms.
//
// Terms come from each PDF's attached JSON source (renderers embed one in
// every document) by field name, so a hit names the documents that mention
// it. Terms are compared case- and accent-insensitively; HS codes ignore
// dots. A query is 1 to 8 terms of letters, digits and - . _ /; every term
// must match (exactly, or as a prefix when it has 4 or more characters).
package search

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// schema changes whenever what is stored changes; an index of another schema
// is rebuilt.
const schema = "clearpack-search/1"

// FileName is the index's file in the state directory.
const FileName = "search.db"

var (
	bMeta  = []byte("meta")
	bPacks = []byte("packs")
	bTerms = []byte("terms")
)

// Pack is what the index knows of one pack version.
type Pack struct {
	// Key is the pack directory ("programs/p/shipments/s/v0001"), or for a
	// shipment stopped at the desk, its rejection report's key.
	Key      string `json:"key"`
	Program  string `json:"program"`
	Shipment string `json:"shipment"`
	// Version is the pack version; 0 for a stopped shipment.
	Version      int    `json:"version"`
	Supersedes   int    `json:"supersedes,omitempty"`
	SupersededBy int    `json:"supersededBy,omitempty"`
	Origin       string `json:"origin,omitempty"`
	Destination  string `json:"destination,omitempty"`
	Direction    string `json:"direction,omitempty"`
	// Created is the pack's date from its inputs (manifest "created"), YYYY-MM-DD.
	Created       string `json:"created,omitempty"`
	InvoiceNumber string `json:"invoiceNumber,omitempty"`
	EntryNumber   string `json:"entryNumber,omitempty"`
	EntryDate     string `json:"entryDate,omitempty"`
	ReleaseDate   string `json:"releaseDate,omitempty"`
	// Status is one of cleared, held (cleared after a hold at the border),
	// not-cleared (no clearance recorded yet), stopped (rejected at the
	// desk), fault (the pack did not match its signed manifest when indexed).
	Status    string   `json:"status"`
	Fault     string   `json:"fault,omitempty"`
	Documents []string `json:"documents,omitempty"`
	// Reasons a stopped shipment was stopped.
	Reasons []string `json:"reasons,omitempty"`
}

// Statuses a filter may name; "current" and "superseded" select by whether a
// later version exists.
var Statuses = []string{"cleared", "held", "not-cleared", "stopped", "fault", "current", "superseded"}

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	db      *bolt.DB
	st      archive.Store
	trusted []crypto.PublicKey

	mu       sync.Mutex // serialises Refresh and rebuilds
	logNext  uint64
	lastLeaf string
	// Built is how long the last full rebuild took (0 when the index was
	// reused).
	Built time.Duration
}

// Open opens (creating or rebuilding as needed) the index of st under dir.
// trusted are the document keys a manifest must verify with.
func Open(ctx context.Context, dir string, st archive.Store, trusted ...crypto.PublicKey) (*Index, error) {
	if len(trusted) == 0 {
		return nil, errors.New("search: a trusted public key is required")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("search: state directory: %w", err)
	}
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("search: opening %s: %w (is another clearpack serving this state directory?)", filepath.Join(dir, FileName), err)
	}
	ix := &Index{db: db, st: st, trusted: trusted}
	if err := ix.open(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return ix, nil
}

// Close closes the index file.
func (ix *Index) Close() error { return ix.db.Close() }

func (ix *Index) archiveID(ctx context.Context) (string, error) {
	b, err := archive.ReadAll(ctx, ix.st, "archive-id")
	if errors.Is(err, archive.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("search: reading archive-id: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// open reuses a stored index that belongs to this archive and still agrees
// with its log, else rebuilds.
func (ix *Index) open(ctx context.Context) error {
	id, err := ix.archiveID(ctx)
	if err != nil {
		return err
	}
	var meta map[string]string
	ix.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		if b == nil {
			return nil
		}
		meta = map[string]string{}
		b.ForEach(func(k, v []byte) error { meta[string(k)] = string(v); return nil })
		return nil
	})
	if meta == nil || meta["schema"] != schema || meta["archive"] != ix.st.String() || meta["archive-id"] != id {
		return ix.rebuild(ctx)
	}
	n, err := strconv.ParseUint(meta["log-next"], 10, 64)
	if err != nil {
		return ix.rebuild(ctx)
	}
	ix.logNext, ix.lastLeaf = n, meta["last-leaf"]
	return ix.Refresh(ctx)
}

func leafOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// logSize counts the entries of the audit log and returns the digest of the
// last one ("" when empty).
func (ix *Index) logSize(ctx context.Context) (uint64, string, error) {
	var n uint64
	err := ix.st.List(ctx, auditlog.EntriesPrefix, func(archive.Info) error { n++; return nil })
	if err != nil {
		return 0, "", fmt.Errorf("search: listing the audit log: %w", err)
	}
	// Entries are numbered from 0 without gaps; step back over a gap
	// rather than trust the count.
	for n > 0 {
		b, err := archive.ReadAll(ctx, ix.st, auditlog.EntryKey(n-1))
		if err == nil {
			return n, leafOf(b), nil
		}
		if !errors.Is(err, archive.ErrNotFound) {
			return 0, "", fmt.Errorf("search: reading the audit log: %w", err)
		}
		n--
	}
	return 0, "", nil
}

// indexable says whether key is a pack's manifest or a rejection report:
// what the index reads.
func indexable(key string) (pack.Key, bool) {
	k, ok := pack.ParseKey(key)
	if !ok || !(k.IsRejection() || (k.IsPack() && k.Name == manifest.FileName)) {
		return pack.Key{}, false
	}
	return k, true
}

// rebuild drops everything and indexes the whole archive. The log position
// is taken first, so a pack archived while listing is indexed again by the
// next Refresh rather than missed.
func (ix *Index) rebuild(ctx context.Context) error {
	start := time.Now()
	n, leaf, err := ix.logSize(ctx)
	if err != nil {
		return err
	}
	id, err := ix.archiveID(ctx)
	if err != nil {
		return err
	}
	var keys []string
	err = ix.st.List(ctx, pack.ProgramsPrefix, func(in archive.Info) error {
		if _, ok := indexable(in.Key); ok {
			keys = append(keys, in.Key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: listing the archive: %w", err)
	}
	docs := make([]*indexed, 0, len(keys))
	for _, k := range keys {
		d, err := ix.read(ctx, k)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	err = ix.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bMeta, bPacks, bTerms} {
			if tx.Bucket(b) != nil {
				if err := tx.DeleteBucket(b); err != nil {
					return err
				}
			}
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		for _, d := range docs {
			if err := put(tx, d); err != nil {
				return err
			}
		}
		m := tx.Bucket(bMeta)
		for k, v := range map[string]string{
			"schema": schema, "archive": ix.st.String(), "archive-id": id,
			"log-next": strconv.FormatUint(n, 10), "last-leaf": leaf,
		} {
			if err := m.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: writing the index: %w", err)
	}
	ix.logNext, ix.lastLeaf = n, leaf
	ix.Built = time.Since(start)
	return nil
}

// Refresh indexes what the audit log recorded since the index last looked:
// packs archived and shipments stopped. When the log no longer holds the
// entry the index last read, byte for byte, the index is rebuilt.
func (ix *Index) Refresh(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.logNext > 0 {
		b, err := archive.ReadAll(ctx, ix.st, auditlog.EntryKey(ix.logNext-1))
		if err != nil && !errors.Is(err, archive.ErrNotFound) {
			return fmt.Errorf("search: reading the audit log: %w", err)
		}
		if err != nil || leafOf(b) != ix.lastLeaf {
			return ix.rebuild(ctx)
		}
	}
	next, leaf := ix.logNext, ix.lastLeaf
	var docs []*indexed
	for {
		b, err := archive.ReadAll(ctx, ix.st, auditlog.EntryKey(next))
		if errors.Is(err, archive.ErrNotFound) {
			break
		}
		if err != nil {
			return fmt.Errorf("search: reading the audit log: %w", err)
		}
		var e auditlog.Entry
		if err := json.Unmarshal(b, &e); err != nil {
			return ix.rebuild(ctx) // not a log entry: trust the archive's listing instead
		}
		var key string
		switch e.Event {
		case auditlog.EventPackArchived:
			key = e.Object + "/" + manifest.FileName // the event names the pack directory
		case auditlog.EventValidationRejected:
			key = e.Object
		}
		if _, ok := indexable(key); ok {
			d, err := ix.read(ctx, key)
			if err != nil {
				return err
			}
			docs = append(docs, d)
		}
		next, leaf = next+1, leafOf(b)
	}
	if next == ix.logNext {
		return nil
	}
	err := ix.db.Update(func(tx *bolt.Tx) error {
		for _, d := range docs {
			if err := put(tx, d); err != nil {
				return err
			}
		}
		m := tx.Bucket(bMeta)
		if err := m.Put([]byte("log-next"), []byte(strconv.FormatUint(next, 10))); err != nil {
			return err
		}
		return m.Put([]byte("last-leaf"), []byte(leaf))
	})
	if err != nil {
		return fmt.Errorf("search: writing the index: %w", err)
	}
	ix.logNext, ix.lastLeaf = next, leaf
	return nil
}

// posting is one mention of a term: in which document, as which field.
type posting struct {
	term, doc, field string
}

type indexed struct {
	pack  Pack
	terms []posting
}

// put stores one pack and its terms, and marks the version it supersedes.
func put(tx *bolt.Tx, d *indexed) error {
	packs, terms := tx.Bucket(bPacks), tx.Bucket(bTerms)
	p := d.pack
	// A later version may have been indexed first (rebuild order is by key,
	// so not usually): keep its mark.
	if old := packs.Get([]byte(p.Key)); old != nil {
		var o Pack
		if json.Unmarshal(old, &o) == nil {
			p.SupersededBy = o.SupersededBy
		}
	}
	if p.Version > 0 {
		next := pack.Ref{Program: p.Program, Shipment: p.Shipment, Version: p.Version + 1}.Dir()
		if packs.Get([]byte(next)) != nil {
			p.SupersededBy = p.Version + 1
		}
	}
	b, _ := json.Marshal(p)
	if err := packs.Put([]byte(p.Key), b); err != nil {
		return err
	}
	if p.Supersedes > 0 {
		prev := pack.Ref{Program: p.Program, Shipment: p.Shipment, Version: p.Supersedes}.Dir()
		if old := packs.Get([]byte(prev)); old != nil {
			var o Pack
			if json.Unmarshal(old, &o) == nil {
				o.SupersededBy = p.Version
				ob, _ := json.Marshal(o)
				if err := packs.Put([]byte(prev), ob); err != nil {
					return err
				}
			}
		}
	}
	for _, t := range d.terms {
		if t.term == "" || len(t.term) > 200 {
			continue
		}
		k := t.term + "\x00" + p.Key + "\x00" + t.doc
		old := terms.Get([]byte(k))
		if old != nil && bytes.Contains(append(append([]byte{','}, old...), ','), []byte(","+t.field+",")) {
			continue
		}
		v := t.field
		if old != nil {
			v = string(old) + "," + t.field
		}
		if err := terms.Put([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return nil
}
