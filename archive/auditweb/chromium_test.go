package auditweb_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
)

func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is needed and missing (Debian package chromium)")
	}
	t.Skip("chromium not installed (apt-get install chromium)")
	return ""
}

// An auditor with only a browser: paste the token, click through program,
// shipment and pack, download the invoice, check the pack's status. The
// downloaded file is the archived one and the download is in the audit log.
// Set CLEARPACK_SCREENSHOT=file.png to keep a picture of the pack view.
func TestBrowseAndDownloadInChromium(t *testing.T) {
	exe := findChromium(t)
	e := newEnv(t)
	downloads := t.TempDir()
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second) // a hung browser fails instead of hanging the suite
	defer cancel()

	before := len(e.logEntries(t))
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads,
			})
			return err
		}),
		chromedp.SendKeys(chromedp.CSS("#token"), "not-the-token"),
		chromedp.Click(chromedp.CSS("#signin")),
	)
	if err != nil {
		t.Fatalf("opening the page: %v", err)
	}
	// A wrong token shows the server's refusal.
	msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.getElementById("error").textContent.includes("valid token")) && document.getElementById("error").textContent`))
	if err != nil || !strings.Contains(msg, "a valid token is required") {
		t.Fatalf("wrong token: page shows %q (%v)", msg, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#token"), aliceTok),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.Click(chromedp.CSS(`a[data-program="`+program+`"]`)),
		chromedp.Click(chromedp.CSS(`a[data-shipment="`+shipment+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[data-download="commercial-invoice.pdf"]`)),
		chromedp.Click(chromedp.CSS(`button[data-verify="v0001"]`)),
	)
	if err != nil {
		t.Fatalf("browsing to the pack: %v", err)
	}
	status, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s.startsWith("Verified") || s.startsWith("FAILED") ? s : false)(document.getElementById("status-v0001").textContent)`))
	if err != nil || !strings.HasPrefix(status, "Verified: ") {
		t.Errorf("pack status shows %q (%v)", status, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[data-download="commercial-invoice.pdf"]`))); err != nil {
		t.Fatal(err)
	}
	want, err := archive.ReadAll(context.Background(), e.st, packDir+"/commercial-invoice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(downloads, shipment+"-v0001-commercial-invoice.pdf")
	var got []byte
	for i := 0; i < 300 && !bytes.Equal(got, want); i++ { // bounded wait for the browser to finish writing
		time.Sleep(100 * time.Millisecond)
		got, _ = os.ReadFile(saved)
	}
	if !bytes.Equal(got, want) {
		ls, _ := os.ReadDir(downloads)
		t.Fatalf("downloaded %s: %d bytes, want the archived %d (download dir: %v)", saved, len(got), len(want), ls)
	}
	if p := os.Getenv("CLEARPACK_SCREENSHOT"); p != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries := e.logEntries(t)
	if len(entries)-before != 1 {
		t.Fatalf("%d audit entries from the browser session, want 1 (the download)", len(entries)-before)
	}
	last := entries[len(entries)-1]
	if last.Event != auditlog.EventPackRetrieved || last.Actor != "alice" || last.Object != packDir+"/commercial-invoice.pdf" {
		t.Errorf("audit entry %+v", last)
	}
}
