package main

import (
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strings"
)

// invoiceHTML lays out a document's machine-readable source (the JSON
// clearpack embeds in the PDF: every fact and every line the PDF prints) as
// an HTML page, so the browsers print the same content clearpack does.
func invoiceHTML(title string, src []byte) (string, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(src)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("reading the invoice source: %w", err)
	}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + html.EscapeString(title) + `</title><style>
@page { size: A4; margin: 12mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; color: #111; }
h1 { font-size: 14pt; margin: 0 0 6pt; } h2 { font-size: 10pt; margin: 8pt 0 3pt; border-bottom: 1px solid #444; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4pt; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 3pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; }
table.facts td:first-child { width: 28%; color: #444; }
</style></head><body><h1>` + html.EscapeString(title) + "</h1>\n")
	section(&b, "", v)
	b.WriteString("</body></html>\n")
	return b.String(), nil
}

func section(b *strings.Builder, name string, v any) {
	switch t := v.(type) {
	case map[string]any:
		if name != "" {
			fmt.Fprintf(b, "<h2>%s</h2>\n", label(name))
		}
		keys := sortedKeys(t)
		b.WriteString(`<table class="facts">`)
		for _, k := range keys {
			if isScalar(t[k]) {
				fmt.Fprintf(b, "<tr><td>%s</td><td>%s</td></tr>", label(k), scalar(t[k]))
			}
		}
		b.WriteString("</table>\n")
		for _, k := range keys {
			if !isScalar(t[k]) {
				section(b, k, t[k])
			}
		}
	case []any:
		if len(t) == 0 {
			return
		}
		fmt.Fprintf(b, "<h2>%s</h2>\n", label(name))
		cols := map[string]bool{}
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				for k := range m {
					cols[k] = true
				}
			}
		}
		if len(cols) == 0 {
			b.WriteString("<p>")
			for i, e := range t {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(scalar(e))
			}
			b.WriteString("</p>\n")
			return
		}
		keys := sortedKeys(cols)
		b.WriteString("<table><tr>")
		for _, k := range keys {
			fmt.Fprintf(b, "<th>%s</th>", label(k))
		}
		b.WriteString("</tr>\n")
		for _, e := range t {
			m, _ := e.(map[string]any)
			b.WriteString("<tr>")
			for _, k := range keys {
				class := ""
				if _, ok := m[k].(json.Number); ok {
					class = ` class="n"`
				}
				fmt.Fprintf(b, "<td%s>%s</td>", class, scalar(m[k]))
			}
			b.WriteString("</tr>\n")
		}
		b.WriteString("</table>\n")
	default:
		fmt.Fprintf(b, "<p>%s: %s</p>\n", label(name), scalar(v))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isScalar(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range v {
			if !isScalar(e) {
				return false
			}
		}
	}
	return true
}

func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return html.EscapeString(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = scalar(e)
		}
		return strings.Join(parts, ", ")
	default:
		return html.EscapeString(fmt.Sprint(t))
	}
}

func label(k string) string {
	return html.EscapeString(strings.ReplaceAll(k, "_", " "))
}
