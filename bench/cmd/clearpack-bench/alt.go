package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/clearpack/clearpack/bench/floor"
	"github.com/clearpack/clearpack/bench/gen"
	"github.com/clearpack/clearpack/pipeline/model"
	"github.com/clearpack/clearpack/renderers"
)

// alternatives prints the same commercial invoices with clearpack's
// renderer and with each alternative, one document at a time.
func alternatives(ctx context.Context, o options, sample *gen.Sample, work string) ([]Alt, error) {
	dir := filepath.Join(work, "alt")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	files, _, err := sample.Write(dir, 9*o.altDocs+60)
	if err != nil {
		return nil, err
	}
	all, err := programJobs(ctx, files)
	if err != nil {
		return nil, err
	}
	var jobs []floor.Job
	for _, j := range all {
		if j.Kind == model.CommercialInvoice && len(jobs) < o.altDocs {
			jobs = append(jobs, j)
		}
	}
	rend, err := renderers.New()
	if err != nil {
		return nil, err
	}
	var htmls []string
	var numbers []string
	if _, err := rend.Render(ctx, jobs[0].Kind, *jobs[0].Pack); err != nil { // warm-up
		return nil, err
	}
	start, cpu0 := time.Now(), processCPU()
	var docs []renderers.Document
	for _, j := range jobs {
		d, err := rend.Render(ctx, j.Kind, *j.Pack)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	alts := []Alt{{Name: rendererAlt, Docs: len(jobs), MsPerDoc: ms(time.Since(start), len(jobs)),
		CPUMsPerDoc: ms(processCPU()-cpu0, len(jobs))}}
	for i, d := range docs {
		num := renderers.DocNumber(model.CommercialInvoice, *jobs[i].Pack)
		page, err := invoiceHTML("Commercial Invoice "+num, d.Source)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, fmt.Sprintf("invoice-%03d.html", i))
		if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
			return nil, err
		}
		htmls, numbers = append(htmls, p), append(numbers, num)
	}
	if err := os.WriteFile(filepath.Join(o.out, "invoice-sample.html"), mustRead(htmls[0]), 0o644); err != nil {
		return nil, err
	}

	each := func(name string, print func(i int, in, out string) error) error {
		start := time.Now()
		for i, in := range htmls {
			out := strings.TrimSuffix(in, ".html") + "-" + strings.Fields(name)[0] + ".pdf"
			if err := print(i, in, out); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err := checkPDF(out, numbers[i]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		alts = append(alts, Alt{Name: name, Docs: len(htmls), MsPerDoc: ms(time.Since(start), len(htmls))})
		return nil
	}
	if o.chromium != "" {
		err := each("chromium --print-to-pdf, new browser per document", func(_ int, in, out string) error {
			return command(ctx, o.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--user-data-dir="+filepath.Join(dir, "profile-cold"), "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in)
		})
		if err != nil {
			return nil, err
		}
		b, err := startBrowser(ctx, o.chromium, filepath.Join(dir, "profile-warm"))
		if err != nil {
			return nil, err
		}
		if _, err := b.print(htmls[0]); err != nil { // warm-up
			b.close()
			return nil, err
		}
		err = each(warmChromeAlt, func(_ int, in, out string) error {
			pdf, err := b.print(in)
			if err != nil {
				return err
			}
			return os.WriteFile(out, pdf, 0o644)
		})
		b.close()
		if err != nil {
			return nil, err
		}
	}
	if o.wkhtml != "" {
		err := each("wkhtmltopdf", func(_ int, in, out string) error {
			return command(ctx, o.wkhtml, "-q", "--encoding", "utf-8", in, out)
		})
		if err != nil {
			return nil, err
		}
	}
	return alts, nil
}

// The alternatives' names the results look for.
const (
	rendererAlt   = "clearpack renderer (maroto), one at a time"
	warmChromeAlt = "chromium warm, DevTools Page.printToPDF, one tab"
)

// processCPU is this process's CPU time so far (user+system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration, n int) float64 { return d.Seconds() * 1000 / float64(n) }

func mustRead(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}

func command(ctx context.Context, bin string, args ...string) error {
	c := exec.CommandContext(ctx, bin, args...)
	var e bytes.Buffer
	c.Stdout, c.Stderr = &e, &e
	if err := c.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, tail(e.String(), 1000))
	}
	return nil
}

// checkPDF makes sure an alternative printed a PDF holding the invoice
// number (when pdftotext is installed), so a fast failure is not counted as
// a fast print.
func checkPDF(path, number string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return fmt.Errorf("%s is not a PDF", path)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return nil
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext %s: %w", path, err)
	}
	if !strings.Contains(string(out), number) {
		return fmt.Errorf("%s does not show the invoice number %s", path, number)
	}
	return nil
}
