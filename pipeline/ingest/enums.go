package ingest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/clearpack/clearpack/internal/editdist"
)

// Enumerations as exports write them: "Server", "Network Switch", "Pre-owned",
// "TPM 2.0", "NIST 800-88 Purge". An inventory field with a closed set of
// values is matched ignoring case, accents, spaces and punctuation, and
// through the common synonyms below; a user's mapping file (Mapping.Values)
// adds its own. A value nothing matches is left as written, so the schema
// refuses it, and the message then names the nearest known value and the
// mapping entry that would accept it.

// enumField is one closed inventory field.
type enumField struct {
	// allowed are the canonical values, as the schema lists them.
	allowed []string
	// synonyms are folded spellings (see foldEnum) of a canonical value.
	synonyms map[string]string
}

// enumFields are the inventory's closed fields.
var enumFields = map[string]enumField{
	"category": {
		allowed: []string{"server", "storage", "network-switch", "power-supply", "part"},
		synonyms: map[string]string{
			"servers": "server", "rackserver": "server", "bladeserver": "server", "towerserver": "server",
			"computeserver": "server", "compute": "server", "computenode": "server", "host": "server",
			"storagearray": "storage", "storagesystem": "storage", "storagesystems": "storage", "san": "storage",
			"nas": "storage", "diskarray": "storage", "diskshelf": "storage", "storageenclosure": "storage",
			"switch": "network-switch", "switches": "network-switch", "networkswitches": "network-switch",
			"ethernetswitch": "network-switch", "lanswitch": "network-switch", "datacenterswitch": "network-switch",
			"psu": "power-supply", "psus": "power-supply", "powersupplies": "power-supply", "powersupplyunit": "power-supply",
			"parts": "part", "sparepart": "part", "spareparts": "part", "spare": "part", "spares": "part",
			"component": "part", "components": "part", "accessory": "part", "accessories": "part",
		},
	},
	"condition": {
		allowed: []string{"new", "refurbished", "used"},
		synonyms: map[string]string{
			"brandnew": "new", "newinbox": "new", "unused": "new", "factorysealed": "new",
			"refurb": "refurbished", "refurbed": "refurbished", "renewed": "refurbished", "remanufactured": "refurbished",
			"reconditioned": "refurbished", "certifiedrefurbished": "refurbished", "recertified": "refurbished",
			"preowned": "used", "secondhand": "used", "2ndhand": "used", "usedworking": "used", "pulled": "used",
		},
	},
	"eccn_source": {
		allowed: []string{"manufacturer", "self"},
		synonyms: map[string]string{
			"mfr": "manufacturer", "oem": "manufacturer", "vendor": "manufacturer", "maker": "manufacturer",
			"selfclassified": "self", "selfclassification": "self", "exporter": "self", "internal": "self",
		},
	},
}

// foldEnum folds a value for matching: lower case, accents dropped, only
// letters and digits kept ("Network Switch" = "network-switch" =
// "NETWORK_SWITCH").
func foldEnum(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// canonical returns the allowed value s stands for, if any.
func (e enumField) canonical(s string) (string, bool) {
	if slices.Contains(e.allowed, s) { // as clearpack writes it: the common case, kept cheap
		return s, true
	}
	k := foldEnum(s)
	for _, a := range e.allowed {
		if k == foldEnum(a) {
			return a, true
		}
	}
	if c, ok := e.synonyms[k]; ok {
		return c, true
	}
	return "", false
}

// nearest is the known value (allowed, synonym or mapped spelling) closest
// to s by edit distance on the folded text, as the canonical value it
// stands for.
func (e enumField) nearest(s string, mapped map[string]string) string {
	k := foldEnum(s)
	best, bestD := e.allowed[0], -1
	try := func(spelling, canon string) {
		if d := editdist.Levenshtein(k, foldEnum(spelling)); bestD < 0 || d < bestD {
			best, bestD = canon, d
		}
	}
	for _, a := range e.allowed {
		try(a, a)
	}
	// In a fixed order: of two equally near, the first wins.
	for _, syn := range slices.Sorted(maps.Keys(e.synonyms)) {
		try(syn, e.synonyms[syn])
	}
	for _, from := range slices.Sorted(maps.Keys(mapped)) {
		if c, ok := e.canonical(mapped[from]); ok {
			try(from, c)
		}
	}
	return best
}

// Sanitisation wordings. NIST SP 800-88 names three methods (Clear, Purge,
// Destroy); IEEE 2883-2022 names Clear, Purge and Destruct and the
// techniques under them. The technique says the method: an overwrite is a
// Clear, a cryptographic or block erase, a sanitize command or degaussing a
// Purge, shredding, disintegrating, pulverising or incinerating a Destroy.
// The first match in this order wins, so "Purge (crypto erase)" is a Purge
// and "Destroy after overwrite" a Destroy.
var sanitisationWords = []struct {
	method string
	re     *regexp.Regexp
}{
	{"destroy", regexp.MustCompile(`\b(destroy\w*|destruct\w*|shred\w*|disintegrat\w*|pulveri[sz]\w*|incinerat\w*|melt\w*|crush\w*|drill\w*|physical(ly)? destr\w*)\b`)},
	{"purge", regexp.MustCompile(`\b(purge\w*|crypto(graphic)?[ -]?erase\w*|cryptographic(ally)? eras\w*|block[ -]?erase|sanitize (command|purge)|sanitize|secure[ -]?erase\w*|enhanced secure erase|degauss\w*|format nvm)\b`)},
	{"clear", regexp.MustCompile(`\b(clear\w*|overwrit\w*|wipe\w*|wiped|single[ -]pass|1[ -]pass|zero[ -]?fill\w*|factory reset)\b`)},
}

// sanitisationMethod reads a sanitisation wording ("NIST 800-88 Purge",
// "IEEE 2883 Cryptographic Erase", "Shredded") as its NIST SP 800-88 method.
func sanitisationMethod(s string) (string, bool) {
	switch s {
	case "clear", "purge", "destroy":
		return s, true
	}
	l := strings.ToLower(s)
	for _, w := range sanitisationWords {
		if w.re.MatchString(l) {
			return w.method, true
		}
	}
	return "", false
}

// tpmPresence reads a TPM field as exports write it: a yes/no, or the
// module's description ("TPM 2.0", "Infineon SLB9670 2.0", "none").
func tpmPresence(s string) (present, ok bool) {
	k := foldEnum(s)
	switch k {
	case "", "no", "n", "false", "0", "none", "absent", "notpresent", "notinstalled", "notfitted", "na", "without", "notpm":
		return false, true
	case "yes", "y", "true", "1", "present", "installed", "fitted", "onboard", "integrated", "enabled", "disabled", "with":
		return true, true
	}
	l := strings.ToLower(s)
	if strings.Contains(l, "no tpm") || strings.Contains(l, "without tpm") || strings.Contains(l, "not present") {
		return false, true
	}
	if strings.Contains(k, "tpm") || strings.Contains(k, "ftpm") || strings.Contains(k, "ptt") || tpmVersion.MatchString(l) {
		return true, true
	}
	return false, false
}

var tpmVersion = regexp.MustCompile(`(^|[^0-9.])(1\.2|2\.0)($|[^0-9])`)

// enumHint is what an unknown closed value's message adds: the nearest
// known value and the mapping entry that would accept it.
func enumHint(field, found, nearest string, m *Mapping) string {
	return fmt.Sprintf("; nearest known value %q; or add it to %s under values: %s: %s: %s", nearest, mappingWhere(m), field, quoteYAML(found), nearest)
}

// quoteYAML quotes a value for a line of YAML a user copies.
func quoteYAML(s string) string {
	return fmt.Sprintf("%q", s)
}

// normaliseEnums rewrites the closed fields of an inventory record to their
// canonical values, keeps the original wording of the TPM and the
// sanitisation method (tpm_text, sanitisation_text: the specification list
// and the condition declaration print them), and returns, per field left
// unknown, the hint its message gets.
func normaliseEnums(m map[string]any, mp *Mapping) map[string]string {
	var hints map[string]string
	hint := func(field, h string) {
		if hints == nil {
			hints = map[string]string{}
		}
		hints[field] = h
	}
	for field, e := range enumFields {
		s, ok := m[field].(string)
		if !ok {
			continue
		}
		if c, ok := e.canonical(s); ok {
			if c != s {
				m[field] = c
			}
			continue
		}
		var mapped map[string]string
		if mp != nil {
			mapped = mp.values[field]
		}
		hint(field, enumHint(field, s, e.nearest(s, mapped), mp))
	}
	if s, ok := m["sanitisation_method"].(string); ok && s != "" {
		switch method, known := sanitisationMethod(s); {
		case !known:
			hint("sanitisation_method", fmt.Sprintf("; an overwrite is clear, a cryptographic or block erase, sanitize or degauss is purge, shredding or disintegration is destroy; or add it to %s under values: sanitisation_method: %s: purge",
				mappingWhere(mp), quoteYAML(s)))
		case method != s:
			m["sanitisation_method"] = method
			if foldEnum(s) != method {
				m["sanitisation_text"] = s
			}
		}
	}
	if s, ok := m["tpm"].(string); ok {
		if present, ok := tpmPresence(s); ok {
			m["tpm"] = present
			if strings.TrimSpace(s) != "" && !isYesNo(s) {
				m["tpm_text"] = s
			}
		} else {
			hint("tpm", fmt.Sprintf("; or add it to %s under values: tpm: %s: \"TPM 2.0\" (or \"none\")", mappingWhere(mp), quoteYAML(s)))
		}
	}
	return hints
}

func mappingWhere(m *Mapping) string {
	if m != nil && m.File != "" {
		return "the mapping file " + m.File
	}
	return "a mapping file (--mapping)"
}

func isYesNo(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "no", "true", "false", "1", "0", "y", "n":
		return true
	}
	return false
}
