package auditweb_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium for one test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := findChromium(t)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// screenshot saves the page to $CLEARPACK_SCREENSHOTS/name (when set) so a
// person can look at it.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CLEARPACK_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// An auditor types a serial, an invoice number and an entry number into the
// search box and each time sees the pack, the documents naming it and its
// verification result without a click; an unknown serial says nothing
// matches; a quote is refused with the reason; the unit's history and the
// capability chart render. Screenshots: CLEARPACK_SCREENSHOTS=DIR.
func TestSearchPageInChromium(t *testing.T) {
	e := newSearchEnv(t)
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.SendKeys(chromedp.CSS("#token"), aliceTok),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#q")),
	)
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}
	hitRow := `tr[data-hit="` + brPack + `"]`
	for i, q := range []string{"V6J4XSP", "MCI-INV-26-0103", "26BR0000452137-6"} {
		err := chromedp.Do(ctx,
			clearQ,
			chromedp.SendKeys(chromedp.CSS("#q"), q),
			chromedp.Click(chromedp.CSS("#go")),
		)
		if err != nil {
			t.Fatalf("searching %s: %v", q, err)
		}
		// The previous query's row stays on the page until this one's
		// results replace it: wait for the count that names this query.
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.getElementById("hit-count")?.textContent || "").includes(`+strconv.Quote(q)+`) && document.querySelector('`+hitRow+`') !== null`)); err != nil {
			t.Fatalf("searching %s: the results never named it: %v", q, err)
		}
		v, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s.startsWith("Verified") || s.startsWith("FAULT") ? s : false)(document.querySelector('`+hitRow+` td.status').textContent)`))
		if err != nil || !strings.HasPrefix(v, "Verified") {
			t.Errorf("%s: verification cell %q (%v)", q, v, err)
		}
		if n := text(t, ctx, "#hit-count"); !strings.HasPrefix(n, "1 pack(s) match") {
			t.Errorf("%s: page says %q", q, n)
		}
		row := text(t, ctx, hitRow)
		if !strings.Contains(row, "APL26-BR-01") || !strings.Contains(row, "US → BR") || !strings.Contains(row, "invoice MCI-INV-26-0103") {
			t.Errorf("%s: row reads %q", q, row)
		}
		if i == 0 {
			if !strings.Contains(row, "serial v6j4xsp in ") || !strings.Contains(row, "packing-list.pdf") {
				t.Errorf("row does not say where the serial is: %q", row)
			}
			screenshot(t, ctx, "search-serial.png")
		}
	}
	err = chromedp.Do(ctx,
		clearQ,
		chromedp.SendKeys(chromedp.CSS("#q"), "7XK4Q53"),
		chromedp.Click(chromedp.CSS("#go")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s.startsWith("Nothing") ? s : false)(document.getElementById("hit-count")?.textContent || "")`)); err != nil || !strings.Contains(msg, "7XK4Q53") {
		t.Errorf("unknown serial: %q (%v)", msg, err)
	}
	err = chromedp.Do(ctx,
		clearQ,
		chromedp.SendKeys(chromedp.CSS("#q"), `"MCI" OR 1=1`),
		chromedp.Click(chromedp.CSS("#go")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s.includes("not searchable") ? s : false)(document.getElementById("error").textContent)`)); err != nil {
		t.Errorf("a quote in the query: page shows %q (%v)", msg, err)
	}

	// The unit's history, from the serial link of a hit.
	err = chromedp.Do(ctx,
		clearQ,
		chromedp.SendKeys(chromedp.CSS("#q"), "V6J4XSP"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.Click(chromedp.CSS(`a[data-unit="v6j4xsp"]`)),
		chromedp.WaitVisible(chromedp.CSS("#history "+hitRow)),
	)
	if err != nil {
		t.Fatalf("unit history: %v", err)
	}
	if row := text(t, ctx, "#history "+hitRow); !strings.Contains(row, "Verified") || !strings.Contains(row, "2026-03-24") {
		t.Errorf("history row reads %q", row)
	}
	screenshot(t, ctx, "unit-history.png")

	// The capability chart: one bar chart per destination next to its counts.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#cap-link")), chromedp.WaitVisible(chromedp.CSS(`tr[data-country="BR"] svg`)))
	if err != nil {
		t.Fatalf("capability: %v", err)
	}
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('tr[data-country="BR"] svg rect')].filter(r => r.getBBox().height > 0).length`))
	if err != nil || bars < 2 {
		t.Errorf("BR chart has %d visible bars (%v)", bars, err)
	}
	if row := text(t, ctx, `tr[data-country="BR"]`); !strings.Contains(row, "2026-03") {
		t.Errorf("BR row reads %q", row)
	}
	screenshot(t, ctx, "capability.png")
}

// clearQ empties the search box.
var clearQ = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := chromedp.Evaluate[bool](`(document.getElementById("q").value = "", true)`)(ctx, t)
	return err
})

// A pack opened from a search result shows its verification result and its
// manifest's facts in words without a click, and previews a PDF's page as a
// picture in the page (recorded in the audit log as a retrieval).
func TestPackPageInChromium(t *testing.T) {
	e := newSearchEnv(t)
	ctx := newBrowser(t)
	before := len(e.logEntries(t))
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.SendKeys(chromedp.CSS("#token"), aliceTok),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "26BR0000452137-6"),
		chromedp.Click(chromedp.CSS("#go")),
		chromedp.Click(chromedp.CSS(`tr[data-hit="`+brPack+`"] a[data-shipment]`)),
		chromedp.WaitReady(chromedp.CSS(`#facts-v0001`)),
	)
	if err != nil {
		t.Fatalf("opening the pack from a search: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("facts-v0001").textContent.length > 0`)); err != nil {
		t.Fatalf("facts never shown: %v; page reads %q", err, text(t, ctx, "main"))
	}
	status, err := chromedp.Run(ctx, chromedp.Poll[string](`(s => s.startsWith("Verified") || s.startsWith("FAILED") ? s : false)(document.getElementById("status-v0001").textContent)`))
	if err != nil || !strings.HasPrefix(status, "Verified: ") {
		t.Errorf("pack status without a click: %q (%v)", status, err)
	}
	facts := text(t, ctx, "#facts-v0001")
	for _, want := range []string{"Version 1 of shipment APL26-BR-01", "from US to BR", "first version", "Customs entry 26BR0000452137-6", "released 2026-03-29", "compliance checks:", "Made from "} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q:\n%s", want, facts)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[data-preview="commercial-invoice.pdf"]`)),
		chromedp.WaitVisible(chromedp.CSS(`img[data-preview-of="commercial-invoice.pdf"]`)),
	)
	if err != nil {
		t.Fatalf("preview: %v; page reads %q", err, text(t, ctx, "main"))
	}
	// The page drawn on the server is a picture the browser decoded.
	width, err := chromedp.Run(ctx, chromedp.Poll[int](`(i => i.complete && i.naturalWidth > 0 ? i.naturalWidth : false)(document.querySelector('img[data-preview-of="commercial-invoice.pdf"]'))`))
	if err != nil || width <= 0 {
		t.Errorf("the preview image did not load: natural width %d (%v)", width, err)
	}
	screenshot(t, ctx, "pack.png")
	entries := e.logEntries(t)
	if len(entries) != before+1 || entries[len(entries)-1].Object != brPack+"/commercial-invoice.pdf" {
		t.Errorf("the preview was not recorded as one retrieval: %d new entries", len(entries)-before)
	}
}
