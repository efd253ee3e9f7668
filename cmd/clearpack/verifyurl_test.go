package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/internal/testenv"
)

// TestVerifyURLFlag: run --verify-url puts the verification URL in the QR
// code of the documents it archives (what a phone opens), from the flag or
// from the config file; a URL that is not http(s) is a usage error naming
// the flag, before anything is archived.
func TestVerifyURLFlag(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	// The EU sample: three shipments that pass.
	base := []string{"run", "--inventory", snipeDir + "inventory.csv", "--plan", snipeDir + "plan.yaml", "--key", key}

	arch := filepath.Join(dir, "bad")
	code, _, errOut := clearpack(t, append(base, "--archive", arch, "--verify-url", "ftp://verify.example.com/d")...)
	if code != ExitUsage || !strings.Contains(errOut, "--verify-url") {
		t.Errorf("--verify-url ftp://…: exit %d, want %d naming the flag:\n%s", code, ExitUsage, errOut)
	}
	if _, err := os.Stat(arch); err == nil {
		if ents, _ := os.ReadDir(filepath.Join(arch, "programs")); len(ents) > 0 {
			t.Errorf("a refused --verify-url archived %d programs", len(ents))
		}
	}

	cfg := filepath.Join(dir, "clearpack.yaml")
	if err := os.WriteFile(cfg, []byte("verify-url: HTTPS://VERIFY.EXAMPLE.COM/D\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	arch = filepath.Join(dir, "archive")
	code, out, errOut := clearpack(t, append(base, "--archive", arch, "--config", cfg)...)
	if code != ExitOK {
		t.Fatalf("run --config (verify-url): exit %d\n%s%s", code, out, errOut)
	}
	pdfs, _ := filepath.Glob(filepath.Join(arch, "programs", "*", "shipments", "*", "v*", "commercial-invoice.pdf"))
	if len(pdfs) == 0 {
		t.Fatalf("no commercial invoice archived:\n%s", out)
	}
	png := filepath.Join(dir, "page")
	if b, err := exec.Command(testenv.Tool(t, "pdftoppm"), "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdfs[0], png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	qr, err := exec.Command(testenv.Tool(t, "zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg: %v (no QR code found)", err)
	}
	if got := strings.TrimSpace(string(qr)); !strings.HasPrefix(got, "HTTPS://VERIFY.EXAMPLE.COM/D/") || !strings.Contains(got, "/V1/INV/") {
		t.Errorf("the invoice's QR code reads %q, expected HTTPS://VERIFY.EXAMPLE.COM/D/<SHIPMENT>/V1/INV/<SHA-256>", got)
	}
	if !strings.Contains(out, "3 archived") {
		t.Errorf("run --config (verify-url) did not archive the three shipments:\n%s", out)
	}
}
