package termtable

import (
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

func TestWrite(t *testing.T) {
	cols := []Column{{Header: "RULE"}, {Header: "RESULT"}, {Header: "SOURCE", Fit: Cut, Drop: 1}, {Header: "DETAIL", Fit: Wrap, Min: 20}}
	rows := [][]string{
		{"hs-code", "PASS", "HS 2022 nomenclature (WCO), templates/hs/harmonized-system.csv", "10 units under valid HS 2022 subheadings"},
		{"used-import", "FAIL", "Portaria SECEX 23/2011 art. 43", "5 units used or refurbished into BR need a permit of type LI or licença de importação: plan.yaml:1357"},
	}
	for _, width := range []int{100, 80, 60, 40} {
		var b strings.Builder
		if err := Write(&b, width, cols, rows); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if w := text.StringWidthWithoutEscSequences(l); w > width {
				t.Errorf("width %d: a line of %d columns: %q", width, w, l)
			}
		}
		// The detail is never lost: its words are all there.
		flat := strings.Join(strings.Fields(out), " ")
		for _, word := range strings.Fields(rows[1][3]) {
			if !strings.Contains(flat, word) {
				t.Errorf("width %d: detail word %q lost:\n%s", width, word, out)
			}
		}
		t.Logf("width %d:\n%s", width, out)
	}
	var b strings.Builder
	Write(&b, 0, cols, rows)
	if !strings.Contains(b.String(), rows[0][2]) || !strings.Contains(b.String(), rows[1][3]) {
		t.Errorf("wide: not every cell in full:\n%s", b.String())
	}
}
