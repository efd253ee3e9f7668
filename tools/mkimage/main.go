// Command mkimage builds clearpack's container image without a network or a
// container engine: one layer over an empty base holding the static binary,
// the build machine's CA certificates and an /etc/passwd and /etc/group
// naming the non-root user the image runs as. It writes an OCI image layout
// and a docker-archive tarball (for docker load / podman load). make image
// runs it; the same inputs and SOURCE_DATE_EPOCH give the same image digest.
package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The user the image runs as (no login shell, no password), and the
// directories a container writes to: mount volumes there when the root
// filesystem is read-only.
const (
	uid     = 65532
	user    = "clearpack"
	workDir = "/var/lib/clearpack" // the default var/archive and serve's var/state land here
	homeDir = "/home/clearpack"    // read only: ~/.ssh/known_hosts, ~/.aws/credentials
	tmpDir  = "/tmp"               // an S3 inbox's batch inputs while a batch runs
	binPath = "/clearpack"
)

type options struct {
	binary, caFile          string
	tag, ociDir, dockerTar  string
	version, revision, arch string
	source                  string
	created                 time.Time
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("mkimage", flag.ContinueOnError)
	fs.StringVar(&o.binary, "binary", "", "the static clearpack binary (required)")
	fs.StringVar(&o.caFile, "ca", "/etc/ssl/certs/ca-certificates.crt", "CA certificates bundle (PEM) to include")
	fs.StringVar(&o.tag, "tag", "", "the image reference, e.g. ghcr.io/clearpack/clearpack:v0.3.0 (required)")
	fs.StringVar(&o.ociDir, "oci", "", "write an OCI image layout to this directory (replaced)")
	fs.StringVar(&o.dockerTar, "docker-archive", "", "write a docker-archive tarball to this file")
	fs.StringVar(&o.version, "version", "", "the version label (required)")
	fs.StringVar(&o.revision, "revision", "", "the git commit label")
	fs.StringVar(&o.source, "source", "https://github.com/clearpack/clearpack", "the source label")
	fs.StringVar(&o.arch, "arch", "amd64", "the binary's GOARCH")
	epoch := fs.String("created", os.Getenv("SOURCE_DATE_EPOCH"), "creation time, Unix seconds (default $SOURCE_DATE_EPOCH)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.binary == "" || o.tag == "" || o.version == "" {
		return errors.New("-binary, -tag and -version are required")
	}
	if o.ociDir == "" && o.dockerTar == "" {
		return errors.New("give -oci DIR or -docker-archive FILE (or both)")
	}
	if *epoch == "" {
		return errors.New("-created or SOURCE_DATE_EPOCH is required: the image must be reproducible")
	}
	secs, err := strconv.ParseInt(*epoch, 10, 64)
	if err != nil {
		return fmt.Errorf("-created %q: want Unix seconds: %w", *epoch, err)
	}
	o.created = time.Unix(secs, 0).UTC()
	img, err := build(o)
	if err != nil {
		return err
	}
	ref, err := name.NewTag(o.tag)
	if err != nil {
		return fmt.Errorf("-tag %q: %w", o.tag, err)
	}
	if o.ociDir != "" {
		if err := os.RemoveAll(o.ociDir); err != nil {
			return err
		}
		p, err := layout.Write(o.ociDir, empty.Index)
		if err != nil {
			return fmt.Errorf("writing the OCI layout %s: %w", o.ociDir, err)
		}
		if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{
			"org.opencontainers.image.ref.name": ref.String(),
		})); err != nil {
			return fmt.Errorf("writing the OCI layout %s: %w", o.ociDir, err)
		}
	}
	if o.dockerTar != "" {
		if err := tarball.WriteToFile(o.dockerTar, ref, img); err != nil {
			return fmt.Errorf("writing %s: %w", o.dockerTar, err)
		}
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s %s\n", ref, d)
	return nil
}

func build(o options) (v1.Image, error) {
	bin, err := os.ReadFile(o.binary)
	if err != nil {
		return nil, err
	}
	ca, err := os.ReadFile(o.caFile)
	if err != nil {
		return nil, fmt.Errorf("reading the CA certificates (Debian: apt-get install ca-certificates): %w", err)
	}
	layerTar, err := rootfs(o.created, bin, ca)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: o.created},
			CreatedBy: "make image (tools/mkimage)",
			Comment:   "clearpack " + o.version + ", CA certificates, user " + user,
		},
	})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", o.arch
	cf.Created = v1.Time{Time: o.created}
	cf.Author = "clearpack"
	cf.Config.User = fmt.Sprintf("%d:%d", uid, uid)
	cf.Config.Entrypoint = []string{binPath}
	cf.Config.Cmd = []string{"--help"}
	cf.Config.WorkingDir = workDir
	cf.Config.Env = []string{
		"PATH=/",
		"HOME=" + homeDir,
		"TMPDIR=" + tmpDir,
		"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
	}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":       "clearpack",
		"org.opencontainers.image.description": "customs documents for IT-hardware shipments: checked, rendered, signed and archived write-once",
		"org.opencontainers.image.version":     o.version,
		"org.opencontainers.image.revision":    o.revision,
		"org.opencontainers.image.source":      o.source,
		"org.opencontainers.image.licenses":    "Apache-2.0",
		"org.opencontainers.image.created":     o.created.Format(time.RFC3339),
	}
	cf.Config.Volumes = map[string]struct{}{tmpDir: {}, workDir: {}}
	return mutate.ConfigFile(img, cf)
}

// rootfs is the image's only layer, entries in a fixed order with fixed
// times and owners.
func rootfs(created time.Time, bin, ca []byte) ([]byte, error) {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:clearpack:%s:/sbin/nologin\n", user, uid, uid, homeDir)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", user, uid)
	type entry struct {
		name     string
		mode     int64
		owner    int
		contents []byte // nil: a directory
	}
	entries := []entry{
		{"clearpack", 0o755, 0, bin},
		{"etc/", 0o755, 0, nil},
		{"etc/group", 0o644, 0, []byte(group)},
		{"etc/passwd", 0o644, 0, []byte(passwd)},
		{"etc/ssl/", 0o755, 0, nil},
		{"etc/ssl/certs/", 0o755, 0, nil},
		{"etc/ssl/certs/ca-certificates.crt", 0o644, 0, ca},
		{"home/", 0o755, 0, nil},
		{"home/clearpack/", 0o700, uid, nil},
		{"tmp/", 0o1777, 0, nil},
		{"var/", 0o755, 0, nil},
		{"var/lib/", 0o755, 0, nil},
		{"var/lib/clearpack/", 0o700, uid, nil},
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{
			Name: e.name, Mode: e.mode, Uid: e.owner, Gid: e.owner, ModTime: created,
			Typeflag: tar.TypeReg, Size: int64(len(e.contents)), Format: tar.FormatPAX,
		}
		if e.owner == uid {
			h.Uname, h.Gname = user, user
		} else {
			h.Uname, h.Gname = "root", "root"
		}
		if e.contents == nil {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.contents); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
