package gofpdf

import (
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// Streams are compressed with github.com/klauspost/compress/zlib (clearpack):
// at BestSpeed it took about a quarter of the CPU of compress/zlib on
// clearpack's content streams and fonts, and its output is a little
// smaller. Any zlib reader reads it (it is standard zlib/deflate); the
// bytes differ from compress/zlib's and can change with the library's
// version, so a document's bytes depend on the version go.mod selects.
//
// zlibWriters holds zlib writers at the level sliceCompress uses. A new
// writer allocates and clears its compressor state, which cost more than
// compressing a small content stream; Reset reuses that state and writes
// exactly the bytes a new writer would.
var zlibWriters = sync.Pool{New: func() interface{} {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

func getZlibWriter(dst io.Writer) *zlib.Writer {
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(dst)
	return w
}

func putZlibWriter(w *zlib.Writer) {
	zlibWriters.Put(w)
}
