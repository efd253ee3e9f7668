package pades

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// reader finds objects in a PDF with classic cross-reference tables (what
// clearpack's renderer writes: gofpdf's body plus incremental updates). It
// reads what signing needs and nothing more: the trailer's /Size, /Root and
// /Info, the catalog, and the page objects.
type reader struct {
	b       []byte
	offsets map[int]int // object number → offset of "N 0 obj", latest revision wins
	size    int
	root    int
	info    int
	id      []byte // the first element of the last trailer's /ID ("<…>"), nil without one
	xref    int    // offset of the last cross-reference section
}

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	sizeRE      = regexp.MustCompile(`/Size\s+(\d+)`)
	rootRE      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	infoRE      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
	prevRE      = regexp.MustCompile(`/Prev\s+(\d+)`)
	idRE        = regexp.MustCompile(`/ID\s*\[\s*(<[0-9A-Fa-f]*>)\s*<[0-9A-Fa-f]*>\s*\]`)
	pagesRE     = regexp.MustCompile(`/Pages\s+(\d+)\s+0\s+R`)
	kidsRE      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	refRE       = regexp.MustCompile(`(\d+)\s+0\s+R`)
)

func newReader(b []byte) (*reader, error) {
	m := startxrefRE.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no startxref at the end of the file")
	}
	x, _ := strconv.Atoi(string(m[1]))
	r := &reader{b: b, offsets: map[int]int{}, xref: x}
	seen := map[int]bool{}
	for first := true; ; first = false {
		if x <= 0 || x >= len(b) || seen[x] {
			return nil, fmt.Errorf("cross-reference offset %d is outside the file or loops", x)
		}
		seen[x] = true
		trailer, err := r.section(x)
		if err != nil {
			return nil, err
		}
		if first {
			if m := sizeRE.FindSubmatch(trailer); m != nil {
				r.size, _ = strconv.Atoi(string(m[1]))
			}
			if m := rootRE.FindSubmatch(trailer); m != nil {
				r.root, _ = strconv.Atoi(string(m[1]))
			}
			if m := infoRE.FindSubmatch(trailer); m != nil {
				r.info, _ = strconv.Atoi(string(m[1]))
			}
			if m := idRE.FindSubmatch(trailer); m != nil {
				r.id = m[1]
			}
		}
		p := prevRE.FindSubmatch(trailer)
		if p == nil {
			break
		}
		x, _ = strconv.Atoi(string(p[1]))
	}
	if r.size == 0 || r.root == 0 {
		return nil, fmt.Errorf("trailer has no /Size or /Root")
	}
	return r, nil
}

// section reads the cross-reference section at off (keeping offsets of
// objects not yet seen: later revisions are read first) and returns its
// trailer dictionary.
func (r *reader) section(off int) ([]byte, error) {
	b := r.b[off:]
	if !bytes.HasPrefix(b, []byte("xref")) {
		return nil, fmt.Errorf("no classic cross-reference table at offset %d (cross-reference streams are not supported)", off)
	}
	ti := bytes.Index(b, []byte("trailer"))
	if ti < 0 {
		return nil, fmt.Errorf("cross-reference table at %d has no trailer", off)
	}
	lines := bytes.Split(b[:ti], []byte("\n"))
	i := 1
	for i < len(lines) {
		f := bytes.Fields(lines[i])
		if len(f) != 2 {
			break
		}
		start, err1 := strconv.Atoi(string(f[0]))
		n, err2 := strconv.Atoi(string(f[1]))
		if err1 != nil || err2 != nil {
			break
		}
		i++
		for j := 0; j < n && i < len(lines); j, i = j+1, i+1 {
			e := bytes.Fields(lines[i])
			if len(e) != 3 {
				return nil, fmt.Errorf("bad cross-reference entry %q", lines[i])
			}
			if string(e[2]) != "n" {
				continue
			}
			o, _ := strconv.Atoi(string(e[0]))
			if _, ok := r.offsets[start+j]; !ok {
				r.offsets[start+j] = o
			}
		}
	}
	t := b[ti:]
	end := bytes.Index(t, []byte("startxref"))
	if end < 0 {
		return nil, fmt.Errorf("trailer at %d has no startxref", off)
	}
	return t[:end], nil
}

// dict returns the dictionary of object n ("<< ... >>", delimiters included).
func (r *reader) dict(n int) ([]byte, error) {
	off, ok := r.offsets[n]
	if !ok || off >= len(r.b) {
		return nil, fmt.Errorf("object %d is not in the cross-reference table", n)
	}
	b := r.b[off:]
	head := []byte(strconv.Itoa(n) + " 0 obj")
	if !bytes.HasPrefix(b, head) {
		return nil, fmt.Errorf("object %d is not at its cross-reference offset %d", n, off)
	}
	b = b[len(head):]
	s := bytes.Index(b, []byte("<<"))
	if s < 0 {
		return nil, fmt.Errorf("object %d is not a dictionary", n)
	}
	end, err := dictEnd(b[s:])
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", n, err)
	}
	return b[s : s+end], nil
}

// dictEnd returns the length of the dictionary at the start of b, skipping
// strings, hex strings and nested dictionaries.
func dictEnd(b []byte) (int, error) {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '(':
			lvl := 0
			for ; i < len(b); i++ {
				if b[i] == '\\' {
					i++
					continue
				}
				if b[i] == '(' {
					lvl++
				} else if b[i] == ')' {
					lvl--
					if lvl == 0 {
						break
					}
				}
			}
		case c == '<' && i+1 < len(b) && b[i+1] == '<':
			depth++
			i++
		case c == '>' && i+1 < len(b) && b[i+1] == '>':
			depth--
			i++
			if depth == 0 {
				return i + 1, nil
			}
		case c == '<':
			for i < len(b) && b[i] != '>' {
				i++
			}
		}
	}
	return 0, fmt.Errorf("unterminated dictionary")
}

// page returns the object number of page p (1-based), reading a flat or
// nested page tree.
func (r *reader) page(p int) (int, error) {
	cat, err := r.dict(r.root)
	if err != nil {
		return 0, err
	}
	m := pagesRE.FindSubmatch(cat)
	if m == nil {
		return 0, fmt.Errorf("catalog has no /Pages")
	}
	root, _ := strconv.Atoi(string(m[1]))
	var pages []int
	var walk func(n, depth int) error
	walk = func(n, depth int) error {
		if depth > 32 {
			return fmt.Errorf("page tree too deep")
		}
		d, err := r.dict(n)
		if err != nil {
			return err
		}
		k := kidsRE.FindSubmatch(d)
		if k == nil {
			pages = append(pages, n)
			return nil
		}
		for _, ref := range refRE.FindAllSubmatch(k[1], -1) {
			kid, _ := strconv.Atoi(string(ref[1]))
			if err := walk(kid, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return 0, err
	}
	if p < 1 || p > len(pages) {
		return 0, fmt.Errorf("page %d of %d", p, len(pages))
	}
	return pages[p-1], nil
}
