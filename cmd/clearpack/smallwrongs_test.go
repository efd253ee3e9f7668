package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/internal/testenv"
)

// verify and capability only read: pointed at a wrong path they fail and
// leave nothing behind (they used to create var/archive/.tmp).
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, out, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	pub := filepath.Join(dir, "key.pub")
	empty := filepath.Join(dir, "home")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"verify", "capability"} {
		missing := filepath.Join(dir, "no", "archive")
		code, _, errOut := clearpack(t, c, "--archive", missing, "--pub", pub)
		if code != ExitArchive || !strings.Contains(errOut, missing) {
			t.Errorf("%s on a missing archive: exit %d, want %d naming it\n%s", c, code, ExitArchive, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "no")); !os.IsNotExist(err) {
			t.Errorf("%s created %s", c, filepath.Join(dir, "no"))
		}
		clearpack(t, c, "--archive", empty, "--pub", pub)
		if ents, _ := os.ReadDir(empty); len(ents) > 0 {
			t.Errorf("%s wrote into an existing directory: %v", c, ents)
		}
	}
}

// keygen prints the fingerprint auditors compare: the one openssl computes
// from the public key, as the README and the bundle's README.txt say.
func TestKeygenPrintsFingerprint(t *testing.T) {
	openssl := testenv.Tool(t, "openssl")
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	code, out, errOut := clearpack(t, "keygen", "--out", key)
	if code != ExitOK {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	cmd := exec.Command("sh", "-c", openssl+` pkey -pubin -in "$1" -outform DER | sha256sum`, "sh", filepath.Join(dir, "key.pub"))
	b, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(b))[0]
	if !strings.Contains(out, "key fingerprint") || !strings.Contains(out, want) {
		t.Errorf("keygen does not print the fingerprint %s:\n%s", want, out)
	}
	code, out, _ = clearpack(t, "keygen", "--out", key, "--if-missing")
	if code != ExitOK || !strings.Contains(out, want) {
		t.Errorf("keygen --if-missing does not print the fingerprint %s:\n%s", want, out)
	}
}

// bundle records bundle.issued only once the file is written: a write that
// fails leaves no issuance in the audit log.
func TestBundleIssuedOnlyAfterTheFile(t *testing.T) {
	dir, _, arch, pub, _ := bundleEnv(t) // one bundle issued to b.zip
	issued := func() int {
		n := 0
		for _, e := range logEntries(t, arch) {
			if e.Event == auditlog.EventBundleIssued {
				n++
			}
		}
		return n
	}
	before := issued()
	if before != 1 {
		t.Fatalf("after one bundle: %d bundle.issued entries", before)
	}
	for _, bad := range []string{filepath.Join(dir, "no-such-dir", "b.zip"), filepath.Join(dir, "b.zip")} {
		code, _, errOut := clearpack(t, "bundle", "APL26-VN-01", "--program", deliverProgram, "--for", "saigon-customs", "--pub", pub, "--archive", arch, "--out", bad)
		if code == ExitOK {
			t.Errorf("bundle --out %s succeeded", bad)
		}
		if n := issued(); n != before {
			t.Errorf("bundle --out %s failed (%s) but the audit log has %d bundle.issued entries, want %d", bad, strings.TrimSpace(errOut), n, before)
		}
	}
}

// AWS_ENDPOINT_URL and AWS_REGION reach S3 as they do for the AWS CLI: the
// request goes to that endpoint, signed for that region; the URL's own
// endpoint= and region= still win.
func TestS3EnvironmentEndpointRegion(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied</Message></Error>`))
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret-not-shown")
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	t.Setenv("AWS_REGION", "eu-west-3")
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, out, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	_, _, errOut := clearpack(t, "verify", "--archive", "s3://archive-bucket/prod", "--pub", filepath.Join(dir, "key.pub"))
	mu.Lock()
	got := append([]string(nil), auth...)
	mu.Unlock()
	if len(got) == 0 {
		t.Fatalf("no request reached AWS_ENDPOINT_URL %s; clearpack said:\n%s", srv.URL, errOut)
	}
	for _, a := range got {
		if !strings.Contains(a, "/eu-west-3/s3/aws4_request") {
			t.Errorf("request not signed for AWS_REGION eu-west-3: %q", a)
		}
	}
	if strings.Contains(errOut, "test-secret-not-shown") {
		t.Errorf("the secret key is printed:\n%s", errOut)
	}

	cfg, err := parseS3URL("s3://bkt/p?endpoint=minio.internal:9000&region=us-east-2", func(n string) (string, bool) {
		return map[string]string{"AWS_ENDPOINT_URL": "http://elsewhere:1", "AWS_REGION": "eu-west-3"}[n], true
	})
	if err != nil || cfg.Endpoint != "minio.internal:9000" || cfg.Region != "us-east-2" || cfg.Insecure {
		t.Errorf("the URL's endpoint and region must win over the environment: %+v %v", cfg, err)
	}
	if _, err := parseS3URL("s3://bkt/p", func(n string) (string, bool) {
		return map[string]string{"AWS_ENDPOINT_URL": "https://user:pw@host/path"}[n], true
	}); err == nil || strings.Contains(err.Error(), "pw") {
		t.Errorf("a bad AWS_ENDPOINT_URL: %v", err)
	}
}
