package verify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
)

// Completeness, both ways: every object a signed log entry records is in
// the archive with the recorded digest, and every object in the archive is
// accounted for, by a signed entry or by the archive's fixed layout (which
// the other checks cover). What neither accounts for is a stray object.

const archiveIDKey = auditlog.ArchiveIDKey

// checkIdentity checks that archive-id names the log its checkpoints and
// its checkpoint key are for. vkeys are the trusted checkpoint verifier
// keys ("<origin>+<hash>+<key>").
func (v *verifier) checkIdentity(ctx context.Context, vkeys []string) error {
	b, err := archive.ReadAll(ctx, v.st, archiveIDKey)
	switch {
	case errors.Is(err, archive.ErrNotFound):
		if len(v.state.Entries) > 0 || v.state.Checkpoints > 0 {
			v.r.fail(KindIdentity, archiveIDKey, fmt.Sprintf("missing: the archive has an audit log (%s) but no identity naming it", v.state.Origin))
		}
		v.origin = v.state.Origin
		return nil
	case errors.Is(err, archive.ErrNotRegular):
		v.r.fail(KindIdentity, archiveIDKey, err.Error())
		return nil
	case err != nil:
		return fmt.Errorf("verifying: reading %s: %w", archiveIDKey, err)
	}
	v.objects = append(v.objects, archiveIDKey)
	origin := auditlog.OriginPrefix + strings.TrimSpace(string(b))
	v.origin = origin
	if v.state.Origin != "" && v.state.Origin != origin {
		v.r.fail(KindIdentity, archiveIDKey, fmt.Sprintf("names log %q, but the signed checkpoints are for %q: archive-id was changed", origin, v.state.Origin))
		return nil
	}
	bound := false
	for _, k := range vkeys {
		if strings.HasPrefix(k, origin+"+") {
			bound = true
		}
	}
	if !bound && v.state.Checkpoints > 0 {
		v.r.fail(KindIdentity, archiveIDKey, fmt.Sprintf("names log %q, but no trusted checkpoint key is for that log", origin))
		return nil
	}
	v.r.ok(KindIdentity, archiveIDKey, fmt.Sprintf("log %q, the origin of every checkpoint and of the trusted checkpoint key", origin))
	return nil
}

// checkEntries verifies every entry's signature with the trusted keys.
func (v *verifier) checkEntries() {
	s := v.state
	v.signed = make([]bool, len(s.Entries))
	bad := 0
	for i, raw := range s.Raw {
		_, _, err := auditlog.VerifyEntry(v.origin, raw, v.trusted...)
		if err != nil {
			v.r.fail(KindEntry, auditlog.EntryKey(uint64(i)), err.Error())
			bad++
			continue
		}
		v.signed[i] = true
	}
	if bad == 0 && len(s.Entries) > 0 {
		v.r.ok(KindEntry, "audit log", fmt.Sprintf("all %d entries signed by a trusted key", len(s.Entries)))
	}
}

var (
	runReportKey  = regexp.MustCompile(`^runs/[^/]+/[^/]+/report\.(json|pdf)(\.sig)?$`)
	publicKeyKey  = regexp.MustCompile(`^keys/[0-9a-f]+\.pub$`)
	checkpointKey = regexp.MustCompile(`^audit/checkpoints/[0-9]{20}$`)
	entryKey      = regexp.MustCompile(`^audit/entries/[0-9]{20}\.json$`)
	vkeyKey       = regexp.MustCompile(`^audit/keys/[0-9a-f]{64}\.vkey(\.sig)?$`)
	stampKey      = regexp.MustCompile(`^audit/timestamps/[0-9]+\.tsr$`)
	cosignedKey   = regexp.MustCompile(`^audit/cosigned/[0-9]{20}$`)
	claimKey      = regexp.MustCompile(`^scheduler/claims/.+/([0-9]{10}|done)$`)
	writerKey     = regexp.MustCompile(`^scheduler/writers/[^/]+/[^/]+/v[0-9]{4,}\.json$`)
)

// layout says whether key has a place in the archive's layout that another
// check covers (a pack file, a report, the log).
func layout(key string) bool {
	if k, ok := pack.ParseKey(key); ok {
		// A file of a pack version (checkPack judges each name), or a
		// rejection report and its signature.
		return k.IsPack() || k.Name == pack.RejectionName || k.Name == pack.RejectionName+".sig"
	}
	switch {
	case key == archiveIDKey, publicKeyKey.MatchString(key),
		entryKey.MatchString(key), checkpointKey.MatchString(key), vkeyKey.MatchString(key),
		stampKey.MatchString(key), cosignedKey.MatchString(key),
		runReportKey.MatchString(key):
		return true
	case claimKey.MatchString(key), writerKey.MatchString(key):
		// Batch claims of serve and run --once, and the writers of pack
		// versions: operational records, not part of the audit trail,
		// never served to auditors.
		return true
	}
	return false
}

// shadowLister is implemented by stores that keep object versions (S3):
// it names keys whose archived (oldest) version is hidden by a delete
// marker or a later version, written behind clearpack's back.
type shadowLister interface {
	ListShadowed(ctx context.Context, prefix string, fn func(key, what string) error) error
}

// scopePrefix is the key prefix the options narrow verification to ("" for
// the whole archive).
func (v *verifier) scopePrefix() string {
	if v.o.Program == "" {
		return ""
	}
	return pack.ScopeName(pack.Ref{Program: v.o.Program, Shipment: v.o.Shipment, Version: v.o.Version}) + "/"
}

// inScope says whether an entry is about something in scope.
func (v *verifier) inScope(e auditlog.Entry) bool {
	p := v.scopePrefix()
	return p == "" || strings.HasPrefix(e.Object+"/", p)
}

func (v *verifier) checkCompleteness(ctx context.Context) error {
	prefix := v.scopePrefix()
	listed := map[string]archive.Info{}
	err := v.st.List(ctx, prefix, func(in archive.Info) error {
		listed[in.Key] = in
		return nil
	})
	if err != nil {
		return fmt.Errorf("verifying: listing %q: %w", prefix, err)
	}
	accounted := map[string]bool{}
	if v.state != nil {
		if err := v.checkRecorded(ctx, listed, accounted); err != nil {
			return err
		}
	}
	stray := 0
	for _, key := range slices.Sorted(maps.Keys(listed)) {
		if accounted[key] || layout(key) {
			continue
		}
		v.r.fail(KindStray, key, "no audit-log entry or place in the archive layout accounts for this object")
		stray++
	}
	if stray == 0 {
		v.r.ok(KindStray, v.scopeOrArchive(), fmt.Sprintf("%d objects, each accounted for", len(listed)))
	}
	if sl, ok := v.st.(shadowLister); ok {
		err := sl.ListShadowed(ctx, prefix, func(key, what string) error {
			v.r.fail(KindAltered, key, what+" behind clearpack's back; the archived (oldest) version was read and checked")
			return nil
		})
		if err != nil {
			return fmt.Errorf("verifying: listing object versions: %w", err)
		}
	}
	return nil
}

func (v *verifier) scopeOrArchive() string {
	if p := v.scopePrefix(); p != "" {
		return p
	}
	return v.st.String()
}

// checkRecorded checks that every object a signed entry records is there,
// with the digest recorded, and that every rejection report, run report and
// bundle in the archive is recorded.
func (v *verifier) checkRecorded(ctx context.Context, listed map[string]archive.Info, accounted map[string]bool) error {
	recorded := map[string]bool{} // objects recorded by an entry
	for i, e := range v.state.Entries {
		if !v.signed[i] || !v.inScope(e) {
			continue
		}
		ek := auditlog.EntryKey(uint64(i))
		switch e.Event {
		case auditlog.EventPackArchived:
			// A pack present was checked against its entry (inclusion);
			// one without its manifest was named by checkIncomplete.
			if _, checked := v.packs[e.Object+"/"]; !checked {
				v.r.fail(KindMissing, e.Object+"/", fmt.Sprintf("recorded in %s as archived, but the pack is not in the archive", ek))
			}
		case auditlog.EventValidationRejected, auditlog.EventRunReportArchived:
			names := []string{e.Object}
			if e.Event == auditlog.EventRunReportArchived {
				names = []string{e.Object + "/report.json", e.Object + "/report.pdf"}
			}
			for _, key := range names {
				recorded[key] = true
				name := key[strings.LastIndexByte(key, '/')+1:]
				if err := v.checkDigest(ctx, listed, key, e.Digests[name], ek); err != nil {
					return err
				}
			}
		case auditlog.EventBundleIssued:
			if !strings.HasPrefix(e.Object, pack.BundlesPrefix) {
				continue // a bundle written to a file, not to the archive
			}
			recorded[e.Object] = true
			accounted[e.Object] = true
			if _, ok := listed[e.Object]; !ok {
				v.r.fail(KindMissing, e.Object, fmt.Sprintf("recorded in %s as issued, but not in the archive", ek))
				continue
			}
			b, err := v.read(ctx, e.Object)
			if err != nil || b == nil {
				if err != nil {
					return err
				}
				continue
			}
			if d := manifest.Digest(b); !slices.Contains(slices.Collect(maps.Values(e.Digests)), d) {
				v.r.fail(KindDigest, e.Object, fmt.Sprintf("sha256 %s is not a digest %s recorded", d, ek))
			} else {
				v.r.ok(KindDigest, e.Object, "bundle recorded in "+ek)
			}
		}
	}
	// Reports in the archive that no entry records.
	for _, key := range slices.Sorted(maps.Keys(listed)) {
		switch {
		case isRejection(key),
			runReportKey.MatchString(key) && (strings.HasSuffix(key, "report.json") || strings.HasSuffix(key, "report.pdf")) &&
				hasAny(listed, key[:strings.LastIndexByte(key, '/')]+"/report.json"):
			// (A run report without report.json is unfinished:
			// checkRunReports judges it.)
			if !recorded[key] {
				v.r.fail(KindInclusion, key, "no audit-log entry records this report")
			}
		}
	}
	return nil
}

// checkDigest checks that key is in the archive with the digest entry ek
// recorded.
func (v *verifier) checkDigest(ctx context.Context, listed map[string]archive.Info, key, want, ek string) error {
	if _, ok := listed[key]; !ok {
		v.r.fail(KindMissing, key, fmt.Sprintf("recorded in %s, but not in the archive", ek))
		return nil
	}
	b, err := v.read(ctx, key)
	if err != nil || b == nil {
		return err
	}
	if d := manifest.Digest(b); d != want {
		v.r.fail(KindDigest, key, fmt.Sprintf("sha256 %s, but %s recorded %s", d, ek, want))
	} else {
		v.r.ok(KindDigest, key, "as recorded in "+ek)
	}
	return nil
}

// checkIncomplete judges a pack version without a manifest: abandoned by a
// crashed run and recorded so by the run that superseded it (passes, if
// it holds exactly the objects recorded), being written now (younger than
// StaleAfter: passes, not checked), or unaccounted for (a fault).
func (v *verifier) checkIncomplete(ctx context.Context, p *packDir) error {
	obj := strings.TrimSuffix(p.prefix, "/")
	if v.state != nil {
		for i, e := range v.state.Entries {
			if !v.signed[i] || e.Event != auditlog.EventPackAbandoned || e.Object != obj {
				continue
			}
			ek := auditlog.EntryKey(uint64(i))
			ok := true
			for name := range p.files {
				if _, rec := e.Digests[name]; !rec {
					v.r.fail(KindStray, p.prefix+name, fmt.Sprintf("in an abandoned pack version, but not among the objects %s recorded in it", ek))
					ok = false
				}
			}
			for _, name := range slices.Sorted(maps.Keys(e.Digests)) {
				b, err := v.read(ctx, p.prefix+name)
				if err != nil {
					return err
				}
				if b == nil {
					ok = false
					continue
				}
				if d := manifest.Digest(b); d != e.Digests[name] {
					v.r.fail(KindDigest, p.prefix+name, fmt.Sprintf("sha256 %s, but %s recorded %s", d, ek, e.Digests[name]))
					ok = false
				}
			}
			if ok {
				v.r.ok(KindIncomplete, p.prefix, fmt.Sprintf("abandoned incomplete version (%d objects, never a pack), recorded in %s: %s", len(e.Digests), ek, e.Detail))
			}
			return nil
		}
	}
	if v.state != nil {
		for i, e := range v.state.Entries {
			if v.signed[i] && e.Event == auditlog.EventPackArchived && e.Object == obj {
				v.r.fail(KindIncomplete, p.prefix, fmt.Sprintf("incomplete pack: no %s, but %s records it as archived", manifest.FileName, auditlog.EntryKey(uint64(i))))
				return nil
			}
		}
	}
	if age := v.o.Now().Sub(p.touched); age < v.o.StaleAfter {
		v.r.ok(KindIncomplete, p.prefix, fmt.Sprintf("being written (last object %s ago); not checked", age.Round(time.Second)))
		return nil
	}
	v.r.fail(KindIncomplete, p.prefix, "incomplete pack: no "+manifest.FileName+", and no audit-log entry records it as abandoned")
	return nil
}

func hasAny(listed map[string]archive.Info, key string) bool {
	_, ok := listed[key]
	return ok
}

func isRejection(key string) bool {
	k, ok := pack.ParseKey(key)
	return ok && k.IsRejection()
}
