package manifest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clearpack/clearpack/archive"
)

// Digest is the lowercase hex SHA-256 of b.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Subjects lists files with their digests, sorted by name.
func Subjects(files map[string][]byte) []Subject {
	out := make([]Subject, 0, len(files))
	for name, b := range files {
		out = append(out, Subject{Name: name, SHA256: Digest(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SHA256SUMS returns a checksum file in `sha256sum -c` format, one line
// "<hex>  <name>" per file, sorted by name.
func SHA256SUMS(files map[string][]byte) []byte { return SumsOf(Subjects(files)) }

// SumsOf is SHA256SUMS from digests already known.
func SumsOf(subjects []Subject) []byte {
	sorted := slices.SortedFunc(slices.Values(subjects), func(a, b Subject) int { return strings.Compare(a.Name, b.Name) })
	var b bytes.Buffer
	for _, s := range sorted {
		fmt.Fprintf(&b, "%s  %s\n", s.SHA256, s.Name)
	}
	return b.Bytes()
}

// ParseSHA256SUMS reads a checksum file written by SHA256SUMS (or by
// sha256sum for plain file names). Errors name the line.
func ParseSHA256SUMS(b []byte) ([]Subject, error) {
	var out []Subject
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		hexDigest, name, ok := strings.Cut(text, "  ")
		if !ok {
			// sha256sum writes " *" for binary mode.
			hexDigest, name, ok = strings.Cut(text, " *")
		}
		if !ok {
			return nil, fmt.Errorf("%s line %d: want \"<sha256>  <name>\", got %q", SumsName, line, text)
		}
		if !isSHA256(hexDigest) {
			return nil, fmt.Errorf("%s line %d: %q is not a 64-digit lowercase hex sha256", SumsName, line, hexDigest)
		}
		if err := archive.ValidSegment(name); err != nil {
			return nil, fmt.Errorf("%s line %d: file name %q: %w", SumsName, line, name, err)
		}
		if prev, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s line %d: %s already listed on line %d", SumsName, line, name, prev)
		}
		seen[name] = line
		out = append(out, Subject{Name: name, SHA256: hexDigest})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", SumsName, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no files listed", SumsName)
	}
	return out, nil
}
