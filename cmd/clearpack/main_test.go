package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	sampleInv   = "../../testdata/sample/inventory.csv"
	samplePlan  = "../../testdata/sample/plan.yaml"
	sampleClear = "../../testdata/sample/clearances.yaml"
)

func clearpack(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndUsage(t *testing.T) {
	code, out, _ := clearpack(t, "--help")
	if code != ExitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, want := range []string{"run", "validate", "verify", "keygen", "Exit codes:", "3    some shipments were not archived"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %q:\n%s", want, out)
		}
	}
	if code, _, _ := clearpack(t); code != ExitUsage {
		t.Errorf("no command: exit %d, want %d", code, ExitUsage)
	}
	if code, _, errOut := clearpack(t, "frobnicate"); code != ExitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	for _, c := range []string{"run", "validate", "verify", "keygen", "version"} {
		// Help is asked for, so it goes to stdout.
		code, out, _ := clearpack(t, c, "--help")
		if code != ExitOK || !strings.Contains(out, "clearpack "+c) || !strings.Contains(out, "Exit codes:") {
			t.Errorf("%s --help: exit %d\n%s", c, code, out)
		}
	}
	if code, _, _ := clearpack(t, "run", "--no-such-flag"); code != ExitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
	if code, _, errOut := clearpack(t, "run", "--inventory", sampleInv); code != ExitUsage || !strings.Contains(errOut, "--plan") {
		t.Errorf("missing --plan: exit %d %q", code, errOut)
	}
	// There is no flag that takes a password.
	if code, _, _ := clearpack(t, "run", "--key-password", "hunter2"); code != ExitUsage {
		t.Errorf("--key-password accepted: exit %d", code)
	}
}

// The whole user journey: keygen, run, re-run, verify, tamper, verify again.
func TestRunVerifyTamper(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	arch := filepath.Join(dir, "archive")
	if code, out, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK || !strings.Contains(out, "key.pub") {
		t.Fatalf("keygen: %d %s %s", code, out, errOut)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	if code, _, _ := clearpack(t, "keygen", "--out", key); code != ExitUsage {
		t.Errorf("keygen over an existing key: exit %d", code)
	}
	if code, _, _ := clearpack(t, "keygen", "--out", key, "--if-missing"); code != ExitOK {
		t.Errorf("keygen --if-missing on an existing key: exit %d", code)
	}
	args := []string{"run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", arch}
	code, out, _ := clearpack(t, args...)
	if code != ExitPartial {
		t.Fatalf("run: exit %d, want %d (one shipment stopped)\n%s", code, ExitPartial, out)
	}
	for _, want := range []string{"APL26-BR-03", "rejected", "19 archived", "plan.yaml:"} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = clearpack(t, append(args, "--json")...)
	var sum struct {
		Shipments []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || len(sum.Shipments) != 20 {
		t.Fatalf("run --json: %v\n%s", err, out)
	}
	if code != ExitPartial || sum.Shipments[0].Status != "unchanged" {
		t.Errorf("re-run --json: exit %d, first shipment %+v", code, sum.Shipments[0])
	}

	// What a Brazilian broker reads on the archived invoice: the countries
	// of acquisition and provenance Art. 557 asks for, in Portuguese too.
	if _, err := exec.LookPath("pdftotext"); err == nil || os.Getenv("CI") != "" {
		inv := filepath.Join(arch, "programs/apac-latam-server-refresh-2026/shipments/APL26-BR-01/v0001/commercial-invoice.pdf")
		// Reading order, lines joined: a label may wrap inside its cell.
		text, err := exec.Command("pdftotext", inv, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		joined := strings.Join(strings.Fields(string(text)), " ")
		for _, want := range []string{"País de aquisição", "País de procedência", "Marcas"} {
			if !strings.Contains(joined, want) {
				t.Errorf("the BR invoice does not read %q", want)
			}
		}
	}

	pub := filepath.Join(dir, "key.pub")
	cp := filepath.Join(dir, "kept.checkpoint")
	code, out, errOut := clearpack(t, "verify", "--archive", arch, "--pub", pub, "--save-checkpoint", cp)
	if code != ExitOK || !strings.Contains(out, "19 packs") {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, _ := clearpack(t, "verify", "--archive", arch, "--pub", pub, "--checkpoint", cp,
		"--program", "apac-latam-server-refresh-2026", "--shipment", "APL26-VN-01"); code != ExitOK {
		t.Errorf("verify one shipment against the kept checkpoint: exit %d", code)
	}

	// An auditor's tool must notice one flipped byte, and name the file.
	pdf := filepath.Join(arch, "programs/apac-latam-server-refresh-2026/shipments/APL26-VN-01/v0001/commercial-invoice.pdf")
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	os.Chmod(pdf, 0o644)
	if err := os.WriteFile(pdf, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = clearpack(t, "verify", "--archive", arch, "--pub", pub, "--quiet")
	if code != ExitVerify || !strings.Contains(out+errOut, "APL26-VN-01/v0001/commercial-invoice.pdf") {
		t.Fatalf("verify after tampering: exit %d, want %d naming the PDF\n%s\n%s", code, ExitVerify, out, errOut)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, _ := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal("keygen")
	}
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	code, _, errOut := clearpack(t, "run", "--inventory", empty, "--plan", samplePlan, "--key", key, "--archive", filepath.Join(dir, "a"))
	if code != ExitInput || !strings.Contains(errOut, "empty.csv") {
		t.Errorf("empty inventory: exit %d, want %d naming the file: %s", code, ExitInput, errOut)
	}
	code, _, errOut = clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", filepath.Join(dir, "missing.pem"), "--archive", filepath.Join(dir, "a"))
	if code != ExitArchive || !strings.Contains(errOut, "missing.pem") {
		t.Errorf("missing key: exit %d, want %d: %s", code, ExitArchive, errOut)
	}
	code, out, _ := clearpack(t, "validate", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear)
	if code != ExitPartial || !strings.Contains(out, "APL26-BR-03") || !strings.Contains(out, "used-import") {
		t.Errorf("validate: exit %d, want %d with the failing rule:\n%s", code, ExitPartial, out)
	}
}

// An encrypted key's password comes from the environment or a file; a wrong
// one is a clear error that does not repeat it.
func TestKeyPasswordNeverShown(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	t.Setenv("MY_KEY_PW", "correct horse battery staple")
	if code, _, errOut := clearpack(t, "keygen", "--out", key, "--password-env", "MY_KEY_PW"); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	t.Setenv("CLEARPACK_KEY_PASSWORD", "wrong password 12345")
	code, out, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", filepath.Join(dir, "a"))
	if code != ExitArchive {
		t.Errorf("wrong password: exit %d, want %d", code, ExitArchive)
	}
	for _, secret := range []string{"wrong password 12345", "correct horse"} {
		if strings.Contains(out+errOut, secret) {
			t.Errorf("output shows the password %q:\n%s%s", secret, out, errOut)
		}
	}
	pwFile := filepath.Join(dir, "pw")
	os.WriteFile(pwFile, []byte("correct horse battery staple\n"), 0o600)
	code, _, errOut = clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key,
		"--key-password-env", "", "--key-password-file", pwFile, "--archive", filepath.Join(dir, "a"))
	if code != ExitPartial {
		t.Errorf("password from a file: exit %d, want %d: %s", code, ExitPartial, errOut)
	}
}

// Flags beat the environment, which beats the config file.
func TestConfigEnvFlagPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "clearpack.yaml")
	os.WriteFile(cfg, []byte("inventory: "+sampleInv+"\nplan: "+samplePlan+"\njson: true\n"), 0o644)
	code, out, errOut := clearpack(t, "validate", "--config", cfg)
	if code != ExitPartial || !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Fatalf("validate from config: exit %d, want JSON\n%s%s", code, out, errOut)
	}
	t.Setenv("CLEARPACK_JSON", "false")
	if _, out, _ := clearpack(t, "validate", "--config", cfg); strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("CLEARPACK_JSON=false did not beat the config file")
	}
	if _, out, _ := clearpack(t, "validate", "--config", cfg, "--json"); !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("--json did not beat CLEARPACK_JSON=false")
	}
	os.WriteFile(cfg, []byte("inventroy: x\n"), 0o644)
	if code, _, errOut := clearpack(t, "validate", "--config", cfg); code != ExitUsage || !strings.Contains(errOut, "inventroy") {
		t.Errorf("misspelt config key: exit %d %q", code, errOut)
	}
}
