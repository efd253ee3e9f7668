// Package pack owns the layout of packs in an archive: it is the one place
// that builds and parses the keys of
//
//	keys/<keyid>.pub                                        public keys that signed anything
//	programs/<program>/shipments/<shipment>/vNNNN/<file>    one pack version
//	programs/<program>/shipments/<shipment>/rejected/<id>/report.json (+ .sig)
//	bundles/<program>/<shipment>/<name>.zip                 bundles issued with a link
//	runs/<YYYY-MM-DD>/<run id>/report.json, report.pdf (+ .sig)   scheduled runs' reports
//
// A Ref names a pack version; ParseKey reads any key of that layout back
// into one. The catalog (Scan, Versions, Histories, Latest) lists what the
// archive holds; Writer writes a pack version, its manifest last; Rejection
// is the signed report of a shipment stopped at the desk.
package pack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
)

const (
	// ProgramsPrefix holds every program's packs and rejection reports.
	ProgramsPrefix = "programs/"
	// KeysPrefix holds the public keys that signed anything in the archive.
	KeysPrefix = "keys/"
	// RejectionName is the report of a shipment stopped at the desk, in its
	// rejection directory (with RejectionName+".sig" beside it).
	RejectionName = "report.json"

	shipments = "shipments"
	rejected  = "rejected"
)

// PublicKeyKey is where the public key with the given key id is kept.
func PublicKeyKey(keyID string) string { return KeysPrefix + keyID + ".pub" }

// RunsPrefix holds the signed reports of scheduled runs (package runreport).
const RunsPrefix = "runs/"

// RunReportDir is the directory (with trailing slash) of one run's report:
// runs/<YYYY-MM-DD>/<run id>/, the day being the run's start, UTC.
func RunReportDir(day, runID string) string { return RunsPrefix + day + "/" + runID + "/" }

// BundlesPrefix holds the bundles issued with a download link.
const BundlesPrefix = "bundles/"

// BundleKey is where a bundle of the shipment named name is kept:
// bundles/<program>/<shipment>/<name>.
func BundleKey(shipment Ref, name string) string {
	return BundlesPrefix + shipment.Program + "/" + shipment.Shipment + "/" + name
}

// Ref names a shipment (Version 0) or one of its pack versions (1, 2, ...).
// Program is the program's archive slug.
type Ref struct {
	Program  string
	Shipment string
	Version  int
}

// Valid checks that the program and shipment can name archive paths and the
// version is not negative.
func (r Ref) Valid() error {
	if err := archive.ValidSegment(r.Program); err != nil {
		return fmt.Errorf("program %q: %w", r.Program, err)
	}
	if err := archive.ValidSegment(r.Shipment); err != nil {
		return fmt.Errorf("shipment %q: %w", r.Shipment, err)
	}
	if r.Version < 0 {
		return fmt.Errorf("pack version %d: want 1 or more", r.Version)
	}
	return nil
}

// ProgramPrefix is the key prefix of a program's shipments, with trailing
// slash.
func ProgramPrefix(program string) string { return ProgramsPrefix + program + "/" + shipments + "/" }

// ShipmentPrefix is the key prefix of everything of the shipment (all
// versions and rejection reports), with trailing slash.
func (r Ref) ShipmentPrefix() string { return ProgramPrefix(r.Program) + r.Shipment + "/" }

// Dir is the pack version's directory without trailing slash: the object the
// audit log's pack events name.
func (r Ref) Dir() string { return r.ShipmentPrefix() + VersionName(r.Version) }

// Prefix is Dir with a trailing slash.
func (r Ref) Prefix() string { return r.Dir() + "/" }

// Key is the key of a file in the pack version.
func (r Ref) Key(name string) string { return r.Prefix() + name }

// ManifestKey is the key of the pack version's manifest, written last.
func (r Ref) ManifestKey() string { return r.Key(manifest.FileName) }

// WithVersion is the same shipment at version v.
func (r Ref) WithVersion(v int) Ref { r.Version = v; return r }

// String is "<program>/<shipment> vNNNN" (without the version for a shipment).
func (r Ref) String() string {
	if r.Version == 0 {
		return r.Program + "/" + r.Shipment
	}
	return r.Program + "/" + r.Shipment + " " + VersionName(r.Version)
}

// VersionName is a version's directory name: "v" and at least four digits.
func VersionName(v int) string { return fmt.Sprintf("v%04d", v) }

// ParseVersion reads a directory name written by VersionName: "v0001" is 1.
// It refuses v0000, signs, spaces and non-canonical forms such as "v00001".
func ParseVersion(s string) (int, bool) {
	if len(s) < 5 || s[0] != 'v' {
		return 0, false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 1 || VersionName(n) != s {
		return 0, false
	}
	return n, true
}

// RejectionID is the name of a rejection report's directory: the first 16
// hex digits of the shipment's input digest, so that the same input rejected
// again lands on the same report.
func RejectionID(inputDigest string) string {
	if len(inputDigest) > 16 {
		return inputDigest[:16]
	}
	return inputDigest
}

// RejectionPrefix is the directory (with trailing slash) of the rejection
// report with the given id.
func (r Ref) RejectionPrefix(id string) string { return r.ShipmentPrefix() + rejected + "/" + id + "/" }

// Key is one parsed key of the layout below ProgramsPrefix.
type Key struct {
	// Ref names the shipment and, for a file of a pack, its version (0 for
	// a rejection report's files).
	Ref
	// Rejection is the rejection directory's id; "" for a file of a pack.
	Rejection string
	// Name is the file's name in its directory.
	Name string
}

// String is the archive key; ParseKey(k.String()) gives k back.
func (k Key) String() string { return k.Prefix() + k.Name }

// Prefix is the key's directory with trailing slash.
func (k Key) Prefix() string {
	if k.Rejection != "" {
		return k.RejectionPrefix(k.Rejection)
	}
	return k.Ref.Prefix()
}

// IsPack says the key is a file of a pack version.
func (k Key) IsPack() bool { return k.Version > 0 }

// IsRejection says the key is a rejection report (not its signature).
func (k Key) IsRejection() bool { return k.Rejection != "" && k.Name == RejectionName }

// ParseKey reads a key of the layout: a file directly in a pack version's
// directory or in a rejection report's directory. Anything else (a key
// outside programs/, a deeper path, a version directory not written by
// VersionName, a segment that could not have been written) is not one.
func ParseKey(key string) (Key, bool) {
	rest, ok := strings.CutPrefix(key, ProgramsPrefix)
	if !ok {
		return Key{}, false
	}
	seg := strings.Split(rest, "/")
	var k Key
	switch {
	case len(seg) == 5 && seg[1] == shipments:
		v, ok := ParseVersion(seg[3])
		if !ok {
			return Key{}, false
		}
		k = Key{Ref: Ref{Program: seg[0], Shipment: seg[2], Version: v}, Name: seg[4]}
	case len(seg) == 6 && seg[1] == shipments && seg[3] == rejected:
		if archive.ValidSegment(seg[4]) != nil {
			return Key{}, false
		}
		k = Key{Ref: Ref{Program: seg[0], Shipment: seg[2]}, Rejection: seg[4], Name: seg[5]}
	default:
		return Key{}, false
	}
	if k.Ref.Valid() != nil || archive.ValidSegment(k.Name) != nil {
		return Key{}, false
	}
	return k, true
}

// ScopeName names a scope (see Scan) as the key path it covers, without
// trailing slash: "programs/p", "programs/p/shipments/s", or a version's Dir.
func ScopeName(scope Ref) string {
	s := ProgramsPrefix + scope.Program
	if scope.Shipment != "" {
		s = strings.TrimSuffix(scope.ShipmentPrefix(), "/")
	}
	if scope.Version > 0 {
		s += "/" + VersionName(scope.Version)
	}
	return s
}
