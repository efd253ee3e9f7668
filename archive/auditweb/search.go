package auditweb

import (
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/search"
	"github.com/clearpack/clearpack/archive/verify"
)

// Search routes (need Config.Search):
//
//	GET /api/search?q=&destination=&status=&from=&to=&date=   packs that mention every word
//	GET /api/units/{id}                                       a unit's packs across programs, each verified now
//	GET /api/capability                                       per destination and month: executed, cleared, held, stopped
//	GET /api/evidence?<search query>                          a zip of the packs found, their proofs, the checkpoint, AUDITOR.md (evidence.go)
//	GET /api/programs/{p}/shipments/{s}/packs/{v}/facts       the signed manifest's statement, once it verifies
func (s *server) searchRoutes(api *http.ServeMux) {
	api.HandleFunc("GET /api/search", s.search)
	api.HandleFunc("GET /api/units/{id}", s.unit)
	api.HandleFunc("GET /api/capability", s.capability)
	api.HandleFunc("GET /api/evidence", s.evidence)
	api.HandleFunc("GET /api/programs/{program}/shipments/{shipment}/packs/{version}/facts", s.facts)
}

// facts returns what a pack's signed manifest says (its predicate), once the
// manifest's signature verifies with a trusted key; 409 when it does not.
func (s *server) facts(w http.ResponseWriter, r *http.Request) {
	ref, err := pathParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	env, err := archive.ReadAll(r.Context(), s.cfg.Store, ref.ManifestKey())
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	var st *manifest.Statement
	for _, pub := range append([]crypto.PublicKey{s.cfg.Trusted}, s.cfg.AlsoTrusted...) {
		if st, err = manifest.Open(env, pub); err == nil {
			break
		}
	}
	if st == nil {
		writeError(w, http.StatusConflict, "the manifest does not verify with a trusted key: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"pack": ref.Dir(), "subjects": st.Subject, "predicate": st.Predicate})
}

func (s *server) index(w http.ResponseWriter) *search.Index {
	if s.cfg.Search == nil {
		writeError(w, http.StatusServiceUnavailable, "search is not enabled on this server (clearpack serve --state-dir DIR)")
	}
	return s.cfg.Search
}

func (s *server) searchError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, search.ErrBadQuery) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.storeError(w, r, err)
}

func (s *server) search(w http.ResponseWriter, r *http.Request) {
	ix := s.index(w)
	if ix == nil {
		return
	}
	q, err := search.ParseQuery(r.URL.Query())
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	res, err := ix.Search(r.Context(), q)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// maxUnitVerify bounds the packs a unit's history verifies per request.
const maxUnitVerify = 25

type unitPack struct {
	search.Hit
	Verified bool   `json:"verified"`
	Result   string `json:"verification"`
}

func (s *server) unit(w http.ResponseWriter, r *http.Request) {
	ix := s.index(w)
	if ix == nil {
		return
	}
	id := r.PathValue("id")
	if len(id) < 1 || len(id) > 64 || strings.TrimFunc(id, func(c rune) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
	}) != "" {
		writeError(w, http.StatusBadRequest, "a unit is named by its serial or asset tag: 1-64 of A-Z a-z 0-9 . _ -")
		return
	}
	h, err := ix.Unit(r.Context(), id)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	out := make([]unitPack, 0, len(h.Packs))
	for i, p := range h.Packs {
		up := unitPack{Hit: p}
		switch {
		case p.Version > 0 && i >= maxUnitVerify:
			up.Result = fmt.Sprintf("not verified here (a unit's first %d packs are): open the pack", maxUnitVerify)
		case p.Version > 0:
			rep, err := verify.Verify(r.Context(), s.cfg.Store, s.cfg.Trusted, verify.Options{
				Program: p.Program, Shipment: p.Shipment, Version: p.Version, AlsoTrusted: s.cfg.AlsoTrusted, Now: s.cfg.Now,
			})
			switch {
			case err != nil && !errors.Is(err, verify.ErrFailed):
				up.Result = "could not be verified: the archive could not be read"
			case rep.OK():
				up.Verified, up.Result = true, "verified"
			default:
				f := rep.FirstFailure()
				up.Result = "fault: " + string(f.Kind) + ": " + f.Object + ": " + f.Detail
			}
		}
		out = append(out, up)
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": id, "packs": out})
}

// month is one destination's evidence in one month (of the pack's date, or
// of the release for clearances).
type month struct {
	Month    string `json:"month"`
	Executed int    `json:"executed"`
	Cleared  int    `json:"cleared"`
	Held     int    `json:"held"`
	Stopped  int    `json:"stopped"`
}

type destination struct {
	Country  string  `json:"country"`
	Executed int     `json:"executed"`
	Cleared  int     `json:"cleared"`
	Held     int     `json:"held"`
	Stopped  int     `json:"stopped"`
	Months   []month `json:"months"`
}

// capability counts the current packs of each shipment by destination and
// month: executed (a pack was archived), cleared (released), held (released
// after a hold), stopped (rejected at the desk, no pack). Faulty packs do not
// count.
func (s *server) capability(w http.ResponseWriter, r *http.Request) {
	ix := s.index(w)
	if ix == nil {
		return
	}
	packs, err := ix.Packs(r.Context())
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	type shipKey struct{ program, shipment string }
	latest := map[shipKey]search.Pack{}
	packed := map[shipKey]bool{}
	for _, p := range packs {
		k := shipKey{p.Program, p.Shipment}
		if p.Version > 0 {
			packed[k] = true
		}
		if cur, ok := latest[k]; !ok || p.Version > cur.Version {
			latest[k] = p
		}
	}
	by := map[string]*destination{}
	months := map[string]map[string]*month{}
	add := func(cc, m string, f func(d *destination, mo *month)) {
		if cc == "" {
			cc = "??"
		}
		if len(m) >= 7 {
			m = m[:7]
		}
		d := by[cc]
		if d == nil {
			d = &destination{Country: cc}
			by[cc], months[cc] = d, map[string]*month{}
		}
		mo := months[cc][m]
		if mo == nil {
			mo = &month{Month: m}
			months[cc][m] = mo
		}
		f(d, mo)
	}
	for k, p := range latest {
		switch {
		case p.Status == "fault":
		case p.Status == "stopped":
			if !packed[k] {
				add(p.Destination, "", func(d *destination, m *month) { d.Stopped++; m.Stopped++ })
			}
		default:
			add(p.Destination, p.Created, func(d *destination, m *month) { d.Executed++; m.Executed++ })
			if p.ReleaseDate != "" {
				held := p.Status == "held"
				add(p.Destination, p.ReleaseDate, func(d *destination, m *month) {
					d.Cleared++
					m.Cleared++
					if held {
						d.Held++
						m.Held++
					}
				})
			}
		}
	}
	out := make([]destination, 0, len(by))
	for cc, d := range by {
		for _, m := range months[cc] {
			d.Months = append(d.Months, *m)
		}
		sort.Slice(d.Months, func(i, j int) bool { return d.Months[i].Month < d.Months[j].Month })
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Country < out[j].Country })
	writeJSON(w, http.StatusOK, map[string]any{"destinations": out})
}
