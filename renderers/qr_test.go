package renderers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// scanQR renders page 1 of the PDF at dpi and decodes its QR codes with
// zbarimg, as a phone or a desk scanner would read the printed page.
func scanQR(t *testing.T, path string, dpi int) []string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-png", "-r", fmt.Sprint(dpi), "-f", "1", "-l", "1", "-singlefile", path, prefix)
	cmd := exec.Command(needTool(t, "zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png")
	out, err := cmd.Output() // stdout only: zbar logs to stderr
	if err != nil {
		t.Errorf("zbarimg at %d dpi: %v (no QR code found)", dpi, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestQRScans: the QR code of every document kind scans from a page
// rendered at 150 and at 70 dpi, and says the document's identity and the
// SHA-256 of the JSON attached to it: pdfdetach, sha256sum, compare.
func TestQRScans(t *testing.T) {
	plain := testRenderer(t)
	linked, err := New(WithVerifyURL("HTTPS://VERIFY.EXAMPLE.COM/D"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		r    *Renderer
		p    Pack
	}{
		{"fixture", plain, fixturePack()},
		{"stress", plain, stressPack("pt-BR")},
		{"url", linked, fixturePack()},
	} {
		for _, k := range Kinds() {
			if c.name != "fixture" && k != model.CommercialInvoice && k != model.SpecListDestination {
				continue
			}
			t.Run(c.name+"/"+string(k), func(t *testing.T) {
				d, err := c.r.Render(context.Background(), k, c.p)
				if err != nil {
					t.Fatal(err)
				}
				path := write(t, d)
				dir := t.TempDir()
				run(t, "pdfdetach", "-saveall", "-o", dir, path)
				src, err := os.ReadFile(filepath.Join(dir, string(k)+".json"))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(src)
				digest := hex.EncodeToString(sum[:])
				id := fmt.Sprintf("%s/v%d/%s", c.p.Shipment.ID, c.p.Version, kindAbbr(k))
				want := strings.ToUpper("CP:" + id + " " + digest)
				if c.r == linked {
					want = strings.ToUpper("HTTPS://VERIFY.EXAMPLE.COM/D/" + id + "/" + digest)
				}
				for _, dpi := range []int{150, 70} {
					got := scanQR(t, path, dpi)
					if len(got) != 1 || got[0] != want {
						t.Errorf("%d dpi: scanned %q, want %q", dpi, got, want)
					}
				}
			})
		}
	}
	if _, err := New(WithVerifyURL("javascript:alert(1)")); err == nil {
		t.Error("a verification URL that is not http(s) was accepted")
	}
}
