package templates

import (
	"embed"
	"io/fs"
)

// countryFiles holds one YAML profile per country (countries/<CC>.yaml):
// required documents, used-equipment rules, permits, age limits, language,
// tariff-line length, retention, each rule with its legal source, effective
// date and confidence mark. Users override them with files of their own
// (see package rules).
//
//go:embed countries/*.yaml
var countryFiles embed.FS

// CountryProfiles returns the embedded country profiles, rooted so that the
// files are at "<CC>.yaml".
func CountryProfiles() fs.FS {
	sub, err := fs.Sub(countryFiles, "countries")
	if err != nil { // "countries" is a valid path: cannot happen
		return countryFiles
	}
	return sub
}
