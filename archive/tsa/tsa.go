// Package tsa obtains and checks RFC 3161 time-stamps: proof from a
// time-stamp authority that some bytes existed at a time, which does not
// rest on clearpack's own clock or word.
//
// The client asks for SHA-256 imprints with a nonce and the TSA's
// certificate in the token; it checks every answer (status granted, the
// imprint and nonce it asked for, a token signature that verifies) before
// using it, so a TSA that is down or answers garbage is an error naming the
// TSA, never a stored file. Verification also checks the TSA's certificate
// chain up to roots the caller trusts, for time-stamping use, at the
// time-stamp's time. The stored form (.tsr) is the TSA's whole response,
// which `openssl ts -verify -in F.tsr -data F -CAfile root.pem -untrusted
// chain.pem` checks too.
package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// ErrUnavailable: the TSA could not be reached, refused, or answered
// something that is not a valid time-stamp for the request.
var ErrUnavailable = errors.New("time-stamp authority unusable")

// Client talks to one TSA over HTTP.
type Client struct {
	URL string
	// HTTP is the client to use; one with a 30 s timeout when nil.
	HTTP *http.Client
}

const maxResponse = 1 << 20

// Stamp returns the TSA's response (DER TimeStampResp, the .tsr file) for
// data and the time-stamp token inside it.
func (c *Client) Stamp(ctx context.Context, data []byte) (tsr, token []byte, err error) {
	fail := func(format string, a ...any) ([]byte, []byte, error) {
		return nil, nil, fmt.Errorf("%w: %s: %s", ErrUnavailable, c.URL, fmt.Sprintf(format, a...))
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, nil, err
	}
	req, err := timestamp.CreateRequest(bytes.NewReader(data), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true, Nonce: nonce})
	if err != nil {
		return nil, nil, fmt.Errorf("making a time-stamp request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return fail("%v", err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return fail("%v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fail("reading the answer: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fail("answered HTTP %d", resp.StatusCode)
	}
	if len(body) > maxResponse {
		return fail("answer larger than %d bytes", maxResponse)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return fail("answered something that is not a valid time-stamp response: %v", err)
	}
	sum := sha256.Sum256(data)
	switch {
	case ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, sum[:]):
		return fail("the time-stamp is for other data than asked")
	case ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0:
		return fail("the time-stamp does not carry the nonce asked for (a replayed answer?)")
	case len(ts.Certificates) == 0:
		return fail("the time-stamp carries no certificate")
	}
	return body, ts.RawToken, nil
}

// Timestamp returns a token for data: the form PAdES B-T embeds.
func (c *Client) Timestamp(ctx context.Context, data []byte) ([]byte, error) {
	_, tok, err := c.Stamp(ctx, data)
	return tok, err
}

// ErrInvalid: a time-stamp does not prove what it should.
var ErrInvalid = errors.New("time-stamp invalid")

// VerifyResponse checks a stored response (.tsr) for data against the
// trusted roots and returns the time it proves.
func VerifyResponse(tsr, data []byte, roots *x509.CertPool) (time.Time, error) {
	ts, err := timestamp.ParseResponse(tsr)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return check(ts, data, roots)
}

// VerifyToken checks a time-stamp token (as embedded in a signature) over
// data against the trusted roots and returns the time it proves.
func VerifyToken(token, data []byte, roots *x509.CertPool) (time.Time, error) {
	ts, err := timestamp.Parse(token)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return check(ts, data, roots)
}

func check(ts *timestamp.Timestamp, data []byte, roots *x509.CertPool) (time.Time, error) {
	sum := sha256.Sum256(data)
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, sum[:]) {
		return time.Time{}, fmt.Errorf("%w: it is for other data", ErrInvalid)
	}
	var leaf *x509.Certificate
	inter := x509.NewCertPool()
	for _, c := range ts.Certificates {
		for _, u := range c.ExtKeyUsage {
			if u == x509.ExtKeyUsageTimeStamping && leaf == nil {
				leaf = c
			}
		}
		inter.AddCert(c)
	}
	if leaf == nil {
		return time.Time{}, fmt.Errorf("%w: no time-stamping certificate in it", ErrInvalid)
	}
	if roots == nil {
		return time.Time{}, fmt.Errorf("%w: no trusted time-stamp authority given", ErrInvalid)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: ts.Time,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}); err != nil {
		return time.Time{}, fmt.Errorf("%w: the authority %q is not trusted: %v", ErrInvalid, leaf.Subject, err)
	}
	return ts.Time, nil
}
