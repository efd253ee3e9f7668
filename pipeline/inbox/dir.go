package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Dir is an inbox in a local directory.
type Dir struct {
	root string
	opts Options
}

// NewDir opens the inbox at root, creating root, done/ and failed/ when
// missing.
func NewDir(root string, o Options) (*Dir, error) {
	for _, d := range []string{root, filepath.Join(root, DoneDir), filepath.Join(root, FailedDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("opening inbox: %w", err)
		}
	}
	return &Dir{root: root, opts: o}, nil
}

// String names the inbox.
func (d *Dir) String() string { return "dir:" + d.root }

// List returns the complete batches.
func (d *Dir) List(ctx context.Context) ([]Batch, []Skipped, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("listing inbox: %w", err)
	}
	entries, err := os.ReadDir(d.root)
	if err != nil {
		return nil, nil, fmt.Errorf("listing inbox: %w", err)
	}
	folders := map[string][]File{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		inner, err := os.ReadDir(filepath.Join(d.root, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // moved away meanwhile
		}
		if err != nil {
			return nil, nil, fmt.Errorf("listing inbox batch %s: %w", e.Name(), err)
		}
		files := []File{}
		for _, f := range inner {
			if !f.Type().IsRegular() {
				continue
			}
			info, err := f.Info()
			if err != nil {
				continue
			}
			files = append(files, File{Name: f.Name(), Size: info.Size(), ModTime: info.ModTime()})
		}
		folders[e.Name()] = files
	}
	b, s := d.opts.complete(folders)
	return b, s, nil
}

// Fetch copies the batch's input files into dir.
func (d *Dir) Fetch(ctx context.Context, b Batch, dir string) error {
	for _, f := range b.Files {
		if f.Name == Marker {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("fetching %s: %w", b.ID, err)
		}
		if err := copyFile(filepath.Join(d.root, b.ID, f.Name), filepath.Join(dir, f.Name)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("fetching %s/%s: %w", b.ID, f.Name, ErrNoBatch)
			}
			return fmt.Errorf("fetching %s/%s: %w", b.ID, f.Name, err)
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Finish writes extra into the batch folder and renames the folder into
// done/ or failed/ (one atomic rename on the same filesystem).
func (d *Dir) Finish(ctx context.Context, b Batch, o Outcome, extra map[string][]byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("moving %s: %w", b.ID, err)
	}
	src := filepath.Join(d.root, b.ID)
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("moving %s: %w", b.ID, ErrNoBatch)
	}
	for name, body := range extra {
		p := filepath.Join(src, name)
		if _, err := os.Stat(p); err == nil {
			p = filepath.Join(src, name+"."+strconv.FormatInt(time.Now().UnixNano(), 10))
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			return "", fmt.Errorf("writing %s into %s: %w", name, b.ID, err)
		}
	}
	for n := 1; ; n++ {
		name := b.ID
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		dst := filepath.Join(d.root, o.dir(), name)
		if _, err := os.Lstat(dst); err == nil {
			continue // never replace an earlier batch of the same name
		}
		if err := os.Rename(src, dst); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("moving %s: %w", b.ID, ErrNoBatch)
			}
			return "", fmt.Errorf("moving %s to %s: %w", b.ID, dst, err)
		}
		return dst, nil
	}
}
