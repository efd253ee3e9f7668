package gofpdf

// Parsing a UTF-8 TrueType font once per process.
//
// AddUTF8FontFromBytes used to parse the whole font (and allocate and
// JSON-encode a 65,536-entry width table to derive the font's id) for every
// document, and GenerateCutFont parsed the font's tables again when the
// document was closed. A program that renders many documents with the same
// font paid both for each one. The parse depends only on the font's bytes,
// so it is done once per distinct font and shared: everything shared is
// read-only after parsing, and each document gets its own utf8FontFile
// (its own reader position, output tables and subset state).

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// parsedUTF8Font is what parsing one TrueType font gives, shared by every
// document that adds a font with the same bytes.
type parsedUTF8Font struct {
	data []byte       // a private copy of the font bytes
	file utf8FontFile // after parseFile; copied per document
	err  error

	mu  sync.Mutex
	ids map[string]string // font key -> generateFontID of its definition

	cutOnce sync.Once
	cut     *utf8CutTables
}

// utf8CutTables is the part of GenerateCutFont that does not depend on the
// runes a document uses: the table directory, the character to glyph map,
// the glyph offsets and the unscaled widths.
type utf8CutTables struct {
	ok                   bool // the font has a Unicode cmap
	tableDescriptions    map[string]*tableDescription
	charSymbolDictionary map[int]int
	symbolPosition       []int
	charWidths           []int
	defaultWidth         float64
	locaFormat           int
	metricsCount         int
	numSymbols           int
}

var (
	utf8FontSeed  = maphash.MakeSeed()
	utf8FontMu    sync.Mutex
	utf8FontCache = map[uint64][]*parsedUTF8Font{}
)

// parsedUTF8FontFor returns the shared parse of the font with these bytes,
// parsing it on first use. Fonts are told apart by their full bytes (the
// hash only picks the bucket), so two fonts never share a parse.
func parsedUTF8FontFor(utf8Bytes []byte) *parsedUTF8Font {
	h := maphash.Bytes(utf8FontSeed, utf8Bytes)
	utf8FontMu.Lock()
	defer utf8FontMu.Unlock()
	for _, p := range utf8FontCache[h] {
		if bytes.Equal(p.data, utf8Bytes) {
			return p
		}
	}
	p := &parsedUTF8Font{data: append([]byte(nil), utf8Bytes...), ids: map[string]string{}}
	reader := fileReader{readerPosition: 0, array: p.data}
	file := newUTF8Font(&reader)
	p.err = file.parseFile()
	file.fileReader = nil
	p.file = *file
	utf8FontCache[h] = append(utf8FontCache[h], p)
	return p
}

// newFile returns a utf8FontFile for one document: the shared parse with
// its own reader over the shared bytes.
func (p *parsedUTF8Font) newFile() *utf8FontFile {
	file := p.file
	file.fileReader = &fileReader{readerPosition: 0, array: p.data}
	file.parsed = p
	return &file
}

// fontID is generateFontID(def), computed once per font key: def is made
// from the parse alone, so its id is the same for every document.
func (p *parsedUTF8Font) fontID(def fontDefType) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok := p.ids[def.Name]; ok {
		return id, nil
	}
	id, err := generateFontID(def)
	if err == nil {
		p.ids[def.Name] = id
	}
	return id, err
}

// cutTables returns the rune-independent tables GenerateCutFont needs,
// reading them from the font on first use.
func (p *parsedUTF8Font) cutTables() *utf8CutTables {
	p.cutOnce.Do(func() {
		utf := &utf8FontFile{fileReader: &fileReader{array: p.data}}
		c := &utf8CutTables{}
		c.locaFormat, c.metricsCount, c.numSymbols, c.ok = utf.readCutTables()
		c.tableDescriptions = utf.tableDescriptions
		c.charSymbolDictionary = utf.charSymbolDictionary
		c.symbolPosition = utf.symbolPosition
		c.charWidths = utf.CharWidths
		c.defaultWidth = utf.DefaultWidth
		p.cut = c
	})
	return p.cut
}

// readCutTables is the rune-independent start of GenerateCutFont, as
// upstream wrote it inline: it reads the table directory, the cmap, the
// widths and the glyph offsets. ok is false when the font has no Unicode
// cmap.
func (utf *utf8FontFile) readCutTables() (locaFormat, metricsCount, numSymbols int, ok bool) {
	utf.fileReader.readerPosition = 0
	utf.symbolPosition = make([]int, 0)
	utf.charSymbolDictionary = make(map[int]int)
	utf.tableDescriptions = make(map[string]*tableDescription)
	utf.skip(4)
	utf.generateTableDescriptions()

	utf.SeekTable("head")
	utf.skip(50)
	locaFormat = utf.readUint16()

	utf.SeekTable("hhea")
	utf.skip(34)
	metricsCount = utf.readUint16()

	utf.SeekTable("maxp")
	utf.skip(4)
	numSymbols = utf.readUint16()

	symbolCharDictionary := utf.generateCMAP()
	if symbolCharDictionary == nil {
		return locaFormat, metricsCount, numSymbols, false
	}

	utf.parseHMTXTable(metricsCount, numSymbols, symbolCharDictionary, 1.0)

	utf.parseLOCATable(locaFormat, numSymbols)
	return locaFormat, metricsCount, numSymbols, true
}

// cidToGIDMaps holds the zeroed 128 KiB buffers putfonts fills with a UTF-8
// font's CIDToGIDMap before compressing it, one per font per document
// otherwise.
var cidToGIDMaps = sync.Pool{New: func() interface{} {
	b := make([]byte, 256*256*2)
	return &b
}}

// getCIDToGIDMap returns a zeroed CIDToGIDMap for the CIDs 0 to lastCID:
// two bytes per CID.
func getCIDToGIDMap(lastCID int) []byte {
	return (*cidToGIDMaps.Get().(*[]byte))[:2*(lastCID+1)]
}

// putCIDToGIDMap zeroes b (a buffer from getCIDToGIDMap) and keeps it.
func putCIDToGIDMap(b []byte) {
	for i := range b {
		b[i] = 0
	}
	b = b[:cap(b)]
	cidToGIDMaps.Put(&b)
}
