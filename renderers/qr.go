package renderers

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/color"

	"github.com/boombuler/barcode/qr"
	"github.com/klauspost/compress/zlib"
)

// qrPixelsPerModule is the resolution of the QR image embedded in the PDF.
// maroto embeds one pixel per module and leaves the scaling to the viewer;
// a rasteriser then draws modules of uneven width that scanners misread at
// low resolution. Eight pixels per module, with the four-module quiet zone
// drawn into the image, keeps every module square at any resolution.
// At one bit per pixel, eight pixels are one byte: a module is 0x00 or 0xff.
const qrPixelsPerModule = 8

// qrModule is the printed size of one module in mm: the smallest that
// zbar read from every page of every kind rendered at 70 dpi (2.3 px).
const qrModule = 0.83

const qrQuiet = 4

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
	dark := make([]bool, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dark[y*n+x] = code.At(x, y) == color.Black
		}
	}
	png, err := qrModulesPNG(dark, n)
	if err != nil {
		return nil, 0, err
	}
	return png, float64(n+2*qrQuiet) * qrModule, nil
}

// qrModulesPNG draws an n×n module matrix (dark[y*n+x]) with its quiet zone
// as a two-colour (1 bit per pixel, palette white, black) PNG, eight pixels
// per module.
//
// image/png writes the same pixels at about four times the CPU: it packs
// 1-bit pixels one ColorIndexAt call at a time, and its compressor searches
// long match chains through eight identical rows per module. Here a module
// is one byte, and each module's eight pixel rows are written as the row
// then seven rows with the PNG "Up" filter (all zero: same as the row
// above), which deflates to almost nothing at the fastest level. The PDF
// keeps this stream as it is (FlateDecode with the PNG predictors).
func qrModulesPNG(dark []bool, n int) ([]byte, error) {
	side := n + 2*qrQuiet // modules, and bytes per pixel row
	size := side * qrPixelsPerModule
	raw := make([]byte, 0, (side+1)*size)
	row := make([]byte, side)
	for my := 0; my < side; my++ {
		for mx := range row {
			x, y := mx-qrQuiet, my-qrQuiet
			row[mx] = 0
			if x >= 0 && x < n && y >= 0 && y < n && dark[y*n+x] {
				row[mx] = 0xff
			}
		}
		raw = append(raw, 0) // filter None
		raw = append(raw, row...)
		for i := 1; i < qrPixelsPerModule; i++ {
			raw = append(raw, 2) // filter Up
			raw = append(raw, make([]byte, side)...)
		}
	}

	idat, err := zlibCompress(zlib.BestSpeed, raw)
	if err != nil {
		return nil, fmt.Errorf("encoding qr image: %w", err)
	}

	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(size))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(size))
	ihdr[8] = 1 // bit depth
	ihdr[9] = 3 // colour type: palette
	// compression, filter method, interlace: 0
	pngChunk(&b, "IHDR", ihdr)
	pngChunk(&b, "PLTE", []byte{0xff, 0xff, 0xff, 0, 0, 0})
	pngChunk(&b, "IDAT", idat)
	pngChunk(&b, "IEND", nil)
	return b.Bytes(), nil
}

func pngChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}
