package pack

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/manifest"
)

// ErrNoPack: the shipment has no complete pack in the archive.
var ErrNoPack = errors.New("no complete pack")

// scopePrefix is the narrowest key prefix holding everything in scope: all
// programs, one program, one shipment, or one pack version.
func scopePrefix(scope Ref) (string, error) {
	switch {
	case scope.Program == "" && scope.Shipment == "" && scope.Version == 0:
		return ProgramsPrefix, nil
	case scope.Program == "":
		return "", errors.New("a shipment needs its program")
	}
	if err := archive.ValidSegment(scope.Program); err != nil {
		return "", fmt.Errorf("program %q: %w", scope.Program, err)
	}
	if scope.Shipment == "" {
		if scope.Version != 0 {
			return "", errors.New("a pack version needs its shipment")
		}
		return ProgramPrefix(scope.Program), nil
	}
	if err := scope.Valid(); err != nil {
		return "", err
	}
	if scope.Version > 0 {
		return scope.Prefix(), nil
	}
	return scope.ShipmentPrefix(), nil
}

// Scan calls fn with every key of the layout within scope (see ParseKey), in
// the store's listing order; scope's empty fields mean all (a Version of 0
// means every version and rejection report). Keys that are not of the
// layout are passed over.
func Scan(ctx context.Context, st archive.Store, scope Ref, fn func(Key, archive.Info) error) error {
	prefix, err := scopePrefix(scope)
	if err != nil {
		return err
	}
	return st.List(ctx, prefix, func(in archive.Info) error {
		k, ok := ParseKey(in.Key)
		if !ok {
			return nil
		}
		return fn(k, in)
	})
}

// History is what the archive holds of one shipment.
type History struct {
	// Ref names the shipment (Version 0).
	Ref Ref
	// Highest is the highest version number used, complete or not;
	// Touched when an object of it was last written.
	Highest int
	Touched time.Time
	// Complete are the versions with a manifest, ascending.
	Complete []int
	// Rejections are the keys of the shipment's rejection reports.
	Rejections []string
}

// Latest is the newest complete version.
func (h *History) Latest() (Ref, bool) {
	if len(h.Complete) == 0 {
		return Ref{}, false
	}
	return h.Ref.WithVersion(h.Complete[len(h.Complete)-1]), true
}

// Incomplete says the highest version has no manifest (yet): a writer is at
// it, or one crashed.
func (h *History) Incomplete() bool {
	return h.Highest > 0 && (len(h.Complete) == 0 || h.Complete[len(h.Complete)-1] != h.Highest)
}

func (h *History) add(k Key, in archive.Info) {
	switch {
	case k.IsRejection():
		h.Rejections = append(h.Rejections, in.Key)
	case k.IsPack():
		if k.Version > h.Highest {
			h.Highest, h.Touched = k.Version, time.Time{}
		}
		if k.Version == h.Highest && in.ModTime.After(h.Touched) {
			h.Touched = in.ModTime
		}
		if k.Name == manifest.FileName {
			h.Complete = append(h.Complete, k.Version)
		}
	}
}

// Histories lists every shipment within scope that has anything archived,
// sorted by program and shipment.
func Histories(ctx context.Context, st archive.Store, scope Ref) ([]*History, error) {
	scope.Version = 0
	by := map[Ref]*History{}
	err := Scan(ctx, st, scope, func(k Key, in archive.Info) error {
		ship := k.Ref.WithVersion(0)
		h := by[ship]
		if h == nil {
			h = &History{Ref: ship}
			by[ship] = h
		}
		h.add(k, in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*History, 0, len(by))
	for _, h := range by {
		sort.Ints(h.Complete)
		sort.Strings(h.Rejections)
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Ref, out[j].Ref
		if a.Program != b.Program {
			return a.Program < b.Program
		}
		return a.Shipment < b.Shipment
	})
	return out, nil
}

// Versions is the history of one shipment (empty when nothing is archived).
func Versions(ctx context.Context, st archive.Store, shipment Ref) (*History, error) {
	shipment.Version = 0
	if err := shipment.Valid(); err != nil {
		return nil, err
	}
	hs, err := Histories(ctx, st, shipment)
	if err != nil {
		return nil, fmt.Errorf("listing the versions of %s: %w", shipment, err)
	}
	if len(hs) == 0 {
		return &History{Ref: shipment}, nil
	}
	return hs[0], nil
}

// Latest is the shipment's newest complete version; ErrNoPack when it has
// none.
func Latest(ctx context.Context, st archive.Store, shipment Ref) (Ref, error) {
	h, err := Versions(ctx, st, shipment)
	if err != nil {
		return Ref{}, err
	}
	ref, ok := h.Latest()
	if !ok {
		return Ref{}, fmt.Errorf("%s: %w", shipment, ErrNoPack)
	}
	return ref, nil
}

// Programs lists the programs with anything archived, sorted.
func Programs(ctx context.Context, st archive.Store) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	err := Scan(ctx, st, Ref{}, func(k Key, _ archive.Info) error {
		if !seen[k.Program] {
			seen[k.Program] = true
			out = append(out, k.Program)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
