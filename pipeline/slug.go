package pipeline

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
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
