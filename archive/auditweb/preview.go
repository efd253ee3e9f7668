package auditweb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// A PDF of a verified pack is previewed as a picture of one page, drawn on
// the server by poppler's pdftoppm: every browser shows a PNG, headless
// ones included, which never paint a PDF in a frame.
//
//	GET /api/programs/{program}/shipments/{shipment}/packs/{vNNNN}/preview/{name}?page=N
//
// It serves the same files as /files/ (a PDF that the pack's verified
// manifest names, with the digest it gives), counts against the same
// download rate, and is recorded in the audit log as a pack.retrieved
// entry for the PDF (its digest) before a byte is sent. A page the PDF does
// not have is 404. When pdftoppm is not installed it answers 501, and the
// page falls back to showing the PDF itself in a frame.

const (
	// previewPixels is the longer side of a preview picture.
	previewPixels = 1400
	// previewTimeout bounds one rendering.
	previewTimeout = 30 * time.Second
	// maxPreviewPage bounds the page parameter.
	maxPreviewPage = 9999
)

// errNoSuchPage: the PDF has fewer pages than asked for.
var errNoSuchPage = errors.New("no such page")

// findPDFToPPM returns the pdftoppm to run: the configured path or the one
// on PATH; "" when there is none.
func findPDFToPPM(configured string) string {
	if configured == "" {
		configured = "pdftoppm"
	}
	p, err := exec.LookPath(configured)
	if err != nil {
		return ""
	}
	return p
}

func (s *server) preview(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.PathValue("name"), ".pdf") {
		writeError(w, http.StatusBadRequest, "only a PDF has a preview")
		return
	}
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPreviewPage {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("page %q: want a number from 1 to %d", v, maxPreviewPage))
			return
		}
		page = n
	}
	if s.pdftoppm == "" {
		writeError(w, http.StatusNotImplemented, "previews need pdftoppm (poppler-utils), which is not installed on the server; download the PDF instead")
		return
	}
	f, ok := s.readPackFile(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if r.Method == http.MethodHead {
		return
	}
	if !s.allowRetrieval(w, r) {
		return
	}
	png, err := renderPage(r.Context(), s.pdftoppm, f.bytes, page)
	if errors.Is(err, errNoSuchPage) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("%s has no page %d", f.name, page))
		return
	}
	if err != nil {
		s.cfg.Logger.Error("rendering a preview", "key", f.key, "page", page, "err", err)
		writeError(w, http.StatusInternalServerError, "the preview could not be drawn; download the PDF instead")
		return
	}
	if !s.recordRetrieval(w, r, f, fmt.Sprintf("previewed (page %d as a picture) through the auditor web interface", page)) {
		return
	}
	h := w.Header()
	h.Set("X-Content-SHA256", f.digest) // of the PDF the picture shows
	h.Set("Content-Length", strconv.Itoa(len(png)))
	w.Write(png)
}

// renderPage draws page (from 1) of pdf as PNG with pdftoppm.
func renderPage(ctx context.Context, pdftoppm string, pdf []byte, page int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	p := strconv.Itoa(page)
	cmd := exec.CommandContext(ctx, pdftoppm, "-png", "-f", p, "-l", p, "-singlefile", "-scale-to", strconv.Itoa(previewPixels), "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	if strings.Contains(stderr.String(), "Wrong page range") {
		return nil, errNoSuchPage
	}
	if err != nil {
		return nil, fmt.Errorf("running pdftoppm: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\x89PNG")) {
		return nil, errors.New("running pdftoppm: no PNG on its output")
	}
	return out.Bytes(), nil
}
