package pipeline

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/pack"
)

// Slug turns a program name into the archive path segment that names it:
// lower-case ASCII letters and digits joined by single hyphens ("APAC-LATAM
// Server Refresh 2026" → "apac-latam-server-refresh-2026"). Accents are
// stripped ("São" → "sao"); other letters outside ASCII are dropped, so a name
// must have some Latin letters or digits.
func Slug(name string) (string, error) {
	var b strings.Builder
	hyphen := false
	// đ and ø have no decomposition; spell them as their base letters.
	name = strings.NewReplacer("đ", "d", "Đ", "d", "ø", "o", "Ø", "o", "ß", "ss").Replace(name)
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent of the letter before
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if s == "" {
		return "", fmt.Errorf("program name %q has no ASCII letters or digits to name it in the archive", name)
	}
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	return s, nil
}

// sameProgram refuses to go on from a pack or failure report (at where)
// that another program name (had) made: two names with one slug
// ("Refresh 2026" and "refresh-2026") share an archive folder, and the
// second would supersede the first's packs. Objects from before program
// names were recorded say nothing.
func sameProgram(had, name, slug, where string) error {
	if had == "" || had == name {
		return nil
	}
	return fmt.Errorf("program %q has the archive name %q, which program %q already uses (%s): "+
		"rename one of them so that their names differ in letters or digits; nothing of this shipment was archived",
		name, slug, had, where)
}

// programOwns checks, before a failure report is archived, that the
// shipment's packs and failure reports (if any) were made under this
// program name.
func (r *Runner) programOwns(ctx context.Context, program, name, id string) error {
	if archive.ValidSegment(id) != nil {
		return nil // reject reports such an id and builds no key from it
	}
	hist, err := pack.Versions(ctx, r.Store, pack.Ref{Program: program, Shipment: id})
	if err != nil {
		return fmt.Errorf("listing versions: %w", err)
	}
	if latest, ok := hist.Latest(); ok {
		// Signed by another key: as writePack, go on.
		if prev, err := r.latestPack(ctx, latest); err == nil {
			return sameProgram(prev.Predicate.ProgramName, name, program, latest.Dir())
		}
	}
	// The first failure report tells (its signature is verify's business:
	// this only refuses).
	if len(hist.Rejections) == 0 {
		return nil
	}
	report := hist.Rejections[0]
	b, err := archive.ReadAll(ctx, r.Store, report)
	if err != nil {
		return fmt.Errorf("reading %s: %w", report, err)
	}
	rej, err := pack.ParseRejection(b)
	if err != nil {
		return nil
	}
	return sameProgram(rej.ProgramName, name, program, report)
}
