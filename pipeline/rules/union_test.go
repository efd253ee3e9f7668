package rules

import (
	"strings"
	"testing"

	"github.com/clearpack/clearpack/pipeline/model"
)

// fromEU makes the fixture an export from origin (an EU member) to
// Singapore by an exporter established in exporterCC.
func (f *fixture) fromEU(origin, exporterCC string) {
	s := f.ship()
	s.Origin = origin
	s.Parties.Exporter = party("Clearpack GmbH", exporterCC)
	s.Parties.Exporter.TaxID = "DE123456789012345"
	s.Parties.ExporterOfRecord = s.Parties.Exporter
	f.to("SG")
	s.Permits = nil
	s.ExportFilings = []model.Filing{{Type: "MRN", Number: "26NL7D2X8K4P1QZ9A3"}}
}

func status(t *testing.T, r Report, rule string) model.CheckResult {
	t.Helper()
	got := r.Result(rule)
	if len(got) == 0 {
		t.Fatalf("rule %s not reported:\n%s", rule, results(r))
	}
	return got[0]
}

// TestCustomsUnion: a German company exports from Amsterdam; the EU is one
// customs territory, so that is an exporter in the exporting country. An
// exporter outside the Union is not.
func TestCustomsUnion(t *testing.T) {
	b := mustLoad(t, "")
	if got := b.Territory("NL"); got != "EU" {
		t.Fatalf("Territory(NL) = %s, want EU", got)
	}
	if p, ok := b.Profile("DE"); !ok || p.Country != "EU" || len(p.Members) != 27 {
		t.Fatalf("Profile(DE) = %s with %d members, %v; want the EU's with 27", p.Country, len(p.Members), ok)
	}

	f := newFixture()
	f.fromEU("NL", "DE")
	r := b.Check(f.input())[0]
	for _, rule := range []string{"profile", "parties", "export-parties"} {
		if c := status(t, r, rule); c.Status != model.Pass {
			t.Errorf("rule %s: %s %s, want pass:\n%s", rule, c.Status, c.Detail, results(r))
		}
	}
	if c := status(t, r, "profile"); !strings.Contains(c.Source, "templates/countries/EU.yaml") || !strings.Contains(c.Detail, "profiles NL (EU) (origin) and SG (destination)") {
		t.Errorf("profile %q (source %q) does not name the EU profile", c.Detail, c.Source)
	}
	if c := status(t, r, "export-parties"); !strings.Contains(c.Detail, "EORI number") || !strings.Contains(c.Detail, "NL (customs territory EU)") ||
		!strings.Contains(c.Source, "Regulation (EU) No 952/2013") {
		t.Errorf("export-parties: %s / %s", c.Detail, c.Source)
	}
	for _, name := range []string{"export-filing: Export declaration (MRN)", "export: dual-use items"} {
		if c := status(t, r, name); !strings.Contains(c.Source, "Regulation (EU)") {
			t.Errorf("%s: source %q", name, c.Source)
		}
	}

	if c := status(t, r, "export-filing: Export declaration (MRN)"); c.Status != model.Pass || !strings.Contains(c.Detail, "MRN 26NL7D2X8K4P1QZ9A3") {
		t.Errorf("MRN: %s %s", c.Status, c.Detail)
	}

	f = newFixture()
	f.fromEU("NL", "US")
	r = b.Check(f.input())[0]
	if c := status(t, r, "parties"); c.Status != model.Fail || !strings.Contains(c.Detail, `parties.exporter.country: "US", expected NL`) {
		t.Errorf("exporter outside the Union: %s %s", c.Status, c.Detail)
	}

	f = newFixture()
	f.fromEU("FR", "DE")
	f.ship().Parties.Exporter.TaxID = ""
	f.ship().ExportFilings = nil
	r = b.Check(f.input())[0]
	if c := status(t, r, "export-filing: Export declaration (MRN)"); c.Status != model.Warn || !strings.Contains(c.Detail, "none of type MRN") {
		t.Errorf("no MRN: %s %s", c.Status, c.Detail)
	}
	if c := status(t, r, "export-parties"); c.Status != model.Fail || !strings.Contains(c.Detail, "parties.exporter.tax_id: missing; FR requires the exporter's EORI number") {
		t.Errorf("no EORI: %s %s", c.Status, c.Detail)
	}
}

// TestOriginProfiles: exports from the EU, the UK, China and Japan pass the
// profile check under a profile with its sources; none falls back to the
// generic profile.
func TestOriginProfiles(t *testing.T) {
	b := mustLoad(t, "")
	for _, origin := range []string{"DE", "NL", "GB", "CN", "JP", "KR", "TW", "HK", "AU", "CA", "AE"} {
		t.Run(origin, func(t *testing.T) {
			f := newFixture()
			f.fromEU(origin, origin)
			r := b.Check(f.input())[0]
			c := status(t, r, "profile")
			if c.Status != model.Pass || strings.Contains(c.Source, "generic") {
				t.Fatalf("profile: %s %s (source %s)", c.Status, c.Detail, c.Source)
			}
			p, _ := b.Profile(origin)
			for _, basis := range []Basis{p.Retention.Basis, p.TariffLine.Basis, p.UsedEquipment.Basis, p.Parties.Basis} {
				if basis.Source == "" || basis.Effective == "" || basis.Confidence == "" {
					t.Errorf("%s: a rule without source, date or confidence: %+v", origin, basis)
				}
			}
			if r.RetentionYears < p.Retention.Years {
				t.Errorf("retention %d years, below the origin's %d", r.RetentionYears, p.Retention.Years)
			}
		})
	}
}

// TestGenericProfile: a country without a profile is checked with the
// generic profile: the checks that hold everywhere run and fail as usual,
// the profile check WARNs naming what it did not check, and the shipment is
// not stopped for the missing profile alone.
func TestGenericProfile(t *testing.T) {
	b := mustLoad(t, "")
	f := newFixture()
	f.fromEU("NL", "DE")
	f.to("KE")
	r := b.Check(f.input())[0]
	c := status(t, r, "profile")
	if c.Status != model.Warn || !strings.Contains(c.Detail, `no country profile for destination "KE": checked with the generic profile`) ||
		!strings.Contains(c.Detail, "not checked: the national tariff-line length, used-equipment import rules, banned categories, permits, age limits") ||
		!strings.Contains(c.Source, "templates/generic/profile.yaml") {
		t.Errorf("profile: %s %s (%s)", c.Status, c.Detail, c.Source)
	}
	if !r.OK() {
		t.Errorf("shipment to a country without a profile stopped:\n%s", results(r))
	}
	if r.RetentionYears != 10 {
		t.Errorf("retention %d years, want the generic 10", r.RetentionYears)
	}
	// HS-6 checks still run under the generic profile.
	f.newUnit().HSCode = "84719999"
	r = b.Check(f.input())[0]
	if c := status(t, r, "hs-code"); c.Status != model.Fail {
		t.Errorf("hs-code under the generic profile: %s %s", c.Status, c.Detail)
	}
}
