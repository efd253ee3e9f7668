package templates

import (
	"embed"
	"io/fs"
)

//go:embed fonts/*.ttf fonts/OFL.txt
var fontFiles embed.FS

// FontRegular and FontBold are the file names, under Fonts(), of the one
// font family the documents are printed in (Noto Sans merged with Noto Sans
// Thai; see fonts/README.md for how it was made).
const (
	FontRegular = "NotoSansLatinThai-Regular.ttf"
	FontBold    = "NotoSansLatinThai-Bold.ttf"
)

// Fonts returns the embedded font files (read-only), rooted at the fonts
// directory, with their licence OFL.txt.
func Fonts() fs.FS {
	sub, err := fs.Sub(fontFiles, "fonts")
	if err != nil { // cannot happen: "fonts" is a valid embedded directory
		return fontFiles
	}
	return sub
}
