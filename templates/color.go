package templates

import _ "embed"

// srgb is the sRGB IEC61966-2.1 ICC profile (v2, 6,922 bytes) from
// Debian's icc-profiles-free, Zlib licence: color/LICENSE.sRGB.txt.
//
//go:embed color/sRGB.icc
var srgb []byte

// SRGBProfile returns the sRGB ICC profile the rendered PDF/A documents
// name as their output intent. The caller must not modify it.
func SRGBProfile() []byte { return srgb }
