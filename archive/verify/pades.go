package verify

import (
	"crypto"
	"fmt"

	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pades"
	"github.com/clearpack/clearpack/archive/tsa"
)

// checkEmbedded checks a document's embedded (PAdES) signature when its
// manifest names the document's first revision: the signature verifies and
// covers the whole file, its certificate holds the key that signed the
// manifest (so no CA needs trusting to tie it to the issuer), and the file
// begins with exactly the first revision the manifest names, the document
// as rendered.
func (v *verifier) checkEmbedded(key string, pdf []byte, revs []manifest.Revision, name string, signer crypto.PublicKey) {
	var rev *manifest.Revision
	for i := range revs {
		if revs[i].Name == name {
			rev = &revs[i]
		}
	}
	if rev == nil {
		return
	}
	s, err := pades.Verify(pdf)
	if err != nil {
		v.r.fail(KindSignature, key, "embedded signature: "+err.Error())
		return
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if k, ok := s.Chain[0].PublicKey.(equaler); !ok || !k.Equal(signer) {
		v.r.fail(KindSignature, key, fmt.Sprintf("embedded signature: made with certificate %q, whose key is not the one that signed the manifest", s.Chain[0].Subject))
		return
	}
	level := "B-B"
	if s.Token != nil {
		level = "B-T"
		if v.o.TSARoots != nil {
			t, err := tsa.VerifyToken(s.Token, s.SignatureValue, v.o.TSARoots)
			if err != nil {
				v.r.fail(KindTimestamp, key, "embedded signature's time-stamp: "+err.Error())
				return
			}
			level += ", time-stamped " + t.UTC().Format("2006-01-02T15:04:05Z")
		}
	}
	v.r.ok(KindSignature, key, fmt.Sprintf("embedded PAdES %s signature valid, whole document signed, by %q", level, s.Chain[0].Subject.CommonName))
	switch {
	case s.FirstRevision != rev.Bytes || len(pdf) < rev.Bytes:
		v.r.fail(KindDigest, key, fmt.Sprintf("first revision is %d bytes, manifest says %d", s.FirstRevision, rev.Bytes))
	case manifest.Digest(pdf[:rev.Bytes]) != rev.SHA256:
		v.r.fail(KindDigest, key, fmt.Sprintf("first revision sha256 %s, manifest says %s", manifest.Digest(pdf[:rev.Bytes]), rev.SHA256))
	default:
		v.r.ok(KindDigest, key, fmt.Sprintf("first revision (%d bytes, as rendered) sha256 %s", rev.Bytes, rev.SHA256))
	}
}
