// Package witness has the audit log's checkpoints cosigned by independent
// witnesses speaking the C2SP tlog-witness protocol
// (https://c2sp.org/tlog-witness), and verifies their cosignatures
// (https://c2sp.org/tlog-cosignature).
//
// A witness keeps the latest checkpoint it cosigned for each log and
// cosigns a new one only with a consistency proof from it: once a witness
// has cosigned a history, it refuses any other history of the same log (a
// fork, or "split view"), so an issuer cannot show one auditor one history
// and another a different one, unless every witness it needs colludes.
package witness

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// ErrRefused: a witness did not cosign (unreachable, refused the
// checkpoint, or answered something else than cosignatures).
var ErrRefused = errors.New("witness refused")

// ErrSplitView: a witness has cosigned a different tree of this log, which
// the checkpoint offered is not consistent with.
var ErrSplitView = errors.New("split view")

// Client submits checkpoints to one witness.
type Client struct {
	// URL is the witness's base URL (add-checkpoint is below it).
	URL  string
	HTTP *http.Client
}

// Prover returns the RFC 6962 consistency proof from the tree of size old
// to the checkpoint's.
type Prover func(ctx context.Context, old uint64) ([][]byte, error)

// AddCheckpoint asks the witness to cosign the signed checkpoint note cp and
// returns its cosignature lines ("— <name> <base64>\n"). It first claims
// the witness has not seen the log; a witness that has answers with the size
// it knows, and the request is made again with a consistency proof from it.
func (c *Client) AddCheckpoint(ctx context.Context, cp []byte, prove Prover) ([]byte, error) {
	size, err := checkpointSize(cp)
	if err != nil {
		return nil, err
	}
	old := uint64(0)
	for attempt := 0; attempt < 2; attempt++ {
		var proof [][]byte
		if old > 0 && old < size {
			if proof, err = prove(ctx, old); err != nil {
				return nil, fmt.Errorf("witness %s: consistency proof from %d: %w", c.URL, old, err)
			}
		}
		if old > size {
			return nil, fmt.Errorf("%w: %w: witness %s has cosigned a tree of %d entries, this log has %d", ErrRefused, ErrSplitView, c.URL, old, size)
		}
		status, body, err := c.post(ctx, old, proof, cp)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrRefused, c.URL, err)
		}
		switch status {
		case http.StatusOK:
			return cosignatureLines(body)
		case http.StatusConflict:
			n, perr := strconv.ParseUint(strings.TrimSpace(string(body)), 10, 64)
			if perr != nil || attempt > 0 {
				return nil, fmt.Errorf("%w: %w: witness %s holds a checkpoint of this log that this one does not extend (answered 409: %q)", ErrRefused, ErrSplitView, c.URL, trim(body))
			}
			old = n
			continue
		case http.StatusUnprocessableEntity:
			return nil, fmt.Errorf("%w: %w: witness %s says this checkpoint is not consistent with the one it cosigned (%q)", ErrRefused, ErrSplitView, c.URL, trim(body))
		case http.StatusForbidden, http.StatusNotFound:
			return nil, fmt.Errorf("%w: witness %s does not know this log or its key (HTTP %d: %q)", ErrRefused, c.URL, status, trim(body))
		default:
			return nil, fmt.Errorf("%w: witness %s answered HTTP %d: %q", ErrRefused, c.URL, status, trim(body))
		}
	}
	return nil, fmt.Errorf("%w: witness %s: no agreement on the previous size", ErrRefused, c.URL)
}

func trim(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func (c *Client) post(ctx context.Context, old uint64, proof [][]byte, cp []byte) (int, []byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("\n")
	b.Write(cp)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.URL, "/")+"/add-checkpoint", &b)
	if err != nil {
		return 0, nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, body, err
}

// cosignatureLines checks a 200 answer is signature lines and returns them.
func cosignatureLines(body []byte) ([]byte, error) {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		l := sc.Text()
		if l == "" {
			continue
		}
		if !strings.HasPrefix(l, "— ") || strings.Count(l, " ") != 2 {
			return nil, fmt.Errorf("%w: answer is not cosignature lines: %q", ErrRefused, trim(body))
		}
		out.WriteString(l + "\n")
	}
	if out.Len() == 0 {
		return nil, fmt.Errorf("%w: empty answer", ErrRefused)
	}
	return out.Bytes(), nil
}

func checkpointSize(cp []byte) (uint64, error) {
	lines := strings.SplitN(string(cp), "\n", 3)
	if len(lines) < 3 {
		return 0, errors.New("not a checkpoint")
	}
	return strconv.ParseUint(lines[1], 10, 64)
}

// Cosigned returns the checkpoint note cp with the cosignature lines added.
func Cosigned(cp []byte, lines ...[]byte) []byte {
	out := bytes.Clone(cp)
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}

// algCosignatureV1 is the signed-note key type of tlog-cosignature keys.
const algCosignatureV1 = 4

// NewVerifier parses a witness's verifier key ("<name>+<hash>+<base64>",
// c2sp.org/signed-note): a cosignature/v1 key (type 0x04), or a plain
// Ed25519 note key (type 0x01).
func NewVerifier(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(strings.TrimSpace(vkey), "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("witness key %q: want <name>+<hash>+<key>", vkey)
	}
	name := parts[0]
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("witness key %q: key is not base64", vkey)
	}
	if key[0] != algCosignatureV1 {
		return note.NewVerifier(vkey)
	}
	if len(key) != 1+ed25519.PublicKeySize {
		return nil, fmt.Errorf("witness key %q: wrong key length", vkey)
	}
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(key)
	hash := binary.BigEndian.Uint32(h.Sum(nil))
	if fmt.Sprintf("%08x", hash) != parts[1] {
		return nil, fmt.Errorf("witness key %q: key hash does not match", vkey)
	}
	return &cosigVerifier{name: name, hash: hash, key: ed25519.PublicKey(key[1:])}, nil
}

// cosigVerifier verifies cosignature/v1 signatures: 8 bytes of UNIX time,
// then an Ed25519 signature over "cosignature/v1\ntime <t>\n" and the
// checkpoint text.
type cosigVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v *cosigVerifier) Name() string    { return v.name }
func (v *cosigVerifier) KeyHash() uint32 { return v.hash }
func (v *cosigVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	m := fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s", t, msg)
	return ed25519.Verify(v.key, m, sig[8:])
}
