package auditweb

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/search"
	"github.com/clearpack/clearpack/archive/verify"
)

// MaxEvidencePacks bounds one evidence package; a query matching more is
// refused with a request to narrow it.
const MaxEvidencePacks = 50

// evidence serves GET /api/evidence?<search query>: one zip of every pack
// the query finds (the files its signed manifest names, with signatures), each pack's inclusion proof against the
// latest signed checkpoint, that checkpoint, the checkpoint keys,
// AUDITOR.md and EVIDENCE.txt listing the query and the packs. It is
// recorded in the audit log (evidence.retrieved, with every pack's manifest
// digest) before a byte is sent.
func (s *server) evidence(w http.ResponseWriter, r *http.Request) {
	ix := s.index(w)
	if ix == nil {
		return
	}
	ctx := r.Context()
	q, err := search.ParseQuery(r.URL.Query())
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		s.searchError(w, r, err)
		return
	}
	var hits []search.Hit
	for _, h := range res.Hits {
		if h.Version > 0 {
			hits = append(hits, h)
		}
	}
	switch {
	case len(hits) == 0:
		writeError(w, http.StatusNotFound, "no pack matches the query; nothing to package")
		return
	case len(hits) > MaxEvidencePacks || res.Truncated:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%d packs match; an evidence package holds at most %d: narrow the query", len(hits), MaxEvidencePacks))
		return
	}
	state, ok := s.refreshLog(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	when := s.cfg.Now().UTC()
	add := func(name string, b []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: when})
		if err != nil {
			return err
		}
		_, err = f.Write(b)
		return err
	}
	var list strings.Builder
	fmt.Fprintf(&list, "clearpack evidence package\n\nquery: %s\nretrieved: %s by %s\narchive: %s\nlatest signed checkpoint: tree size %d\n\n",
		r.URL.RawQuery, when.Format(time.RFC3339), actor(ctx), s.cfg.Store, state.Latest.Size)
	digests := map[string]string{}
	for _, h := range hits {
		files, fault, err := s.packFiles(r, h.Key)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		for _, f := range files {
			if f.name == manifest.FileName {
				sum := sha256.Sum256(f.data)
				digests[h.Key+"/"+f.name] = hex.EncodeToString(sum[:])
			}
			if err := add(h.Key+"/"+f.name, f.data); err != nil {
				s.storeError(w, r, err)
				return
			}
		}
		line := fmt.Sprintf("%s  %s, %s -> %s, status %s", h.Key, h.Shipment, h.Origin, h.Destination, h.Status)
		if fault != "" {
			line += "; FAULT: " + fault
		}
		idx, ok := state.First(auditlog.EventPackArchived, h.Key)
		switch {
		case !ok:
			line += "; NOT in the audit log"
		case idx >= state.Latest.Size:
			line += fmt.Sprintf("; audit entry %d not yet covered by a signed checkpoint", idx)
		default:
			p := state.InclusionProof(idx, state.Latest.Size)
			hashes := make([]string, len(p))
			for i, x := range p {
				hashes[i] = base64.StdEncoding.EncodeToString(x)
			}
			b, _ := json.MarshalIndent(proofJSON{
				Pack: h.Key, Index: idx, Entry: base64.StdEncoding.EncodeToString(state.Raw[idx]),
				Parsed: state.Entries[idx], LeafHash: hex.EncodeToString(state.Leaves[idx]),
				Checkpoint: string(state.LatestNote), TreeSize: state.Latest.Size,
				RootHash: base64.StdEncoding.EncodeToString(state.Latest.Root), Proof: hashes,
			}, "", "  ")
			if err := add("proofs/"+h.Key+".json", append(b, '\n')); err != nil {
				s.storeError(w, r, err)
				return
			}
			line += fmt.Sprintf("; audit entry %d, proof in proofs/%s.json", idx, h.Key)
		}
		list.WriteString(line + "\n")
	}
	if state.LatestNote != nil {
		if err := add("checkpoint", state.LatestNote); err != nil {
			s.storeError(w, r, err)
			return
		}
	}
	err = s.cfg.Store.List(ctx, auditlog.KeysPrefix, func(in archive.Info) error {
		b, err := archive.ReadAll(ctx, s.cfg.Store, in.Key)
		if err != nil {
			return err
		}
		return add(in.Key, b)
	})
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	list.WriteString("\nEach pack directory checks with the commands of AUDITOR.md. Each proofs/*.json holds the pack's\n" +
		"audit-log entry (base64), its RFC 6962 inclusion proof and the signed checkpoint it is proved against\n" +
		"(also in ./checkpoint); the checkpoint keys are under audit/keys/. Obtain the issuer's public key from\n" +
		"the issuer, not from this package.\n")
	if err := add("EVIDENCE.txt", []byte(list.String())); err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := add("AUDITOR.md", verify.AuditorGuide); err != nil {
		s.storeError(w, r, err)
		return
	}
	if err := zw.Close(); err != nil {
		s.storeError(w, r, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	digest := hex.EncodeToString(sum[:])
	digests["evidence.zip"] = digest
	who := tokenHolder(ctx)
	if ok, wait := s.lim.allow(who.sum, time.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "too many downloads with this token; try again later")
		return
	}
	_, err = s.cfg.Log.Append(ctx, auditlog.Entry{
		Time: when, Actor: who.name, Event: auditlog.EventEvidenceRetrieved, Digests: digests,
		Detail:      fmt.Sprintf("evidence package of %d pack(s) for the query %q, downloaded through the auditor web interface", len(hits), r.URL.RawQuery),
		TokenSHA256: who.hashHex(),
	})
	if err != nil {
		s.cfg.Logger.Error("recording an evidence package", "err", err)
		writeError(w, http.StatusServiceUnavailable, "the retrieval could not be recorded in the audit log, so it is refused")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "evidence-"+when.Format("20060102T150405Z")+".zip"))
	h.Set("X-Content-SHA256", digest)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

type namedFile struct {
	name string
	data []byte
}

// packFiles reads the files of the pack in dir that its manifest vouches
// for: the manifest itself, SHA256SUMS and every subject, each with its
// signature. A manifest no trusted key signed yields no files but a fault;
// a document whose digest differs from the manifest's is included and named
// in the fault, so the auditor sees what the archive holds.
func (s *server) packFiles(r *http.Request, dir string) ([]namedFile, string, error) {
	ctx := r.Context()
	env, err := archive.ReadAll(ctx, s.cfg.Store, dir+"/"+manifest.FileName)
	if err != nil {
		return nil, "", err
	}
	var st *manifest.Statement
	for _, pub := range append([]crypto.PublicKey{s.cfg.Trusted}, s.cfg.AlsoTrusted...) {
		if st, err = manifest.Open(env, pub); err == nil {
			break
		}
	}
	if st == nil {
		return nil, "the manifest does not verify with a trusted key; no file of this pack is included", nil
	}
	out := []namedFile{{manifest.FileName, env}}
	want := map[string]string{}
	names := []string{manifest.SumsName, manifest.SumsName + ".sig"}
	for _, sub := range st.Subject {
		want[sub.Name] = sub.SHA256
		names = append(names, sub.Name, sub.Name+".sig")
	}
	var faults []string
	for _, n := range names {
		b, err := archive.ReadAll(ctx, s.cfg.Store, dir+"/"+n)
		if errors.Is(err, archive.ErrNotFound) {
			faults = append(faults, n+" is missing")
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if d, ok := want[n]; ok {
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) != d {
				faults = append(faults, n+" does not match the digest in the signed manifest")
			}
		}
		out = append(out, namedFile{n, b})
	}
	return out, strings.Join(faults, "; "), nil
}
