package gofpdf

import (
	"compress/zlib"
	"io"
	"sync"
)

// zlibWriters holds zlib writers at the level sliceCompress uses. A new
// writer allocates and clears its compressor state (about 1 MB at
// BestSpeed's hash tables and window), which cost more than compressing a
// small content stream; Reset reuses that state and writes exactly the
// bytes a new writer would.
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
