package templates

import (
	"embed"
	"io/fs"
)

//go:embed i18n/*.yaml
var i18nFiles embed.FS

// Translations returns the embedded label tables (read-only), one YAML file
// per language named <lang>.yaml, rooted at the i18n directory. Each file has
// "lang", "name" (the language's own name) and "labels" (key: text).
func Translations() fs.FS {
	sub, err := fs.Sub(i18nFiles, "i18n")
	if err != nil { // cannot happen: "i18n" is a valid embedded directory
		return i18nFiles
	}
	return sub
}
