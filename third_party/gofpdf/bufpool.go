package gofpdf

import (
	"bytes"
	"sync"
)

// clearpack: page content buffers and the document buffer are reused
// between documents. Each grew from empty by doubling, for every page and
// every document: on clearpack's 30-line invoice about 0.5 MB of garbage
// and the copying of every page's content several times. A page buffer is
// returned once putpages has compressed (or copied) its content into the
// document, the document buffer once Output has written it; nothing reads
// either afterwards (out writes to pages only while a page is open, state
// 2). The bytes written are the same: only where they are kept changes.
var docBuffers = sync.Pool{New: func() interface{} { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer {
	b := docBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuffer keeps b for reuse unless it grew past 16 MB (a large
// document's page or file need not stay allocated for the process).
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 16<<20 {
		return
	}
	docBuffers.Put(b)
}
