package templates

import "embed"

// hsFiles holds the HS 2022 nomenclature (harmonized-system.csv, public
// domain, see hs/SOURCE.md) and clearpack's category-to-subheading table
// (classification.yaml).
//
//go:embed hs/harmonized-system.csv hs/classification.yaml hs/SOURCE.md
var hsFiles embed.FS

// HSNomenclature returns the HS 2022 nomenclature CSV
// (section,hscode,description,parent,level).
func HSNomenclature() []byte {
	b, err := hsFiles.ReadFile("hs/harmonized-system.csv")
	if err != nil { // embedded at build time: cannot happen
		return nil
	}
	return b
}

// HSClassification returns classification.yaml: the subheadings each asset
// category may be declared under, with the reason printed on the
// specification list.
func HSClassification() []byte {
	b, err := hsFiles.ReadFile("hs/classification.yaml")
	if err != nil {
		return nil
	}
	return b
}
