package verify

import _ "embed"

// AuditorGuide is AUDITOR.md: how to check a pack with sha256sum, openssl
// and cosign alone. Evidence packages carry it.
//
//go:embed AUDITOR.md
var AuditorGuide []byte
