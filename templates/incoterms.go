package templates

import "embed"

// incotermsFiles holds incoterms/incoterms.yaml: what each Incoterms® 2020
// rule means for the documents (transport modes, who pays the carriage), and
// the words that say what kind of place a named place is.
//
//go:embed incoterms/incoterms.yaml
var incotermsFiles embed.FS

// Incoterms returns incoterms/incoterms.yaml.
func Incoterms() []byte {
	b, err := incotermsFiles.ReadFile("incoterms/incoterms.yaml")
	if err != nil { // embedded at build time: cannot happen
		return nil
	}
	return b
}
