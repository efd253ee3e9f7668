package templates

import "embed"

// genericFiles holds the generic country profile (generic/profile.yaml): what
// clearpack checks for a country that has no profile of its own.
//
//go:embed generic/profile.yaml
var genericFiles embed.FS

// GenericProfile returns generic/profile.yaml.
func GenericProfile() []byte {
	b, err := genericFiles.ReadFile("generic/profile.yaml")
	if err != nil { // embedded at build time: cannot happen
		return nil
	}
	return b
}
