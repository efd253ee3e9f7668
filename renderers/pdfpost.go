package renderers

import (
	"bytes"
	"compress/zlib"
	"crypto/md5" //nolint:gosec // the PDF /CheckSum of an embedded file is MD5 by definition (ISO 32000-1, 7.11.4)
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// finishPDF makes gofpdf's output reproducible and attaches the document's
// JSON source. maroto keeps its gofpdf instance private, so this works on the
// bytes: it overwrites /ModDate (gofpdf takes it from the clock) with the
// document date, in place and at the same length, raises the header to
// PDF 1.7, and appends an incremental update (ISO 32000-1, 7.5.6) with the
// embedded file, its file specification and a new catalog naming it.
func finishPDF(pdf []byte, date time.Time, name string, attachment []byte) ([]byte, error) {
	out := bytes.Clone(pdf)
	if !bytes.HasPrefix(out, []byte("%PDF-1.")) {
		return nil, fmt.Errorf("finishing pdf: not a PDF header")
	}
	out[7] = '7'

	stamp := []byte("(D:" + date.UTC().Format("20060102150405") + ")")
	for _, key := range []string{"/CreationDate ", "/ModDate "} {
		i := bytes.LastIndex(out, []byte(key))
		if i < 0 || i+len(key)+len(stamp) > len(out) || out[i+len(key)] != '(' {
			return nil, fmt.Errorf("finishing pdf: %s not found", key)
		}
		copy(out[i+len(key):], stamp)
	}

	dedupeXObjects(out)

	tr := trailerRE.FindSubmatch(out)
	if tr == nil {
		return nil, fmt.Errorf("finishing pdf: trailer not found")
	}
	size, _ := strconv.Atoi(string(tr[1]))
	root, _ := strconv.Atoi(string(tr[2]))
	info, _ := strconv.Atoi(string(tr[3]))
	prev, _ := strconv.Atoi(string(tr[4]))

	start := bytes.Index(out, []byte(fmt.Sprintf("\n%d 0 obj\n<<\n", root)))
	if start < 0 {
		return nil, fmt.Errorf("finishing pdf: catalog object %d not found", root)
	}
	bodyStart := start + len(fmt.Sprintf("\n%d 0 obj\n<<\n", root))
	end := bytes.Index(out[bodyStart:], []byte(">>\nendobj"))
	if end < 0 {
		return nil, fmt.Errorf("finishing pdf: catalog object %d has no end", root)
	}
	catalog := bytes.TrimSpace(out[bodyStart : bodyStart+end])
	// gofpdf ends its catalog with an empty name dictionary (no JavaScript,
	// no attachments here); it is replaced by one naming the attachment.
	if i := bytes.Index(catalog, []byte("/Names <<")); i >= 0 {
		if bytes.Contains(catalog[i:], []byte("/JavaScript")) {
			return nil, fmt.Errorf("finishing pdf: catalog has JavaScript")
		}
		catalog = bytes.TrimSpace(catalog[:i])
	}

	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("compressing attachment: %w", err)
	}
	if _, err := zw.Write(attachment); err != nil {
		return nil, fmt.Errorf("compressing attachment: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compressing attachment: %w", err)
	}
	sum := md5.Sum(attachment) //nolint:gosec // see import

	fileObj, specObj := size, size+1
	var b bytes.Buffer
	b.Write(out)
	if out[len(out)-1] != '\n' {
		b.WriteByte('\n')
	}
	offsets := map[int]int{}
	offsets[fileObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Filter /FlateDecode /Length %d /Params << /Size %d /CheckSum <%x> >> >>\nstream\n",
		fileObj, z.Len(), len(attachment), sum)
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	offsets[specObj] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Filespec /F %s /UF %s /EF << /F %d 0 R /UF %d 0 R >> /Desc (Machine-readable source of this document) /AFRelationship /Source >>\nendobj\n",
		specObj, pdfString(name), pdfString(name), fileObj, fileObj)
	offsets[root] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<<\n%s\n/Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >>\n/AF [%d 0 R]\n>>\nendobj\n",
		root, catalog, pdfString(name), specObj, specObj)

	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", root, offsets[root])
	fmt.Fprintf(&b, "%d 2\n%010d 00000 n \n%010d 00000 n \n", fileObj, offsets[fileObj], offsets[specObj])
	fmt.Fprintf(&b, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n",
		size+2, root, info, prev, xref)
	return b.Bytes(), nil
}

var trailerRE = regexp.MustCompile(`trailer\n<<\n/Size (\d+)\n/Root (\d+) 0 R\n/Info (\d+) 0 R\n>>\nstartxref\n(\d+)\n%%EOF\s*$`)

// pdfString is a PDF literal string for an ASCII name.
func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteByte('(')
	for _, c := range []byte(s) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// dedupeXObjects blanks repeated entries of the resource dictionary's
// /XObject list. maroto registers the QR image once per page under a random
// name; gofpdf stores the identical image once but lists it once per
// registration, which is a duplicated key. Overwriting the repeats with
// spaces keeps every byte offset, so the cross-reference table stays valid.
func dedupeXObjects(pdf []byte) {
	start := bytes.Index(pdf, []byte("/XObject <<\n"))
	if start < 0 {
		return
	}
	start += len("/XObject <<\n")
	end := bytes.Index(pdf[start:], []byte(">>"))
	if end < 0 {
		return
	}
	seen := map[string]bool{}
	pos := start
	for _, ln := range bytes.SplitAfter(pdf[start:start+end], []byte("\n")) {
		key := string(bytes.TrimSpace(ln))
		if key != "" && seen[key] {
			for i := pos; i < pos+len(bytes.TrimRight(ln, "\n")); i++ {
				pdf[i] = ' '
			}
		}
		seen[key] = true
		pos += len(ln)
	}
}
