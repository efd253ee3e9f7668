package signing_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"golang.org/x/mod/sumdb/note"

	_ "github.com/sigstore/sigstore/pkg/signature/kms/fake" // fakekms:// for the KMS path
)

// tool: see internal/testenv.
func tool(t *testing.T, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

func run(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestKeygenSignAndStandardTools(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		password string
		opts     func(dir string) signing.Options
	}{
		{"plain", "", func(dir string) signing.Options { return signing.Options{} }},
		{"password from env", "s3cret-env-pw", func(dir string) signing.Options {
			return signing.Options{PasswordEnv: "CLEARPACK_TEST_KEY_PASSWORD"}
		}},
		{"password from file", "s3cret-file-pw", func(dir string) signing.Options {
			p := filepath.Join(dir, "pw.txt")
			if err := os.WriteFile(p, []byte("s3cret-file-pw\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return signing.Options{PasswordFile: p}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("CLEARPACK_TEST_KEY_PASSWORD", tc.password)
			keyPath := filepath.Join(dir, "key.pem")
			if err := signing.Keygen(keyPath, []byte(tc.password)); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(keyPath)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Fatalf("private key mode %v, want 0600", st.Mode().Perm())
			}
			priv, _ := os.ReadFile(keyPath)
			if tc.password != "" && !bytes.Contains(priv, []byte("ENCRYPTED PRIVATE KEY")) {
				t.Fatalf("key written with a password is not encrypted:\n%s", priv)
			}
			o := tc.opts(dir)
			o.KeyPath = keyPath
			s, err := signing.Load(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s.String(), tc.password) && tc.password != "" {
				t.Fatalf("String() reveals the password: %s", s)
			}
			pubFile, _ := os.ReadFile(signing.PublicKeyPath(keyPath))
			if !bytes.Equal(pubFile, s.PublicKeyPEM()) {
				t.Fatalf("public key file differs from the loaded key's public key")
			}

			doc := []byte("%PDF-1.7 fake invoice for the test\n%%EOF\n")
			der, err := s.SignBlob(ctx, doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := signing.VerifyBlob(s.PublicKey(), doc, der); err != nil {
				t.Fatal(err)
			}
			write := func(name string, b []byte) {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("x.pdf", doc)
			write("x.sig.der", der)
			write("x.pdf.sig", signing.CosignSig(der))
			write("other.pdf", append(bytes.Clone(doc), ' '))
			pub := filepath.Base(signing.PublicKeyPath(keyPath))

			openssl := tool(t, "openssl")
			if out, err := run(t, dir, nil, openssl, "dgst", "-sha256", "-verify", pub, "-signature", "x.sig.der", "x.pdf"); err != nil || !strings.Contains(out, "Verified OK") {
				t.Fatalf("openssl rejects our signature: %v\n%s", err, out)
			}
			if out, err := run(t, dir, nil, openssl, "dgst", "-sha256", "-verify", pub, "-signature", "x.sig.der", "other.pdf"); err == nil {
				t.Fatalf("openssl accepted the signature over different bytes:\n%s", out)
			}
			// KeyID is the SHA-256 of the DER SubjectPublicKeyInfo as openssl writes it.
			spki, err := exec.Command(openssl, "pkey", "-pubin", "-in", filepath.Join(dir, pub), "-outform", "DER").Output()
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(spki)
			if got := hex.EncodeToString(sum[:]); got != s.KeyID() {
				t.Fatalf("KeyID %s, openssl SPKI digest %s", s.KeyID(), got)
			}
			if tc.password != "" {
				// openssl reads our encrypted key with the password.
				out, err := run(t, dir, []string{"PW=" + tc.password}, openssl, "pkey", "-in", "key.pem", "-passin", "env:PW", "-pubout")
				if err != nil || out != string(s.PublicKeyPEM()) {
					t.Fatalf("openssl cannot decrypt the key: %v\n%s", err, out)
				}
			}

			cosign := tool(t, "../../bin/cosign")
			if out, err := run(t, dir, nil, cosign, "verify-blob", "--key", pub, "--signature", "x.pdf.sig", "--insecure-ignore-tlog=true", "x.pdf"); err != nil {
				t.Fatalf("cosign rejects our signature: %v\n%s", err, out)
			}
			if out, err := run(t, dir, nil, cosign, "verify-blob", "--key", pub, "--signature", "x.pdf.sig", "--insecure-ignore-tlog=true", "other.pdf"); err == nil {
				t.Fatalf("cosign accepted the signature over different bytes:\n%s", out)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc.pem")
	if err := signing.Keygen(enc, []byte("right-password")); err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "wrong.txt")
	os.WriteFile(pwFile, []byte("wrong-password-value\n"), 0o600)
	t.Setenv("CP_WRONG", "wrong-password-value")
	t.Setenv("CP_EMPTY", "")
	for _, tc := range []struct {
		name     string
		o        signing.Options
		want     string
		password bool
	}{
		{"no key", signing.Options{}, "no key file or KMS URI", false},
		{"both", signing.Options{KeyPath: enc, KMSURI: "fakekms://x"}, "not both", false},
		{"missing file", signing.Options{KeyPath: filepath.Join(dir, "nope.pem")}, "nope.pem", false},
		{"encrypted without password", signing.Options{KeyPath: enc}, "enc.pem is encrypted", true},
		{"unset env var", signing.Options{KeyPath: enc, PasswordEnv: "CP_UNSET_VAR"}, "CP_UNSET_VAR is not set", true},
		{"empty env var", signing.Options{KeyPath: enc, PasswordEnv: "CP_EMPTY"}, "CP_EMPTY is not set", true},
		{"wrong env password", signing.Options{KeyPath: enc, PasswordEnv: "CP_WRONG"}, "cannot decrypt", true},
		{"wrong file password", signing.Options{KeyPath: enc, PasswordFile: pwFile}, "cannot decrypt", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signing.Load(ctx, tc.o)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
			if tc.password != errors.Is(err, signing.ErrPassword) {
				t.Fatalf("errors.Is(ErrPassword) = %v for %v", !tc.password, err)
			}
			if strings.Contains(err.Error(), "wrong-password-value") || strings.Contains(err.Error(), "right-password") {
				t.Fatalf("error reveals a password: %v", err)
			}
		})
	}
}

func TestKeygenRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	for _, existing := range []string{"key.pem", "key.pub"} {
		t.Run(existing, func(t *testing.T) {
			sub := filepath.Join(dir, existing+".d")
			os.Mkdir(sub, 0o755)
			p := filepath.Join(sub, existing)
			os.WriteFile(p, []byte("keep me"), 0o600)
			err := signing.Keygen(filepath.Join(sub, "key.pem"), nil)
			if err == nil || !strings.Contains(err.Error(), existing) {
				t.Fatalf("Keygen over existing %s: %v", existing, err)
			}
			if b, _ := os.ReadFile(p); string(b) != "keep me" {
				t.Fatalf("%s was overwritten", existing)
			}
		})
	}
}

func TestKMS(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := signing.Load(ctx, signing.Options{KMSURI: "fakekms://test"})
	if err != nil {
		t.Fatal(err)
	}
	der, err := s.SignBlob(ctx, []byte("doc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := signing.VerifyBlob(s.PublicKey(), []byte("doc"), der); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckpointSigner("clearpack/test"); err == nil || !strings.Contains(err.Error(), "checkpoint key file") {
		t.Fatalf("KMS signer without checkpoint key: %v", err)
	}
	if _, err := signing.Load(ctx, signing.Options{KMSURI: "nosuchkms://key"}); err == nil || !strings.Contains(err.Error(), "nosuchkms://key") {
		t.Fatalf("unknown KMS scheme: %v", err)
	}
	// An Ed25519 checkpoint key made by openssl works next to a KMS key.
	openssl := tool(t, "openssl")
	cp := filepath.Join(dir, "checkpoint.pem")
	if out, err := run(t, dir, nil, openssl, "genpkey", "-algorithm", "ed25519", "-out", cp); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s, err = signing.Load(ctx, signing.Options{KMSURI: "fakekms://test", CheckpointKeyPath: cp})
	if err != nil {
		t.Fatal(err)
	}
	checkNote(t, s, "clearpack/kms-archive")
}

func checkNote(t *testing.T, s *signing.Signer, name string) string {
	t.Helper()
	ns, err := s.CheckpointSigner(name)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := s.CheckpointVerifierKey(name)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := note.Sign(&note.Note{Text: name + "\n1\nAAAA\n"}, ns)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		t.Fatalf("checkpoint note does not verify with %s: %v", vkey, err)
	}
	return vkey
}

func TestDerivedCheckpointKeyIsStable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var vkeys []string
	for i, name := range []string{"a.pem", "b.pem"} {
		p := filepath.Join(dir, name)
		if err := signing.Keygen(p, nil); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			s, err := signing.Load(ctx, signing.Options{KeyPath: p})
			if err != nil {
				t.Fatal(err)
			}
			vkeys = append(vkeys, checkNote(t, s, "clearpack/archive"))
		}
		if vkeys[2*i] != vkeys[2*i+1] {
			t.Fatalf("loading %s twice gave two checkpoint keys", name)
		}
	}
	if vkeys[0] == vkeys[2] {
		t.Fatal("two document keys derived the same checkpoint key")
	}
}

// A key made by `cosign generate-key-pair` (sigstore-encrypted) loads, and
// cosign verifies what we sign with it.
func TestCosignGeneratedKey(t *testing.T) {
	ctx := context.Background()
	cosign := tool(t, "../../bin/cosign")
	dir := t.TempDir()
	if out, err := run(t, dir, []string{"COSIGN_PASSWORD=cosign-pw"}, cosign, "generate-key-pair"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Setenv("CP_COSIGN_PW", "cosign-pw")
	s, err := signing.Load(ctx, signing.Options{KeyPath: filepath.Join(dir, "cosign.key"), PasswordEnv: "CP_COSIGN_PW"})
	if err != nil {
		t.Fatal(err)
	}
	doc := []byte("%PDF-1.7 signed with a cosign key")
	der, err := s.SignBlob(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "x.pdf"), doc, 0o644)
	os.WriteFile(filepath.Join(dir, "x.pdf.sig"), signing.CosignSig(der), 0o644)
	if out, err := run(t, dir, nil, cosign, "verify-blob", "--key", "cosign.pub", "--signature", "x.pdf.sig", "--insecure-ignore-tlog=true", "x.pdf"); err != nil {
		t.Fatalf("cosign rejects a signature by its own key: %v\n%s", err, out)
	}
	t.Setenv("CP_COSIGN_PW", "wrong")
	if _, err := signing.Load(ctx, signing.Options{KeyPath: filepath.Join(dir, "cosign.key"), PasswordEnv: "CP_COSIGN_PW"}); !errors.Is(err, signing.ErrPassword) {
		t.Fatalf("wrong password for a cosign key: %v", err)
	}
}

// A key in memory signs as the same key loaded from a file does: same key
// id, same derived checkpoint key, signatures that verify with its public key.
func TestFromKey(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "k.pem")
	if err := signing.Keygen(p, nil); err != nil {
		t.Fatal(err)
	}
	fromFile, err := signing.Load(ctx, signing.Options{KeyPath: p})
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := cryptoutils.UnmarshalPEMToPrivateKey(pemBytes, cryptoutils.SkipPassword)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := priv.(*ecdsa.PrivateKey)
	inMem, err := signing.FromKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	if inMem.KeyID() != fromFile.KeyID() {
		t.Errorf("key id %s in memory, %s from the file", inMem.KeyID(), fromFile.KeyID())
	}
	if a, b := checkNote(t, inMem, "clearpack/archive"), checkNote(t, fromFile, "clearpack/archive"); a != b {
		t.Errorf("checkpoint key %s in memory, %s from the file", a, b)
	}
	der, err := inMem.SignBlob(ctx, []byte("doc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := signing.VerifyBlob(fromFile.PublicKey(), []byte("doc"), der); err != nil {
		t.Errorf("a signature made in memory does not verify with the file's public key: %v", err)
	}
	if _, err := signing.FromKey(nil); err == nil {
		t.Error("FromKey(nil): no error")
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := signing.FromKey(p384); err == nil || !strings.Contains(err.Error(), "P-384") {
		t.Errorf("FromKey(P-384) = %v; want an error naming the curve", err)
	}
}
