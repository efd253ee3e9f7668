package pipeline

import "testing"

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"APAC-LATAM Server Refresh 2026", "apac-latam-server-refresh-2026"},
		{"  ../../etc/passwd ", "etc-passwd"},
		{"Renovação São Paulo", "renovacao-sao-paulo"},
		{"Ñuñoa Việt Nam", "nunoa-viet-nam"},
		{"Đà Nẵng", "da-nang"},
		{"a\x00b", "a-b"},
	} {
		got, err := Slug(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Slug(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "---", "กรุงเทพ"} {
		if got, err := Slug(bad); err == nil {
			t.Errorf("Slug(%q) = %q, want an error", bad, got)
		}
	}
}
