package search

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/klauspost/compress/zlib"

	"golang.org/x/text/unicode/norm"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// read indexes one manifest or rejection report. Archive read errors are
// returned (the index is then not updated); what the archive holds but
// cannot be trusted becomes a fault on the pack.
func (ix *Index) read(ctx context.Context, key string) (*indexed, error) {
	k, ok := indexable(key)
	if !ok {
		return nil, fmt.Errorf("search: %s is neither a manifest nor a rejection report", key)
	}
	if k.IsRejection() {
		return ix.readRejected(ctx, key, k.Program, k.Shipment)
	}
	dir, version := k.Dir(), k.Version
	d := &indexed{pack: Pack{Key: dir, Program: k.Program, Shipment: k.Shipment, Version: version}}
	d.add("shipment", "", k.Shipment)
	env, err := archive.ReadAll(ctx, ix.st, key)
	if err != nil {
		return nil, fmt.Errorf("search: reading %s: %w", key, err)
	}
	var st *manifest.Statement
	for _, pub := range ix.trusted {
		if st, err = manifest.Open(env, pub); err == nil {
			break
		}
	}
	if st == nil {
		d.pack.Status, d.pack.Fault = "fault", "the manifest does not verify with a trusted key: "+err.Error()
		return d, nil
	}
	p := st.Predicate
	if p.Program != k.Program || p.Shipment != k.Shipment || p.Version != version {
		d.pack.Status, d.pack.Fault = "fault", fmt.Sprintf("the manifest names %s/%s v%d, not where it is stored", p.Program, p.Shipment, p.Version)
		return d, nil
	}
	d.pack.Supersedes, d.pack.Origin, d.pack.Destination, d.pack.Direction = p.Supersedes, p.Origin, p.Destination, p.Direction
	if len(p.Created) >= 10 {
		d.pack.Created = p.Created[:10]
	}
	d.pack.Status = "not-cleared"
	if c := p.Clearance; c != nil {
		d.pack.EntryNumber, d.pack.EntryDate, d.pack.ReleaseDate = c.EntryNumber, c.EntryDate, c.ReleaseDate
		d.pack.Status = "cleared"
		if c.Held {
			d.pack.Status = "held"
		}
		d.add("entry_number", manifest.FileName, c.EntryNumber)
	}
	for _, s := range st.Subject {
		d.pack.Documents = append(d.pack.Documents, s.Name)
		if !strings.HasSuffix(s.Name, ".pdf") {
			continue
		}
		b, err := archive.ReadAll(ctx, ix.st, k.Key(s.Name))
		if err != nil {
			if errors.Is(err, archive.ErrNotFound) {
				d.pack.Status, d.pack.Fault = "fault", s.Name+" is named in the manifest but missing"
				continue
			}
			return nil, fmt.Errorf("search: reading %s: %w", k.Key(s.Name), err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != s.SHA256 {
			d.pack.Status, d.pack.Fault = "fault", s.Name+" does not match the digest in the signed manifest"
			continue
		}
		src, ok := attachment(b)
		if !ok {
			continue
		}
		var v any
		if json.Unmarshal(src, &v) != nil {
			continue
		}
		walk(v, "", func(path, val string) {
			field := fieldOf(path)
			if field == "" {
				return
			}
			if field == "invoice_number" && d.pack.InvoiceNumber == "" {
				d.pack.InvoiceNumber = val
			}
			d.add(field, s.Name, val)
		})
	}
	return d, nil
}

func (ix *Index) readRejected(ctx context.Context, key, program, shipment string) (*indexed, error) {
	d := &indexed{pack: Pack{Key: key, Program: program, Shipment: shipment, Status: "stopped"}}
	d.add("shipment", "", shipment)
	b, err := archive.ReadAll(ctx, ix.st, key)
	if err != nil {
		return nil, fmt.Errorf("search: reading %s: %w", key, err)
	}
	r, err := pack.ParseRejection(b)
	if err != nil {
		d.pack.Fault = "the rejection report is not readable: " + err.Error()
		return d, nil
	}
	d.pack.Origin, d.pack.Destination, d.pack.Reasons = r.Origin, r.Destination, r.Reasons
	return d, nil
}

// fieldOf maps a JSON path of a document's source to the search field it
// feeds, or "" when it is not searched. Paths are dotted keys with [] for
// array elements: "data.packages[].units[].serial".
func fieldOf(path string) string {
	last := path[strings.LastIndexByte(path, '.')+1:]
	last = strings.TrimSuffix(last, "[]")
	switch last {
	case "serial", "serials":
		return "serial"
	case "asset_tag", "asset_tags":
		return "asset_tag"
	case "invoice_number":
		return "invoice_number"
	case "entry_number":
		return "entry_number"
	case "hs_code", "tariff_line":
		return "hs_code"
	case "document_number":
		return "document_number"
	case "number":
		if strings.Contains(path, "permits") {
			return "permit_number"
		}
	case "name":
		if strings.Contains(path, "parties.") {
			return "party"
		}
	case "broker":
		if strings.Contains(path, "clearance") {
			return "party"
		}
	}
	return ""
}

// walk calls fn for every string leaf of v with its path.
func walk(v any, path string, fn func(path, val string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			walk(c, p, fn)
		}
	case []any:
		for _, c := range x {
			walk(c, path+"[]", fn)
		}
	case string:
		fn(path, x)
	}
}

// add records val under field in doc: an identifier as one term, a party
// name as one term per word.
func (d *indexed) add(field, doc, val string) {
	val = strings.TrimSpace(val)
	if val == "" {
		return
	}
	if field == "party" {
		for _, w := range words(val) {
			d.terms = append(d.terms, posting{w, doc, field})
		}
		return
	}
	d.terms = append(d.terms, posting{Normalize(val), doc, field})
}

// Normalize folds a term for comparison: lower case, accents removed, and
// the dots of an all-digit code (8471.50.10 = 84715010) dropped.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	if digitsDots.MatchString(out) {
		out = strings.ReplaceAll(out, ".", "")
	}
	return out
}

var digitsDots = regexp.MustCompile(`^[0-9][0-9.]*$`)

func words(s string) []string {
	f := strings.FieldsFunc(Normalize(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return f
}

// attachment returns the JSON source a clearpack PDF carries (the last
// embedded file, FlateDecode, as renderers write it).
func attachment(pdf []byte) ([]byte, bool) {
	i := bytes.LastIndex(pdf, []byte("/Type /EmbeddedFile"))
	if i < 0 {
		return nil, false
	}
	rest := pdf[i:]
	lm := lengthRe.FindSubmatch(rest)
	s := bytes.Index(rest, []byte("stream\n"))
	if lm == nil || s < 0 {
		return nil, false
	}
	n, err := strconv.Atoi(string(lm[1]))
	if err != nil || s+7+n > len(rest) {
		return nil, false
	}
	zr, err := zlib.NewReader(bytes.NewReader(rest[s+7 : s+7+n]))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, false
	}
	return out, true
}

var lengthRe = regexp.MustCompile(`/Length ([0-9]+)`)
