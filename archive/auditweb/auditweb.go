// Package auditweb is the auditors' read-only HTTP interface to an archive:
// a JSON API under /api/ and a small HTML page at / that uses it.
//
// An auditor can list programs, shipments and packs; download a document,
// its signature, SHA256SUMS or the manifest; see the verification status of
// a pack (the same checks as `clearpack verify`); and get an inclusion proof
// of the pack's audit-log entry against the latest signed checkpoint.
//
// Access needs a token sent as "Authorization: Bearer <token>". Tokens are
// configured only as SHA-256 hashes (see ParseTokens) and compared in constant
// time. Only GET and HEAD exist; every other method gets 405 and no route
// writes to the archive. Every download (GET of a file) is recorded in the
// audit log as pack.retrieved with the token holder's name and the file's
// digest before a byte is sent; if it cannot be recorded, nothing is sent.
//
// Routes (all JSON unless noted):
//
//	GET /api/programs
//	GET /api/programs/{program}/shipments
//	GET /api/programs/{program}/shipments/{shipment}/packs
//	GET /api/programs/{program}/shipments/{shipment}/packs/{vNNNN}/files/{name}   the file's bytes
//	GET /api/programs/{program}/shipments/{shipment}/packs/{vNNNN}/preview/{name}?page=N   a page as PNG (preview.go)
//	GET /api/programs/{program}/shipments/{shipment}/packs/{vNNNN}/verify
//	GET /api/programs/{program}/shipments/{shipment}/packs/{vNNNN}/proof
//	GET /api/search, /api/units/{id}, /api/capability                            see search.go
//	GET /                                                                         the HTML page (no token needed; it holds no data)
package auditweb

import (
	"context"
	"crypto"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/search"
	"github.com/clearpack/clearpack/archive/verify"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/time/rate"
)

//go:embed static
var static embed.FS

// Config configures the handler. Store, Trusted, TokenHashes and Log are
// required.
type Config struct {
	Store archive.Store
	// Trusted is the document public key that verification trusts.
	Trusted crypto.PublicKey
	// AlsoTrusted are further document keys (retired keys of older packs).
	AlsoTrusted []crypto.PublicKey
	// TokenHashes are the accepted tokens (LoadTokens).
	TokenHashes []TokenHash
	// Log records every retrieval.
	Log *auditlog.Log
	// Logger gets one line per request (never the token); none when nil.
	Logger *slog.Logger
	// Now is the clock for audit entries and retention checks; time.Now when nil.
	Now func() time.Time
	// DownloadRate and DownloadBurst bound each token's downloads (each is
	// an audit-log entry); DefaultDownloadRate and DefaultDownloadBurst
	// when zero. A download over the limit gets 429 and is not recorded.
	DownloadRate  rate.Limit
	DownloadBurst int
	// Search is the derived index behind /api/search, /api/units and
	// /api/capability (search.go); those answer 503 when it is nil.
	Search *search.Index
	// PDFToPPM is the pdftoppm (poppler-utils) that draws previews; found
	// on PATH when empty. Without one, previews answer 501 (preview.go).
	PDFToPPM string
}

type server struct {
	cfg Config
	// log follows the audit log across proof requests, so each reads only
	// what was appended since the previous one.
	log  *auditlog.Follower
	keys verifierCache
	lim  *limiters
	// pdftoppm is the program that draws previews, "" when missing.
	pdftoppm string
}

// verifierCache holds the checkpoint verifiers of the keys under
// auditlog.KeysPrefix. Key files are named by the hash of their content and
// never rewritten, so the verifiers change only when the list of names does:
// a proof request lists that prefix (one small LIST) and reads and checks the
// key files again only when a key was published.
type verifierCache struct {
	mu    sync.Mutex
	names string // the listed key names, newline-separated
	known note.Verifiers
}

// verifiers returns the trusted checkpoint verifiers (see
// auditlog.TrustedVerifiers), read again only when the key list changed.
func (s *server) verifiers(ctx context.Context) (note.Verifiers, error) {
	var names strings.Builder
	err := s.cfg.Store.List(ctx, auditlog.KeysPrefix, func(in archive.Info) error {
		names.WriteString(in.Key + "\n")
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing checkpoint keys: %w", err)
	}
	c := &s.keys
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.known != nil && c.names == names.String() {
		return c.known, nil
	}
	known, _, err := auditlog.TrustedVerifiers(ctx, s.cfg.Store, append([]crypto.PublicKey{s.cfg.Trusted}, s.cfg.AlsoTrusted...)...)
	if err != nil {
		return nil, err
	}
	c.names, c.known = names.String(), known
	return known, nil
}

// New returns the handler. It checks the configuration, not the archive.
func New(cfg Config) (http.Handler, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("auditweb: Store is required")
	case cfg.Trusted == nil:
		return nil, errors.New("auditweb: Trusted public key is required")
	case len(cfg.TokenHashes) == 0:
		return nil, errors.New("auditweb: at least one token hash is required")
	case cfg.Log == nil:
		return nil, errors.New("auditweb: Log is required (every retrieval is recorded)")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DownloadRate <= 0 {
		cfg.DownloadRate = DefaultDownloadRate
	}
	if cfg.DownloadBurst <= 0 {
		cfg.DownloadBurst = DefaultDownloadBurst
	}
	s := &server{cfg: cfg, log: auditlog.NewFollower(cfg.Store), lim: &limiters{rate: cfg.DownloadRate, burst: cfg.DownloadBurst}, pdftoppm: findPDFToPPM(cfg.PDFToPPM)}
	api := http.NewServeMux()
	const packRoute = "/api/programs/{program}/shipments/{shipment}/packs/{version}"
	api.HandleFunc("GET /api/programs", s.programs)
	api.HandleFunc("GET /api/programs/{program}/shipments", s.shipments)
	api.HandleFunc("GET /api/programs/{program}/shipments/{shipment}/packs", s.packs)
	api.HandleFunc("GET "+packRoute+"/files/{name}", s.file)
	api.HandleFunc("GET "+packRoute+"/preview/{name}", s.preview)
	api.HandleFunc("GET "+packRoute+"/verify", s.verify)
	api.HandleFunc("GET "+packRoute+"/proof", s.proof)
	s.searchRoutes(api)
	api.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API route")
	})

	mux := http.NewServeMux()
	mux.Handle("/api/", s.authenticated(api))
	mux.HandleFunc("GET /{$}", s.asset("static/index.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /app.js", s.asset("static/app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /style.css", s.asset("static/style.css", "text/css; charset=utf-8"))
	return s.readOnly(mux), nil
}

type ctxKey struct{}

// actor is the token holder's name of an authenticated request.
func actor(ctx context.Context) string { return tokenHolder(ctx).name }

// readOnly refuses every method but GET and HEAD, and sets headers common
// to every response.
func (s *server) readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; frame-src blob:; object-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "read-only: only GET and HEAD are allowed")
			s.cfg.Logger.Warn("refused method", "method", r.Method, "path", r.URL.Path)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		tok, ok := bearer(r)
		var h TokenHash
		valid := false
		if ok {
			h, valid = match(s.cfg.TokenHashes, tok)
		}
		name := h.Name
		if !valid {
			w.Header().Set("WWW-Authenticate", `Bearer realm="clearpack audit"`)
			writeError(w, http.StatusUnauthorized, "a valid token is required (Authorization: Bearer <token>)")
			s.cfg.Logger.Warn("unauthenticated request", "path", r.URL.Path, "remote", r.RemoteAddr, "token_given", ok)
			return
		}
		s.cfg.Logger.Info("request", "actor", name, "method", r.Method, "path", r.URL.Path)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, holder{name: name, sum: h.Sum})))
	})
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

func (s *server) asset(name, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := static.ReadFile(name)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "missing page asset")
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		if r.Method == http.MethodHead {
			return
		}
		w.Write(b)
	}
}

type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, apiError{msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// storeError maps an archive error to a response. Details of internal
// failures go to the log, not to the client.
func (s *server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, archive.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found")
	case errors.Is(err, archive.ErrBadKey):
		writeError(w, http.StatusBadRequest, err.Error())
	case r.Context().Err() != nil:
		writeError(w, http.StatusServiceUnavailable, "request cancelled")
	default:
		s.cfg.Logger.Error("archive error", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusBadGateway, "the archive could not be read")
	}
}

// pathParams validates the path parameters that are present: the pack they
// name (Version 0 when the path names none).
func pathParams(r *http.Request) (pack.Ref, error) {
	var ref pack.Ref
	for _, p := range []struct {
		name string
		dst  *string
	}{{"program", &ref.Program}, {"shipment", &ref.Shipment}} {
		v := r.PathValue(p.name)
		if v == "" {
			continue
		}
		if e := archive.ValidSegment(v); e != nil {
			return pack.Ref{}, fmt.Errorf("%s %q: %v", p.name, v, e)
		}
		*p.dst = v
	}
	if version := r.PathValue("version"); version != "" {
		n, ok := pack.ParseVersion(version)
		if !ok {
			return pack.Ref{}, fmt.Errorf("version %q: want v followed by 4 digits, from v0001", version)
		}
		ref.Version = n
	}
	return ref, nil
}

type programJSON struct {
	Name string `json:"name"`
}

func (s *server) programs(w http.ResponseWriter, r *http.Request) {
	names, err := pack.Programs(r.Context(), s.cfg.Store)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	out := make([]programJSON, 0, len(names))
	for _, p := range names {
		out = append(out, programJSON{p})
	}
	writeJSON(w, http.StatusOK, map[string]any{"programs": out})
}

type shipmentJSON struct {
	ID       string `json:"id"`
	Packs    int    `json:"packs"`    // complete pack versions
	Latest   string `json:"latest"`   // latest complete version, "" if none
	Rejected int    `json:"rejected"` // archived validation-failure reports
}

func (s *server) shipments(w http.ResponseWriter, r *http.Request) {
	ref, err := pathParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	hs, err := pack.Histories(r.Context(), s.cfg.Store, pack.Ref{Program: ref.Program})
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if len(hs) == 0 {
		writeError(w, http.StatusNotFound, "no such program")
		return
	}
	out := make([]shipmentJSON, 0, len(hs))
	for _, h := range hs {
		sh := shipmentJSON{ID: h.Ref.Shipment, Packs: len(h.Complete), Rejected: len(h.Rejections)}
		if latest, ok := h.Latest(); ok {
			sh.Latest = pack.VersionName(latest.Version)
		}
		out = append(out, sh)
	}
	writeJSON(w, http.StatusOK, map[string]any{"program": ref.Program, "shipments": out})
}

type fileJSON struct {
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	RetainUntil time.Time `json:"retainUntil,omitzero"`
	Mode        string    `json:"retentionMode,omitempty"`
	LegalHold   bool      `json:"legalHold"`
	URL         string    `json:"url"`
}

type packJSON struct {
	Version  string     `json:"version"`
	Path     string     `json:"path"`
	Complete bool       `json:"complete"`
	Files    []fileJSON `json:"files"`
}

func (s *server) packs(w http.ResponseWriter, r *http.Request) {
	ref, err := pathParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var out []*packJSON
	err = pack.Scan(r.Context(), s.cfg.Store, ref, func(k pack.Key, in archive.Info) error {
		if !k.IsPack() {
			return nil
		}
		version := pack.VersionName(k.Version)
		if len(out) == 0 || out[len(out)-1].Version != version {
			out = append(out, &packJSON{Version: version, Path: k.Dir(), Files: []fileJSON{}})
		}
		p := out[len(out)-1]
		if k.Name == manifest.FileName {
			p.Complete = true
		}
		// List gives what the store knows cheaply; Stat adds the lock.
		st, err := s.cfg.Store.Stat(r.Context(), in.Key)
		if errors.Is(err, archive.ErrNotRegular) {
			return nil // planted, never an archived object
		}
		if err != nil {
			return err
		}
		p.Files = append(p.Files, fileJSON{
			Name: k.Name, Size: st.Size, RetainUntil: st.RetainUntil, Mode: string(st.Mode), LegalHold: st.LegalHold,
			URL: "/api/" + ref.ShipmentPrefix() + "packs/" + version + "/files/" + k.Name,
		})
		return nil
	})
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if len(out) == 0 {
		writeError(w, http.StatusNotFound, "no packs for this shipment")
		return
	}
	// Only the files of a pack whose manifest verifies are listed.
	for _, p := range out {
		files, err := s.verifiedFiles(r.Context(), p.Path+"/")
		if errors.Is(err, errNotInPack) {
			p.Complete, p.Files = false, []fileJSON{}
			continue
		}
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		kept := p.Files[:0]
		for _, f := range p.Files {
			if _, ok := files[f.Name]; ok {
				kept = append(kept, f)
			}
		}
		p.Files = kept
	}
	writeJSON(w, http.StatusOK, map[string]any{"program": ref.Program, "shipment": ref.Shipment, "packs": out})
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	default:
		return "text/plain; charset=utf-8"
	}
}

// packFile is a file of a verified pack, read and checked against the
// digest its manifest gives.
type packFile struct {
	ref    pack.Ref
	name   string
	key    string
	bytes  []byte
	digest string // hex SHA-256 of bytes
}

// readPackFile reads the file a request names ({program}, {shipment},
// {version}, {name}) when it belongs to a verified pack. It writes the
// error response and returns false otherwise. For HEAD it only checks
// membership and returns no bytes.
func (s *server) readPackFile(w http.ResponseWriter, r *http.Request) (packFile, bool) {
	ref, err := pathParams(r)
	if err == nil {
		err = archive.ValidSegment(r.PathValue("name"))
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return packFile{}, false
	}
	f := packFile{ref: ref, name: r.PathValue("name"), key: ref.Key(r.PathValue("name"))}
	if err := archive.ValidKey(f.key); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return packFile{}, false
	}
	files, err := s.verifiedFiles(r.Context(), ref.Prefix())
	if err == nil {
		if _, ok := files[f.name]; !ok {
			err = fmt.Errorf("%w: %s is not named by the manifest of %s", errNotInPack, f.name, pack.VersionName(ref.Version))
		}
	}
	if errors.Is(err, errNotInPack) {
		writeError(w, http.StatusNotFound, err.Error())
		return packFile{}, false
	}
	if err != nil {
		s.storeError(w, r, err)
		return packFile{}, false
	}
	if r.Method == http.MethodHead {
		return f, true
	}
	f.bytes, err = archive.ReadAll(r.Context(), s.cfg.Store, f.key)
	if err != nil {
		s.storeError(w, r, err)
		return packFile{}, false
	}
	sum := sha256.Sum256(f.bytes)
	f.digest = hex.EncodeToString(sum[:])
	if want := files[f.name]; want != "" && want != f.digest {
		writeError(w, http.StatusConflict, fmt.Sprintf("%s does not match its pack's manifest (sha256 %s, manifest says %s): not served", f.key, f.digest, want))
		return packFile{}, false
	}
	return f, true
}

// allowRetrieval applies the token's download rate; over it, it writes 429
// and returns false.
func (s *server) allowRetrieval(w http.ResponseWriter, r *http.Request) bool {
	who := tokenHolder(r.Context())
	if ok, wait := s.lim.allow(who.sum, time.Now()); !ok {
		w.Header().Del("Content-Disposition")
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "too many downloads with this token; try again later")
		s.cfg.Logger.Warn("download rate limit", "actor", who.name, "token", who.hashHex()[:19])
		return false
	}
	return true
}

// recordRetrieval appends the pack.retrieved entry for f; when it cannot,
// it writes 503 and returns false, and nothing may be sent.
func (s *server) recordRetrieval(w http.ResponseWriter, r *http.Request, f packFile, detail string) bool {
	who := tokenHolder(r.Context())
	_, err := s.cfg.Log.Append(r.Context(), auditlog.Entry{
		Time: s.cfg.Now().UTC(), Actor: who.name, Event: auditlog.EventPackRetrieved,
		Program: f.ref.Program, Shipment: f.ref.Shipment, Object: f.key,
		Digests:     map[string]string{f.name: f.digest},
		Detail:      detail,
		TokenSHA256: who.hashHex(),
	})
	if err != nil {
		s.cfg.Logger.Error("recording a retrieval", "key", f.key, "err", err)
		writeError(w, http.StatusServiceUnavailable, "the retrieval could not be recorded in the audit log, so it is refused")
		return false
	}
	return true
}

// file serves one file of a pack. GET records the retrieval first.
func (s *server) file(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readPackFile(w, r)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(f.name))
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.ref.Shipment+"-"+pack.VersionName(f.ref.Version)+"-"+f.name))
	if r.Method == http.MethodHead {
		in, err := s.cfg.Store.Stat(r.Context(), f.key)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		h.Set("Content-Length", strconv.FormatInt(in.Size, 10))
		return
	}
	if !s.allowRetrieval(w, r) || !s.recordRetrieval(w, r, f, "downloaded through the auditor web interface") {
		return
	}
	h.Set("X-Content-SHA256", f.digest)
	h.Set("Content-Length", strconv.Itoa(len(f.bytes)))
	w.Write(f.bytes)
}

type checkJSON struct {
	Kind   string `json:"kind"`
	Object string `json:"object"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

func (s *server) verify(w http.ResponseWriter, r *http.Request) {
	ref, err := pathParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	rep, err := verify.Verify(r.Context(), s.cfg.Store, s.cfg.Trusted, verify.Options{
		Program: ref.Program, Shipment: ref.Shipment, Version: ref.Version, AlsoTrusted: s.cfg.AlsoTrusted, Now: s.cfg.Now,
	})
	if err != nil && !errors.Is(err, verify.ErrFailed) {
		s.storeError(w, r, err)
		return
	}
	if rep.Packs == 0 {
		writeError(w, http.StatusNotFound, "no such pack")
		return
	}
	checks := make([]checkJSON, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		checks = append(checks, checkJSON{string(c.Kind), c.Object, c.OK, c.Detail})
	}
	res := map[string]any{
		"pack": ref.Dir(), "ok": rep.OK(), "checks": checks,
		"failed": len(rep.Failures()), "logSize": rep.LogSize, "checkpointSize": rep.CheckpointSize,
	}
	if f := rep.FirstFailure(); f != nil {
		res["firstFailure"] = checkJSON{string(f.Kind), f.Object, f.OK, f.Detail}
	}
	writeJSON(w, http.StatusOK, res)
}

type proofJSON struct {
	Pack string `json:"pack"`
	// Index is the pack.archived entry's position; Entry its stored bytes
	// (base64), whose RFC 6962 leaf hash is LeafHash (hex).
	Index    uint64         `json:"index"`
	Entry    string         `json:"entry"`
	Parsed   auditlog.Entry `json:"parsedEntry"`
	LeafHash string         `json:"leafHash"`
	// Checkpoint is the signed note the proof is against.
	Checkpoint string   `json:"checkpoint"`
	TreeSize   uint64   `json:"treeSize"`
	RootHash   string   `json:"rootHash"` // base64, as in the checkpoint
	Proof      []string `json:"proof"`    // base64 hashes, leaf to root
}

// refreshLog brings the followed audit log up to date for a request; when
// it cannot (the log does not verify, or the store fails) it has answered
// the request and says so.
func (s *server) refreshLog(w http.ResponseWriter, r *http.Request) (*auditlog.State, bool) {
	known, err := s.verifiers(r.Context())
	if err != nil {
		s.storeError(w, r, err)
		return nil, false
	}
	state, err := s.log.Refresh(r.Context(), known)
	if err != nil {
		if errors.Is(err, auditlog.ErrTampered) || errors.Is(err, auditlog.ErrCheckpoint) {
			writeError(w, http.StatusConflict, "the audit log does not verify: "+err.Error())
		} else {
			s.storeError(w, r, err)
		}
		return nil, false
	}
	return state, true
}

func (s *server) proof(w http.ResponseWriter, r *http.Request) {
	ref, err := pathParams(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	state, ok := s.refreshLog(w, r)
	if !ok {
		return
	}
	dir := ref.Dir()
	idx := -1
	if i, ok := state.First(auditlog.EventPackArchived, dir); ok {
		idx = int(i)
	}
	switch {
	case idx < 0:
		writeError(w, http.StatusNotFound, "no pack.archived entry for "+dir)
		return
	case uint64(idx) >= state.Latest.Size:
		writeError(w, http.StatusConflict, fmt.Sprintf("entry %d is not yet covered by a signed checkpoint (latest size %d)", idx, state.Latest.Size))
		return
	}
	p := state.InclusionProof(uint64(idx), state.Latest.Size)
	hashes := make([]string, len(p))
	for i, h := range p {
		hashes[i] = base64.StdEncoding.EncodeToString(h)
	}
	writeJSON(w, http.StatusOK, proofJSON{
		Pack: dir, Index: uint64(idx), Entry: base64.StdEncoding.EncodeToString(state.Raw[idx]),
		Parsed: state.Entries[idx], LeafHash: hex.EncodeToString(state.Leaves[idx]),
		Checkpoint: string(state.LatestNote), TreeSize: state.Latest.Size,
		RootHash: base64.StdEncoding.EncodeToString(state.Latest.Root), Proof: hashes,
	})
}
