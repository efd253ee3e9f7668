package gofpdf

import (
	"bytes"
	stdzlib "compress/zlib"
	"io"
	"math/rand"
	"sync"
	"testing"

	"github.com/klauspost/compress/zlib"
)

// TestSliceCompressReuse: a reused zlib writer gives exactly the bytes a new
// writer at the same level gives, for inputs of every size, one after the
// other and from several goroutines, and the standard library's zlib
// reader decompresses them to the input.
func TestSliceCompressReuse(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var inputs [][]byte
	for _, n := range []int{0, 1, 100, 4096, 65536, 256 * 256 * 2, 300000} {
		b := make([]byte, n)
		for i := range b {
			if rng.Intn(4) == 0 { // compressible, like a content stream
				b[i] = byte(rng.Intn(256))
			} else if i > 0 {
				b[i] = b[i-1]
			}
		}
		inputs = append(inputs, b)
	}
	fresh := func(b []byte) []byte {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	check := func(b []byte) string {
		got := sliceCompress(b)
		if !bytes.Equal(got, fresh(b)) {
			return "differs from a new writer's output"
		}
		r, err := stdzlib.NewReader(bytes.NewReader(got))
		if err != nil {
			return err.Error()
		}
		out, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(out, b) {
			return "does not decompress to its input"
		}
		return ""
	}
	for round := 0; round < 3; round++ {
		for _, b := range inputs {
			if msg := check(b); msg != "" {
				t.Fatalf("round %d, %d bytes: %s", round, len(b), msg)
			}
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(inputs))
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range inputs {
				b := inputs[(i+g)%len(inputs)]
				if msg := check(b); msg != "" {
					errs <- msg
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error("concurrent:", msg)
	}
}
