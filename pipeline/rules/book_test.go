package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustLoad(t testing.TB, dir string) *Book {
	t.Helper()
	b, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%q): %v", dir, err)
	}
	return b
}

func TestLoadEmbedded(t *testing.T) {
	b := mustLoad(t, "")
	want := []string{"AE", "AR", "AU", "BR", "CA", "CL", "CN", "CO", "EU", "GB", "HK", "ID", "IN", "JP", "KR", "MX", "MY", "PE", "PH", "SG", "TH", "TW", "US", "VN"}
	if got := strings.Join(b.Countries(), " "); got != strings.Join(want, " ") {
		t.Fatalf("countries = %s, want %s", got, strings.Join(want, " "))
	}
	langs := map[string]string{"VN": "vi", "BR": "pt", "MX": "es", "ID": "id", "TH": "th", "MY": "ms", "PH": "en"}
	for cc, lang := range langs {
		p, ok := b.Profile(cc)
		if !ok || p.Language.Code != lang {
			t.Errorf("profile %s: language %q, want %q", cc, p.Language.Code, lang)
		}
	}
	vn, _ := b.Profile("VN")
	if vn.MaxAge.Years != 10 || vn.UsedEquipment.Status != UsedPermit || vn.MaxAge.Confidence != Verify {
		t.Errorf("VN: max age %d, used %q, confidence %q; want 10, permit, verify", vn.MaxAge.Years, vn.UsedEquipment.Status, vn.MaxAge.Confidence)
	}
	if !strings.HasPrefix(b.Version(), "sha256:") || len(b.Version()) != 71 {
		t.Errorf("Version() = %q, want sha256:<64 hex>", b.Version())
	}
	if b2 := mustLoad(t, ""); b2.Version() != b.Version() {
		t.Errorf("Version() not stable: %s then %s", b.Version(), b2.Version())
	}
}

func TestClassification(t *testing.T) {
	b := mustLoad(t, "")
	tests := []struct {
		hs, sub, descPart, reasonPart string
	}{
		{"84715090", "8471.50", "processing units", "processing unit"},
		{"8471700000", "8471.70", "storage units", "Storage unit"},
		{"85176200", "8517.62", "switching and routing", "switching"},
		{"09011100", "0901.11", "Coffee", ""},
		{"99999999", "", "", ""},
		{"8471", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.hs, func(t *testing.T) {
			sub, desc, reason := b.Classification(tt.hs)
			if sub != tt.sub || !strings.Contains(desc, tt.descPart) || !strings.Contains(reason, tt.reasonPart) || (tt.reasonPart == "" && reason != "") {
				t.Errorf("Classification(%s) = %q, %q, %q; want %q, ~%q, ~%q", tt.hs, sub, desc, reason, tt.sub, tt.descPart, tt.reasonPart)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "vn-local.yaml", `country: VN
max_age:
  years: 5
  source: "Company policy 2026-01"
  effective: 2026-01-01
  confidence: confirmed
`)
	writeFile(t, dir, "notes.txt", "ignored")
	base := mustLoad(t, "")
	b := mustLoad(t, dir)
	vn, _ := b.Profile("VN")
	if vn.MaxAge.Years != 5 || vn.MaxAge.Source != "Company policy 2026-01" {
		t.Errorf("override not applied: max_age %+v", vn.MaxAge)
	}
	// Fields the override does not set stay in force, nested ones included.
	if vn.Language.Code != "vi" || vn.UsedEquipment.Status != UsedPermit || len(vn.MaxAge.AppliesTo.Conditions) != 2 {
		t.Errorf("override lost fields: language %q, used %q, max_age.applies_to %v", vn.Language.Code, vn.UsedEquipment.Status, vn.MaxAge.AppliesTo)
	}
	if len(vn.Files) != 2 || !strings.HasSuffix(vn.Files[1], "vn-local.yaml") {
		t.Errorf("files = %v", vn.Files)
	}
	if b.Version() == base.Version() {
		t.Error("Version() unchanged by an override")
	}
	if bv, _ := base.Profile("VN"); bv.MaxAge.Years != 10 {
		t.Errorf("override leaked into another book: %d", bv.MaxAge.Years)
	}
}

func TestLoadOverrideNewCountry(t *testing.T) {
	dir := t.TempDir()
	vn, err := os.ReadFile("../../templates/countries/VN.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "KH.yaml", strings.Replace(strings.Replace(string(vn), "country: VN", "country: KH", 1), "name: Viet Nam", "name: Cambodia", 1))
	b := mustLoad(t, dir)
	if p, ok := b.Profile("KH"); !ok || p.Name != "Cambodia" {
		t.Fatalf("KH not added: %v %+v", ok, p.Name)
	}
}

func TestLoadErrorsNameFileLineField(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"bad-status.yaml", "country: BR\nused_equipment:\n  status: forbidden\n", []string{"bad-status.yaml:3", "used_equipment.status", `"forbidden"`, "allowed, banned or permit"}},
		{"bad-confidence.yaml", "country: TH\nvat:\n  text: x\n  confidence: maybe\n", []string{"bad-confidence.yaml:4", "vat.confidence", `"maybe"`}},
		{"bad-date.yaml", "country: MX\nretention:\n  years: 5\n  effective: 2020-13-01\n", []string{"bad-date.yaml:4", "retention.effective", "YYYY-MM-DD"}},
		{"unknown-field.yaml", "country: CL\n\nmax_agee:\n  years: 3\n", []string{"unknown-field.yaml", "line 3", "max_agee"}},
		{"bad-category.yaml", "country: TH\nbanned:\n  - category: toaster\n    source: x\n    effective: 2020-01-01\n    confidence: verify\n", []string{"bad-category.yaml:3", "banned.0.category", `"toaster"`}},
		{"no-country.yaml", "name: Nowhere\n", []string{"no-country.yaml:1", "country", "missing"}},
		{"incomplete.yaml", "country: KH\nname: Cambodia\n", []string{"incomplete.yaml", "language.code", "tariff_line.lengths"}},
		{"bad-length.yaml", "country: CO\ntariff_line:\n  lengths: [10, 4]\n", []string{"bad-length.yaml:3", "tariff_line.lengths.1", "6 to 12"}},
		{"bad-yaml.yaml", "country: CO\n  - [\n", []string{"bad-yaml.yaml", "line"}},
	}
	for _, tt := range tests {
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

func TestLoadMissingDir(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("Load of a missing dir: %v", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(""); err != nil {
			b.Fatal(err)
		}
	}
}
