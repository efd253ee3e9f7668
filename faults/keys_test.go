package faults

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusableKeys: a signing key that cannot be used stops the run before
// anything is written, with exit code 5, a message naming the key file and
// what is wrong with it, and never the password.
func TestUnusableKeys(t *testing.T) {
	p, _ := program(t, 20)
	dir := t.TempDir()
	good, _ := keypair(t)
	pem, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const password = "correct horse battery staple 7f3a"
	enc := filepath.Join(dir, "enc.pem")
	if r := cli(t, context.Background(), []string{"KEYPASS=" + password}, "keygen", "--out", enc, "--password-env", "KEYPASS"); r.code != 0 {
		t.Fatalf("keygen with a password: %s", r)
	}
	cases := []struct {
		name, key string
		env       []string
		code      int
		want      []string // in stderr
	}{
		{"missing", filepath.Join(dir, "nope.pem"), nil, 5, []string{"nope.pem"}},
		{"a directory", dir, nil, 5, []string{filepath.Base(dir)}},
		{"not a key", write("garbage.pem", []byte("hello\n")), nil, 5, []string{"garbage.pem"}},
		{"truncated", write("half.pem", pem[:len(pem)/2]), nil, 5, []string{"half.pem"}},
		{"empty", write("empty.pem", nil), nil, 5, []string{"empty.pem"}},
		{"encrypted, no password", enc, nil, 5, []string{"enc.pem", "password"}},
		{"encrypted, wrong password", enc, []string{"CLEARPACK_KEY_PASSWORD=tr0ub4dor&3"}, 5, []string{"enc.pem"}},
		{"encrypted, right password", enc, []string{"CLEARPACK_KEY_PASSWORD=" + password}, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			r := cli(t, context.Background(), c.env, runArgs(p, c.key, root)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, c.code, r)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not name %q:\n%s", w, r.stderr)
				}
			}
			for _, secret := range []string{password, "tr0ub4dor&3"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Errorf("a password is shown:\n%s", r)
				}
			}
			if c.code != 0 && publishedFiles(root) != 0 {
				t.Errorf("%d objects were archived although the key could not be used", publishedFiles(root))
			}
		})
	}
}
