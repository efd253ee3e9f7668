package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/clearpack/clearpack/pipeline/model"
)

func one(t *testing.T, r Report, rule string) model.CheckResult {
	t.Helper()
	got := r.Result(rule)
	if len(got) != 1 {
		t.Fatalf("rule %s: %d results, want 1:\n%s", rule, len(got), results(r))
	}
	return got[0]
}

// TestEntryNumber: a Mexican clearance whose pedimento number is not 15
// digits of the documented shape, or whose year digits disagree with the
// entry date, fails and says what a pedimento is made of.
func TestEntryNumber(t *testing.T) {
	b := mustLoad(t, "")
	tests := []struct {
		name, dest, number, date string
		status                   model.CheckStatus // "" for no result
		want                     []string
	}{
		{"pedimento", "MX", "262434566000412", "2026-03-10", model.Pass, []string{"262434566000412"}},
		{"pedimento written with spaces", "MX", "26  24  3456  6000412", "2026-03-10", model.Pass, nil},
		{"too short", "MX", "2624345660004", "2026-03-10", model.Fail,
			[]string{"clearances.yaml:7: clearance SG-VN-1: entry_number", `"2624345660004"`, "15 digits = year (2) + customs office (2) + broker licence (4) + last digit of the year (1) + sequence (6)"}},
		{"letters", "MX", "26243456600041A", "2026-03-10", model.Fail, []string{"does not match the MX format"}},
		{"year of another year", "MX", "252434566000412", "2026-03-10", model.Fail,
			[]string{`year digits "25" do not agree with the entry_date 2026-03-10 (expected "26")`}},
		{"last digit of another year", "MX", "262434565000412", "2026-03-10", model.Fail,
			[]string{`year digits "5" do not agree with the entry_date 2026-03-10 (expected "6")`}},
		{"no format rule elsewhere", "VN", "105830416274", "2026-03-10", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.to(tt.dest)
			f.clearances["SG-VN-1"] = &model.Clearance{ShipmentID: "SG-VN-1", EntryNumber: tt.number, EntryDate: tt.date, ReleaseDate: tt.date,
				Port: "240", Currency: "MXN", Src: model.Source{File: "clearances.yaml", Line: 7}}
			r := b.Check(f.input())[0]
			if tt.status == "" {
				if got := r.Result("entry-number"); len(got) != 0 {
					t.Fatalf("entry-number checked for %s: %+v", tt.dest, got)
				}
				return
			}
			c := one(t, r, "entry-number")
			if c.Status != tt.status {
				t.Fatalf("status %s, want %s: %s", c.Status, tt.status, c.Detail)
			}
			if !strings.Contains(c.Source, "Anexo 22") || !strings.Contains(c.Source, "verify") {
				t.Errorf("source %q does not cite Anexo 22 with its confidence", c.Source)
			}
			for _, w := range tt.want {
				if !strings.Contains(c.Detail, w) {
					t.Errorf("detail %q lacks %q", c.Detail, w)
				}
			}
		})
	}
}

// TestInvoiceExtras: Brazil asks the invoice for the countries of
// acquisition and provenance and the packages' marks; the report carries
// that to the renderers and the check fails a package without marks and
// warns on a provenance that is not where the goods leave from.
func TestInvoiceExtras(t *testing.T) {
	b := mustLoad(t, "")
	tests := []struct {
		name   string
		dest   string
		bend   func(s *model.Shipment)
		status model.CheckStatus // "" for no result
		want   []string
	}{
		{"brazil, defaults", "BR", func(*model.Shipment) {}, model.Pass, []string{"countries of origin of the goods CN,", "acquisition SG", "provenance SG", "1 packages with marks"}},
		{"brazil, acquisition given", "BR", func(s *model.Shipment) { s.AcquisitionCountry = "US"; s.Reason = "intra-company transfer" }, model.Pass, []string{"acquisition US"}},
		{"brazil, package without marks", "BR", func(s *model.Shipment) { s.Packages[0].Marks = "" }, model.Fail,
			[]string{"plan.yaml:4: shipment SG-VN-1: packages[0].marks", "package P1 has no marks"}},
		{"brazil, no packages", "BR", func(s *model.Shipment) { s.Packages = nil }, model.Fail, []string{"no packages"}},
		{"brazil, provenance elsewhere", "BR", func(s *model.Shipment) { s.ProvenanceCountry = "NL" }, model.Warn,
			[]string{"provenance_country: NL, but the shipment leaves from SG"}},
		{"brazil, sale bought from elsewhere", "BR", func(s *model.Shipment) { s.AcquisitionCountry = "US" }, model.Warn,
			[]string{"acquisition_country: US, but the seller (exporter) is in SG"}},
		{"vietnam asks nothing", "VN", func(*model.Shipment) {}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.to(tt.dest)
			f.ship().Packages[0].Marks = "MERIDIAN / GRU / 1 OF 1"
			tt.bend(f.ship())
			r := b.Check(f.input())[0]
			if tt.status == "" {
				if len(r.Result("invoice-extras")) != 0 || len(r.Extras.InvoiceExtras) != 0 {
					t.Fatalf("invoice extras for %s: %+v, %v", tt.dest, r.Result("invoice-extras"), r.Extras)
				}
				return
			}
			want := []string{model.ExtraAcquisitionCountry, model.ExtraProvenanceCountry, model.ExtraPackageMarks}
			if !slices.Equal(r.Extras.InvoiceExtras, want) {
				t.Errorf("report extras %v, want %v", r.Extras.InvoiceExtras, want)
			}
			c := one(t, r, "invoice-extras")
			if c.Status != tt.status || !strings.Contains(c.Source, "Art. 557") {
				t.Fatalf("status %s source %q, want %s citing Art. 557: %s", c.Status, c.Source, tt.status, c.Detail)
			}
			for _, w := range tt.want {
				if !strings.Contains(c.Detail, w) {
					t.Errorf("detail %q lacks %q", c.Detail, w)
				}
			}
		})
	}
}

// TestSwornNotWaste: Argentina's profile requires the sworn not-waste
// declaration, so a shipment with used units there asks the condition
// declaration for it; a new-only shipment or another country does not.
func TestSwornNotWaste(t *testing.T) {
	b := mustLoad(t, "")
	for _, tt := range []struct {
		name    string
		dest    string
		newOnly bool
		want    bool
	}{
		{"argentina, refurbished unit", "AR", false, true},
		{"argentina, new units only", "AR", true, false},
		{"vietnam", "VN", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			f.to(tt.dest)
			if tt.newOnly {
				f.refurb().Condition = model.New
			}
			r := b.Check(f.input())[0]
			if r.Extras.SwornNotWaste != tt.want {
				t.Errorf("SwornNotWaste = %v, want %v", r.Extras.SwornNotWaste, tt.want)
			}
			if tt.want && !strings.Contains(one(t, r, "not-waste").Source, "Decreto 273/2025") {
				t.Errorf("not-waste result does not cite Decreto 273/2025: %+v", r.Result("not-waste"))
			}
		})
	}
}

// TestClearanceLineLength: a clearance's tariff line must have the
// destination's national length.
func TestClearanceLineLength(t *testing.T) {
	b := mustLoad(t, "")
	for _, tt := range []struct {
		line   string
		status model.CheckStatus
	}{{"8471.50.90", model.Pass}, {"8471.50.90.00", model.Fail}} {
		t.Run(tt.line, func(t *testing.T) {
			f := newFixture()
			f.to("BR")
			f.clearances["SG-VN-1"] = &model.Clearance{ShipmentID: "SG-VN-1", EntryNumber: "26/0452137-6", EntryDate: "2026-03-05", ReleaseDate: "2026-03-06",
				Port: "GRU", Currency: "BRL", Duties: decimal.RequireFromString("100"),
				Lines: []model.ClearanceLine{{TariffLine: tt.line, Assets: []string{"SRV-1", "SRV-2"}, CustomsValue: decimal.RequireFromString("1000"),
					DutyRate: decimal.RequireFromString("10"), Duty: decimal.RequireFromString("100"), Src: model.Source{File: "clearances.yaml", Line: 12}}}}
			c := one(t, b.Check(f.input())[0], "clearance-lines")
			if c.Status != tt.status {
				t.Fatalf("status %s, want %s: %s", c.Status, tt.status, c.Detail)
			}
			if tt.status == model.Fail && !strings.Contains(c.Detail, `clearances.yaml:12: clearance SG-VN-1: lines[0].tariff_line: "8471.50.90.00" has 10 digits`) {
				t.Errorf("detail does not name the line: %s", c.Detail)
			}
		})
	}
}

// TestLoadDomainRuleErrors: a bad entry-number or invoice-extras rule in a
// profile override is refused naming the file, line and field.
func TestLoadDomainRuleErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"bad-pattern.yaml", "country: MX\nentry_number:\n  pattern: '([0-9]'\n  description: x\n", []string{"bad-pattern.yaml:3", "entry_number.pattern", "regular expression"}},
		{"bad-group.yaml", "country: MX\nentry_number:\n  pattern: '(?P<year>[0-9]{4})'\n  description: x\n", []string{"bad-group.yaml:3", `group "year"`}},
		{"bad-extra.yaml", "country: BR\ninvoice_extras:\n  fields: [shoe_size]\n", []string{"bad-extra.yaml:3", "invoice_extras.fields.0", `"shoe_size"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tt.name, tt.body)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load accepted a bad profile")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
