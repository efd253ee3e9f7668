package runreport

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"

	"github.com/clearpack/clearpack/templates"
)

const (
	family = "clearpack-sans"
	margin = 12.0
	rowH   = 4.2
	// maxShipmentRows keeps the page to one: a longer run lists its
	// failures first and points to report.json for the rest.
	maxShipmentRows = 34
	maxInputRows    = 4
)

var gray = &props.Color{Red: 90, Green: 90, Blue: 90}

// PDF lays the report out on one A4 page, in the documents' font (Noto
// Sans, embedded in package templates).
func (r *Report) PDF() ([]byte, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	date := r.Finished
	if date.IsZero() {
		date = r.Started
	}
	cfg := config.NewBuilder().WithPageSize(pagesize.A4).
		WithLeftMargin(margin).WithTopMargin(margin).WithRightMargin(margin).WithBottomMargin(margin).
		WithMaxGridSize(24).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: family, Style: fontstyle.Normal, Size: 7.5}).
		WithCompression(true).
		WithCreationDate(date).
		WithTitle("clearpack run report "+r.RunID, true).
		WithSubject(r.Batch, true).
		WithCreator("clearpack", true).
		Build()
	m := maroto.New(cfg)
	bold := props.Text{Style: fontstyle.Bold, Family: family}
	small := props.Text{Size: 7, Family: family}

	m.AddRows(text.NewRow(9, "clearpack run report", props.Text{Size: 15, Style: fontstyle.Bold, Family: family}))
	outcome := strings.ToUpper(r.Outcome)
	m.AddRows(text.NewRow(6, fmt.Sprintf("Run %s · %s", r.RunID, outcome), props.Text{Size: 10, Family: family}))

	facts := [][2]string{
		{"Mode", r.Mode + orEmpty(r.Schedule, " (schedule "+r.Schedule+")")},
		{"Batch", orDash(r.Batch)},
		{"Instance", orDash(r.Instance)},
		{"Program", orDash(r.Program)},
		{"Archive", orDash(r.Archive)},
		{"Started", r.Started.UTC().Format(time.RFC3339)},
		{"Finished", r.Finished.UTC().Format(time.RFC3339)},
		{"Time taken", (time.Duration(r.Seconds * float64(time.Second))).Round(time.Millisecond).String()},
		{"Documents made", fmt.Sprintf("%d (%s)", r.Documents, humanBytes(r.BytesArchived))},
		{"Shipments", fmt.Sprintf("%d archived, %d unchanged, %d rejected, %d failed, %d in progress elsewhere",
			r.Counts.Archived, r.Counts.Unchanged, r.Counts.Rejected, r.Counts.Failed, r.Counts.InProgress)},
	}
	if r.Error != "" {
		facts = append(facts, [2]string{"Error", clip(r.Error, 150)})
	}
	for _, f := range facts {
		m.AddRows(row.New(rowH).Add(
			col.New(4).Add(text.New(f[0], bold)),
			col.New(20).Add(text.New(f[1], props.Text{Family: family})),
		))
	}

	m.AddRows(row.New(3))
	m.AddRows(heading("Inputs"))
	m.AddRows(tableRow(true, []int{6, 3, 15}, "File", "Bytes", "SHA-256"))
	for i, in := range r.Inputs {
		if i == maxInputRows {
			m.AddRows(text.NewRow(rowH, fmt.Sprintf("… and %d more inputs: see report.json", len(r.Inputs)-i), small))
			break
		}
		m.AddRows(tableRow(false, []int{6, 3, 15}, clip(in.Name, 40), strconv.FormatInt(in.Bytes, 10), in.SHA256))
	}
	if len(r.Inputs) == 0 {
		m.AddRows(text.NewRow(rowH, "none read", small))
	}

	m.AddRows(row.New(3))
	m.AddRows(heading("Shipments"))
	m.AddRows(tableRow(true, []int{4, 2, 3, 2, 13}, "Shipment", "Dest.", "Status", "Docs", "Reason / where"))
	ships := append([]Shipment(nil), r.Shipments...)
	// Problems first: failed, rejected, in progress; then the rest in order.
	rank := map[string]int{"failed": 0, "rejected": 1, "in-progress": 2}
	sort.SliceStable(ships, func(i, j int) bool { return rankOf(rank, ships[i].Status) < rankOf(rank, ships[j].Status) })
	for i, s := range ships {
		if i == maxShipmentRows {
			m.AddRows(text.NewRow(rowH, fmt.Sprintf("… and %d more shipments: see report.json", len(ships)-i), small))
			break
		}
		detail := s.Path
		if len(s.Reasons) > 0 {
			detail = s.Reasons[0]
			if len(s.Reasons) > 1 {
				detail += fmt.Sprintf(" (+%d more)", len(s.Reasons)-1)
			}
		}
		m.AddRows(tableRow(false, []int{4, 2, 3, 2, 13}, clip(s.ID, 24), s.Destination, s.Status, strconv.Itoa(s.Documents), clip(detail, 80)))
	}
	if len(r.Problems) > 0 {
		m.AddRows(row.New(2))
		m.AddRows(text.NewRow(rowH, fmt.Sprintf("%d input problem(s) outside any shipment: see report.json", len(r.Problems)), small))
	}
	m.AddRows(row.New(3))
	m.AddRows(text.NewRow(rowH, "The JSON report next to this file (report.json) is the complete record; both are signed (.sig, cosign blob format).",
		props.Text{Size: 6.5, Family: family, Color: gray}))

	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("generating run report pdf: %w", err)
	}
	return doc.GetBytes(), nil
}

func rankOf(rank map[string]int, s string) int {
	if n, ok := rank[s]; ok {
		return n
	}
	return 3
}

func heading(s string) core.Row {
	return row.New(6).Add(col.New(24).Add(text.New(s, props.Text{Size: 9, Style: fontstyle.Bold, Family: family, Top: 1})))
}

func tableRow(head bool, widths []int, cells ...string) core.Row {
	r := row.New(rowH)
	style := props.Text{Family: family, Size: 7, Align: align.Left}
	if head {
		style.Style = fontstyle.Bold
	}
	for i, c := range cells {
		r.Add(col.New(widths[i]).Add(text.New(c, style)))
	}
	return r.WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: &props.Color{Red: 200, Green: 200, Blue: 200}, BorderThickness: 0.1})
}

func loadFonts() ([]*entity.CustomFont, error) {
	fsys := templates.Fonts()
	reg, err := fs.ReadFile(fsys, templates.FontRegular)
	if err != nil {
		return nil, fmt.Errorf("reading font: %w", err)
	}
	b, err := fs.ReadFile(fsys, templates.FontBold)
	if err != nil {
		return nil, fmt.Errorf("reading font: %w", err)
	}
	fonts, err := repository.New().
		AddUTF8FontFromBytes(family, fontstyle.Normal, reg).
		AddUTF8FontFromBytes(family, fontstyle.Bold, b).
		Load()
	if err != nil {
		return nil, fmt.Errorf("loading fonts: %w", err)
	}
	return fonts, nil
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orEmpty(cond, s string) string {
	if cond == "" {
		return ""
	}
	return s
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
