package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// A cosignature/v1 made as c2sp.org/tlog-cosignature says verifies with the
// witness's key and no other, over that checkpoint and no other.
func TestCosignatureVerifier(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	name := "witness.example/w"
	key := append([]byte{algCosignatureV1}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), key...))
	vkey := fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(key))
	v, err := NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	cp := []byte("clearpack/archive-x\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	sign := func(msg []byte) []byte {
		sig := binary.BigEndian.AppendUint64(nil, 1767225600)
		return append(sig, ed25519.Sign(priv, fmt.Appendf(nil, "cosignature/v1\ntime %d\n%s", 1767225600, msg))...)
	}
	if !v.Verify(cp, sign(cp)) {
		t.Fatal("a good cosignature does not verify")
	}
	other := []byte(strings.Replace(string(cp), "\n5\n", "\n6\n", 1))
	if v.Verify(other, sign(cp)) {
		t.Error("a cosignature verifies over another checkpoint")
	}
	if _, err := NewVerifier(strings.Replace(vkey, "+", "+0", 1)); err == nil {
		t.Error("a key with a wrong hash is accepted")
	}
}

func TestCosignatureLines(t *testing.T) {
	if _, err := cosignatureLines([]byte("<html>not found</html>")); err == nil {
		t.Error("an HTML answer is taken for cosignatures")
	}
	if got, err := cosignatureLines([]byte("— w.example/w AbCd\n")); err != nil || string(got) != "— w.example/w AbCd\n" {
		t.Errorf("cosignatureLines = %q, %v", got, err)
	}
}
