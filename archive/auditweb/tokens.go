package auditweb

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// TokenHash is one accepted access token, known only by its SHA-256.
type TokenHash struct {
	// Name is who holds the token; it is the actor recorded in the audit
	// log. When the tokens file gives none, "token-<first 12 hex digits of
	// the hash>" is used.
	Name string
	Sum  [sha256.Size]byte
}

// HashLine returns the tokens-file line for token ("sha256:<hex> name").
func HashLine(token, name string) string {
	sum := sha256.Sum256([]byte(token))
	line := "sha256:" + hex.EncodeToString(sum[:])
	if name != "" {
		line += " " + name
	}
	return line
}

// ParseTokens reads a tokens file: one "sha256:<64 hex digits>" per line,
// optionally followed by whitespace and the holder's name (no spaces).
// Blank lines and lines starting with # are ignored. Errors name the line.
func ParseTokens(r io.Reader, source string) ([]TokenHash, error) {
	var out []TokenHash
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) > 2 {
			return nil, fmt.Errorf("%s:%d: want \"sha256:<hex> [name]\", got %d fields", source, line, len(fields))
		}
		hexSum, ok := strings.CutPrefix(fields[0], "sha256:")
		if !ok {
			// Never repeat the line: it may be a token pasted by mistake.
			return nil, fmt.Errorf("%s:%d: a token hash starts with \"sha256:\" (the file holds hashes, never tokens; make them with 'clearpack token')", source, line)
		}
		raw, err := hex.DecodeString(hexSum)
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("%s:%d: want 64 hex digits after \"sha256:\"", source, line)
		}
		th := TokenHash{}
		copy(th.Sum[:], raw)
		if len(fields) == 2 {
			th.Name = fields[1]
		} else {
			th.Name = "token-" + hexSum[:12]
		}
		out = append(out, th)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", source, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no token hashes", source)
	}
	return out, nil
}

// LoadTokens reads the tokens file at path (see ParseTokens).
func LoadTokens(path string) ([]TokenHash, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading tokens: %w", err)
	}
	defer f.Close()
	return ParseTokens(f, path)
}

// match returns the accepted token hash that token has. It compares the
// token's hash with every accepted hash in constant time, without stopping
// at a match.
func match(hashes []TokenHash, token string) (TokenHash, bool) {
	sum := sha256.Sum256([]byte(token))
	var got TokenHash
	found := 0
	for _, h := range hashes {
		if subtle.ConstantTimeCompare(sum[:], h.Sum[:]) == 1 {
			got, found = h, 1
		}
	}
	return got, found == 1
}
