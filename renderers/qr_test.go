package renderers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"

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

// TestQRModulesPNG: the QR image decodes (image/png, the reference decoder)
// to the module matrix, eight pixels per module with a four-module white
// quiet zone, and is small.
func TestQRModulesPNG(t *testing.T) {
	for _, content := range []string{"CP:X/V1/INV 00", strings.Repeat("HTTPS://VERIFY.EXAMPLE.COM/D/APL26-BR-01/V1/INV/", 2) + strings.Repeat("3B5F", 16)} {
		code, err := qr.Encode(content, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		data, mm, err := qrPNG(content)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		n := code.Bounds().Dx()
		side := (n + 2*qrQuiet) * qrPixelsPerModule
		if b := img.Bounds(); b.Dx() != side || b.Dy() != side {
			t.Fatalf("%q: image is %v, want %dx%d", content, b, side, side)
		}
		if want := float64(n+2*qrQuiet) * qrModule; mm != want {
			t.Errorf("%q: printed %v mm wide, want %v", content, mm, want)
		}
		bad := 0
		for y := 0; y < side; y++ {
			for x := 0; x < side; x++ {
				mx, my := x/qrPixelsPerModule-qrQuiet, y/qrPixelsPerModule-qrQuiet
				want := false
				if mx >= 0 && mx < n && my >= 0 && my < n {
					want = code.At(mx, my) == color.Black
				}
				r, _, _, _ := img.At(x, y).RGBA()
				if got := r == 0; got != want {
					bad++
				}
			}
		}
		if bad > 0 {
			t.Errorf("%q: %d pixels differ from the QR modules", content, bad)
		}
		if len(data) > 2000 {
			t.Errorf("%q: QR image is %d bytes", content, len(data))
		}
	}
}
