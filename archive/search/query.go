package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// ErrBadQuery marks a query the caller must fix (a 400 on the web).
var ErrBadQuery = errors.New("bad search query")

// Limits of a query.
const (
	MaxQueryLen = 200
	MaxTerms    = 8
	MaxResults  = 200
	prefixMin   = 4 // terms this long also match as prefixes
)

// Query is a parsed search.
type Query struct {
	// Terms, normalised; every one must match.
	Terms []string
	// Raw is the query as typed.
	Raw string
	// Destination (ISO 3166 alpha-2) filter; "" for any.
	Destination string
	// Status filter (one of Statuses); "" for any.
	Status string
	// From and To bound the date named by DateField (inclusive, YYYY-MM-DD).
	From, To  string
	DateField string // created (default), entry or release
}

// Params are the URL parameters a query may have; any other is refused.
var Params = []string{"q", "destination", "status", "from", "to", "date"}

var ccRe = regexp.MustCompile(`^[A-Za-z]{2}$`)

// ParseQuery reads a query from URL parameters. Errors match ErrBadQuery and
// say what to change.
func ParseQuery(v url.Values) (Query, error) {
	bad := func(format string, a ...any) (Query, error) {
		return Query{}, fmt.Errorf("%w: %s", ErrBadQuery, fmt.Sprintf(format, a...))
	}
	for k, vals := range v {
		if !slices.Contains(Params, k) {
			return bad("unknown parameter %q (known: %s)", k, strings.Join(Params, ", "))
		}
		if len(vals) > 1 {
			return bad("parameter %q given %d times", k, len(vals))
		}
	}
	q := Query{Raw: v.Get("q"), DateField: "created"}
	if len(q.Raw) > MaxQueryLen {
		return bad("the query is %d bytes long; at most %d", len(q.Raw), MaxQueryLen)
	}
	for _, r := range q.Raw {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune("-._/", r)) {
			return bad("%q is not searchable: a query is words of letters, digits and - . _ / (no quotes, operators or wildcards; every word must match)", r)
		}
	}
	for _, f := range strings.Fields(q.Raw) {
		f = strings.Trim(f, "./")
		if f == "" {
			continue
		}
		for _, t := range termsOf(f) {
			if !slices.Contains(q.Terms, t) {
				q.Terms = append(q.Terms, t)
			}
		}
	}
	if len(q.Terms) > MaxTerms {
		return bad("%d words; at most %d", len(q.Terms), MaxTerms)
	}
	if d := v.Get("destination"); d != "" {
		if !ccRe.MatchString(d) {
			return bad("destination %q: want a two-letter ISO 3166 country code such as BR", d)
		}
		q.Destination = strings.ToUpper(d)
	}
	if s := v.Get("status"); s != "" {
		if !slices.Contains(Statuses, s) {
			return bad("status %q: want one of %s", s, strings.Join(Statuses, ", "))
		}
		q.Status = s
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"from", &q.From}, {"to", &q.To}} {
		s := v.Get(p.name)
		if s == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return bad("%s %q: want a date as YYYY-MM-DD", p.name, s)
		}
		*p.dst = s
	}
	if q.From != "" && q.To != "" && q.From > q.To {
		return bad("from %s is after to %s", q.From, q.To)
	}
	if d := v.Get("date"); d != "" {
		if d != "created" && d != "entry" && d != "release" {
			return bad("date %q: want created, entry or release", d)
		}
		q.DateField = d
	}
	if len(q.Terms) == 0 && q.Destination == "" && q.Status == "" && q.From == "" && q.To == "" {
		return bad("give q (a serial, asset tag, invoice, entry or permit number, HS code or party name) or a filter")
	}
	return q, nil
}

// termsOf splits one typed word as the index split the text it came from:
// an identifier stays one term; a word with letters only stays one term.
func termsOf(f string) []string {
	return []string{Normalize(f)}
}

// Mention is where a query term was found in a pack.
type Mention struct {
	Document string `json:"document"` // "" for the pack itself (its shipment id)
	Fields   string `json:"fields"`   // e.g. "serial" or "party"
	Term     string `json:"term"`
}

// Hit is one pack that matched.
type Hit struct {
	Pack
	Mentions []Mention `json:"mentions"`
}

// Result of a search.
type Result struct {
	Query     string `json:"query"`
	Hits      []Hit  `json:"hits"`
	Truncated bool   `json:"truncated,omitempty"`
	// Took is how long the search took, in milliseconds.
	TookMS float64 `json:"tookMs"`
}

// Search refreshes the index from the audit log and runs q.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	start := time.Now()
	if err := ix.Refresh(ctx); err != nil {
		return Result{}, err
	}
	res := Result{Query: q.Raw, Hits: []Hit{}}
	err := ix.db.View(func(tx *bolt.Tx) error {
		terms, packs := tx.Bucket(bTerms), tx.Bucket(bPacks)
		var keys []string
		mentions := map[string][]Mention{}
		if len(q.Terms) == 0 {
			packs.ForEach(func(k, _ []byte) error { keys = append(keys, string(k)); return nil })
		}
		for i, t := range q.Terms {
			found := map[string][]Mention{}
			scan(terms, t, func(term, pack, doc, fields string) {
				found[pack] = append(found[pack], Mention{Document: doc, Fields: fields, Term: term})
			})
			if i == 0 {
				for k := range found {
					keys = append(keys, k)
				}
			} else {
				keys = slices.DeleteFunc(keys, func(k string) bool { return found[k] == nil })
			}
			for _, k := range keys {
				mentions[k] = append(mentions[k], found[k]...)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			var p Pack
			if b := packs.Get([]byte(k)); b == nil || json.Unmarshal(b, &p) != nil {
				continue
			}
			if !q.match(p) {
				continue
			}
			if len(res.Hits) == MaxResults {
				res.Truncated = true
				break
			}
			res.Hits = append(res.Hits, Hit{Pack: p, Mentions: nonNil(mentions[k])})
		}
		return nil
	})
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, err
}

// scan calls fn for every posting of term (exact, or by prefix for long
// terms).
func scan(b *bolt.Bucket, term string, fn func(term, pack, doc, fields string)) {
	prefix := term + "\x00"
	if len([]rune(term)) >= prefixMin {
		prefix = term
	}
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
		parts := strings.SplitN(string(k), "\x00", 3)
		if len(parts) != 3 {
			continue
		}
		fn(parts[0], parts[1], parts[2], string(v))
	}
}

func (q Query) match(p Pack) bool {
	if q.Destination != "" && p.Destination != q.Destination {
		return false
	}
	switch q.Status {
	case "":
	case "current":
		if p.SupersededBy != 0 || p.Version == 0 {
			return false
		}
	case "superseded":
		if p.SupersededBy == 0 {
			return false
		}
	default:
		if p.Status != q.Status {
			return false
		}
	}
	if q.From != "" || q.To != "" {
		d := p.Created
		switch q.DateField {
		case "entry":
			d = p.EntryDate
		case "release":
			d = p.ReleaseDate
		}
		if d == "" || (q.From != "" && d < q.From) || (q.To != "" && d > q.To) {
			return false
		}
	}
	return true
}

// History is every pack that names a unit, oldest first.
type History struct {
	Unit  string `json:"unit"`
	Packs []Hit  `json:"packs"`
}

// Unit returns the history of the unit with serial or asset tag id across
// programs: every pack that lists it, by date.
func (ix *Index) Unit(ctx context.Context, id string) (History, error) {
	if err := ix.Refresh(ctx); err != nil {
		return History{}, err
	}
	t := Normalize(strings.TrimSpace(id))
	h := History{Unit: id, Packs: []Hit{}}
	err := ix.db.View(func(tx *bolt.Tx) error {
		terms, packs := tx.Bucket(bTerms), tx.Bucket(bPacks)
		found := map[string][]Mention{}
		c := terms.Cursor()
		prefix := t + "\x00"
		for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
			f := string(v)
			if !strings.Contains(f, "serial") && !strings.Contains(f, "asset_tag") {
				continue
			}
			parts := strings.SplitN(string(k), "\x00", 3)
			found[parts[1]] = append(found[parts[1]], Mention{Document: parts[2], Fields: f, Term: t})
		}
		for k, m := range found {
			var p Pack
			if b := packs.Get([]byte(k)); b != nil && json.Unmarshal(b, &p) == nil {
				h.Packs = append(h.Packs, Hit{Pack: p, Mentions: m})
			}
		}
		return nil
	})
	sort.Slice(h.Packs, func(i, j int) bool {
		a, b := h.Packs[i], h.Packs[j]
		if a.Created != b.Created {
			return a.Created < b.Created
		}
		return a.Key < b.Key
	})
	return h, err
}

// Packs returns every indexed pack (for the capability chart), refreshed.
func (ix *Index) Packs(ctx context.Context) ([]Pack, error) {
	if err := ix.Refresh(ctx); err != nil {
		return nil, err
	}
	var out []Pack
	err := ix.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bPacks).ForEach(func(_, v []byte) error {
			var p Pack
			if json.Unmarshal(v, &p) == nil {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
