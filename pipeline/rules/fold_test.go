package rules

import "testing"

// fold makes one key of a name however it is typed; the ASCII fast path
// gives what the full path gives.
func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"PowerEdge R640":              "poweredge r640",
		" PowerEdge  R640 ":           "poweredge r640",
		"PowerEdge\u00a0R640":         "poweredge r640",
		"Power\u200bEdge\u2060 R640":  "poweredge r640",
		"\ufeffPowerEdge\u202fR640\t": "poweredge r640",
		"Te\u0301chnologies":          "t\u00e9chnologies",
		"":                            "",
		"\u200b\u00a0":                "",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"a", "a b", "A-B_C.d/e", "x y z"} {
		if !plainASCII(s) {
			t.Errorf("plainASCII(%q) = false", s)
		}
	}
	for _, s := range []string{" a", "a ", "a  b", "a\tb", "é"} {
		if plainASCII(s) {
			t.Errorf("plainASCII(%q) = true", s)
		}
	}
	for _, s := range []string{"", " ", "\u200b", "\u00a0\u2060\ufeff\u3000"} {
		if !blank(s) {
			t.Errorf("blank(%q) = false", s)
		}
	}
	if blank("\u200bA") {
		t.Error(`blank("\u200bA") = true`)
	}
}
