package renderers

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// qrPixelsPerModule is the resolution of the QR image embedded in the PDF.
// maroto embeds one pixel per module and leaves the scaling to the viewer;
// a rasteriser then draws modules of uneven width that scanners misread at
// low resolution. Eight pixels per module, with the four-module quiet zone
// drawn into the image, keeps every module square at any resolution.
const qrPixelsPerModule = 8

// qrModule is the printed size of one module in mm: the smallest that
// zbar read from every page of every kind rendered at 70 dpi (2.3 px).
const qrModule = 0.83

// qrPNG is content as a QR code (error correction level M, the mode that
// holds it in the fewest modules), with its quiet zone, as PNG bytes, and
// the width it is printed at in mm. The same content always gives the same
// bytes.
func qrPNG(content string) ([]byte, float64, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, 0, fmt.Errorf("encoding qr code: %w", err)
	}
	n := code.Bounds().Dx()
	const quiet = 4
	size := (n + 2*quiet) * qrPixelsPerModule
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if code.At(x, y) != color.Black {
				continue
			}
			for dy := 0; dy < qrPixelsPerModule; dy++ {
				row := ((y+quiet)*qrPixelsPerModule + dy) * img.Stride
				for dx := 0; dx < qrPixelsPerModule; dx++ {
					img.Pix[row+(x+quiet)*qrPixelsPerModule+dx] = 0
				}
			}
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		return nil, 0, fmt.Errorf("encoding qr image: %w", err)
	}
	return b.Bytes(), float64(n+2*quiet) * qrModule, nil
}
