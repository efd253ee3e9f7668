package renderers

import (
	"bytes"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// zlibPools hold zlib writers per level: a new writer allocates and clears
// about 1 MB of compressor state, which cost more than compressing a
// document's JSON source or its QR image. A writer after Reset writes
// exactly the bytes a new one would.
var zlibPools = map[int]*sync.Pool{
	zlib.BestSpeed:          {New: func() any { w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed); return w }},
	zlib.DefaultCompression: {New: func() any { w, _ := zlib.NewWriterLevel(nil, zlib.DefaultCompression); return w }},
}

// zlibCompress is data as a zlib stream at level (zlib.BestSpeed or
// zlib.DefaultCompression).
func zlibCompress(level int, data []byte) ([]byte, error) {
	pool := zlibPools[level]
	var b bytes.Buffer
	zw := pool.Get().(*zlib.Writer)
	zw.Reset(&b)
	_, err := zw.Write(data)
	if err == nil {
		err = zw.Close()
	}
	pool.Put(zw)
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
