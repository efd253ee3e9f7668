package pdftext

import "testing"

func TestLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"":               "()",
		"Invoice (copy)": `(Invoice \(copy\))`,
		`a\b`:            `(a\\b)`,
		"tab\there":      `(tab\011here)`,
		"café":           `(caf\303\251)`,
	} {
		if got := Literal(in); got != want {
			t.Errorf("Literal(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"Commercial Invoice":        "(Commercial Invoice)",
		"a (b)":                     `(a \(b\))`,
		"Fatura comercial – Brasil": "<FEFF00460061007400750072006100200063006F006D00650072006300690061006C00202013002000420072006100730069006C>",
		"Hóa đơn":                   "<FEFF004800F300610020011101A1006E>",
		"𝄞":                         "<FEFFD834DD1E>",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %s, want %s", in, got, want)
		}
	}
}
