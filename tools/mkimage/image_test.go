package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/clearpack/clearpack/internal/testenv"
)

// repoRoot is the module's root (this package is tools/mkimage).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// makeIn runs make in dir and returns its standard output.
func makeIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, "make"), append([]string{"-s", "--no-print-directory", "-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// makeVar prints one Makefile variable as make computes it.
func makeVar(t *testing.T, dir, name string) string {
	t.Helper()
	return strings.TrimSpace(makeIn(t, dir, "print-"+name))
}

// makeImage runs make image into dist and returns the digest it printed.
func makeImage(t *testing.T, root, dist string) string {
	t.Helper()
	out := strings.TrimSpace(makeIn(t, root, "image", "DIST="+dist))
	lines := strings.Split(out, "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) != 2 || !strings.HasPrefix(f[1], "sha256:") {
		t.Fatalf("make image printed %q, want its last line to be REF DIGEST", out)
	}
	return f[1]
}

// The image make image builds, as docker load and a registry would see it:
// its config, its exact files, and the binary in it running with nothing
// from the host.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release binary and the image")
	}
	testenv.Tool(t, "git")
	root := repoRoot(t)
	dist := t.TempDir()
	digest := makeImage(t, root, dist)
	version := makeVar(t, root, "VERSION")
	imageRef := makeVar(t, root, "IMAGE") + ":" + version
	arch := makeVar(t, root, "IMAGE_ARCH")
	revision := makeVar(t, root, "REVISION")
	epoch, err := strconv.ParseInt(makeVar(t, root, "SOURCE_DATE_EPOCH"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Unix(epoch, 0).UTC()
	if !strings.HasPrefix(version, "v") || revision == "" {
		t.Fatalf("make computed version %q, revision %q", version, revision)
	}

	// Reproducible: the same commit gives the same image.
	if again := makeImage(t, root, t.TempDir()); again != digest {
		t.Errorf("make image twice: digests %s and %s differ", digest, again)
	}

	// The OCI layout: one image, named, with the digest make printed.
	idx, err := layout.ImageIndexFromPath(filepath.Join(dist, "image-oci"))
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 {
		t.Fatalf("OCI layout holds %d manifests, want 1", len(im.Manifests))
	}
	desc := im.Manifests[0]
	if desc.Digest.String() != digest || desc.Annotations["org.opencontainers.image.ref.name"] != imageRef {
		t.Errorf("OCI layout: %s named %q, want %s named %q", desc.Digest, desc.Annotations["org.opencontainers.image.ref.name"], digest, imageRef)
	}
	img, err := idx.Image(desc.Digest)
	if err != nil {
		t.Fatal(err)
	}

	// The docker-archive: the same config and layer, under the tag.
	archivePath := filepath.Join(dist, fmt.Sprintf("clearpack_%s_image_linux_%s.tar", version, arch))
	dimg, err := tarball.ImageFromPath(archivePath, nil)
	if err != nil {
		t.Fatalf("loading the docker-archive: %v", err)
	}
	tm, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(archivePath) })
	if err != nil {
		t.Fatal(err)
	}
	if len(tm) != 1 || !slices.Equal(tm[0].RepoTags, []string{imageRef}) {
		t.Errorf("docker-archive manifest %+v, want one image tagged %s", tm, imageRef)
	}
	c1, _ := img.ConfigName()
	c2, _ := dimg.ConfigName()
	if c1 != c2 {
		t.Errorf("docker-archive config %s, OCI layout config %s: not the same image", c2, c1)
	}

	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User != "65532:65532" || !slices.Equal(c.Entrypoint, []string{"/clearpack"}) || c.WorkingDir != "/var/lib/clearpack" {
		t.Errorf("config: user %q entrypoint %q workdir %q, want 65532:65532 [/clearpack] /var/lib/clearpack", c.User, c.Entrypoint, c.WorkingDir)
	}
	if cf.OS != "linux" || cf.Architecture != arch || !cf.Created.Time.Equal(created) {
		t.Errorf("config: %s/%s created %s, want linux/%s created %s (the commit's time)", cf.OS, cf.Architecture, cf.Created.Time, arch, created)
	}
	for k, want := range map[string]string{
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.revision": revision,
		"org.opencontainers.image.source":   "https://github.com/clearpack/clearpack",
		"org.opencontainers.image.licenses": "Apache-2.0",
		"org.opencontainers.image.created":  created.Format(time.RFC3339),
	} {
		if got := c.Labels[k]; got != want {
			t.Errorf("label %s = %q, want %q", k, got, want)
		}
	}
	for _, want := range []string{"HOME=/home/clearpack", "TMPDIR=/tmp", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"} {
		if !slices.Contains(c.Env, want) {
			t.Errorf("config env %q lacks %s", c.Env, want)
		}
	}

	// The exact file list, owners and modes; extracted to rootfs.
	rootfs := t.TempDir()
	files := extract(t, img, rootfs)
	want := []string{
		"clearpack -rwxr-xr-x 0:0",
		"etc drwxr-xr-x 0:0",
		"etc/group -rw-r--r-- 0:0",
		"etc/passwd -rw-r--r-- 0:0",
		"etc/ssl drwxr-xr-x 0:0",
		"etc/ssl/certs drwxr-xr-x 0:0",
		"etc/ssl/certs/ca-certificates.crt -rw-r--r-- 0:0",
		"home drwxr-xr-x 0:0",
		"home/clearpack drwx------ 65532:65532",
		"tmp dtrwxrwxrwx 0:0",
		"var drwxr-xr-x 0:0",
		"var/lib drwxr-xr-x 0:0",
		"var/lib/clearpack drwx------ 65532:65532",
	}
	if !slices.Equal(files, want) {
		t.Errorf("image files:\n%s\nwant:\n%s", strings.Join(files, "\n"), strings.Join(want, "\n"))
	}
	passwd, _ := os.ReadFile(filepath.Join(rootfs, "etc/passwd"))
	group, _ := os.ReadFile(filepath.Join(rootfs, "etc/group"))
	if !strings.Contains(string(passwd), "\nclearpack:x:65532:65532:clearpack:/home/clearpack:/sbin/nologin\n") ||
		!strings.Contains(string(group), "\nclearpack:x:65532:\n") {
		t.Errorf("/etc/passwd %q, /etc/group %q: want user and group clearpack, 65532", passwd, group)
	}
	hostCA, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatal(err)
	}
	if ca, _ := os.ReadFile(filepath.Join(rootfs, "etc/ssl/certs/ca-certificates.crt")); !bytes.Equal(ca, hostCA) {
		t.Error("the image's CA certificates are not the build machine's /etc/ssl/certs/ca-certificates.crt")
	}

	// The binary out of the image, with the image's environment only.
	sample := filepath.Join(root, "testdata", "sample")
	t.Run("extracted", func(t *testing.T) { runExtracted(t, rootfs, c, sample, version) })
	t.Run("podman", func(t *testing.T) { runPodman(t, archivePath, imageRef, sample, version) })
}

// extract writes the image's files under dir and lists them as
// "path mode uid:gid" in layer order.
func extract(t *testing.T, img v1.Image, dir string) []string {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	var files []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fmt.Sprintf("%s %s %d:%d", h.Name, h.FileInfo().Mode(), h.Uid, h.Gid))
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			t.Fatalf("layer entry %q leaves the root", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, h.FileInfo().Mode().Perm()|0o755); err != nil { // rx for the test's user
				t.Fatal(err)
			}
		case tar.TypeReg:
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, h.FileInfo().Mode().Perm()); err != nil {
				t.Fatal(err)
			}
		default:
			t.Errorf("layer entry %q: type %c, want files and directories only", h.Name, h.Typeflag)
		}
	}
	return files
}

const sampleValidated = "20 shipments checked: 19 passed, 1 failed"

// runExtracted runs /clearpack of the extracted image: chrooted as user
// 65532 when the test runs as root (nothing from the host is visible), else
// directly.
func runExtracted(t *testing.T, rootfs string, c v1.Config, sample, version string) {
	// The sample, where the container would mount it.
	if err := os.MkdirAll(filepath.Join(rootfs, "sample"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"inventory.csv", "plan.yaml", "clearances.yaml"} {
		b, err := os.ReadFile(filepath.Join(sample, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(rootfs, "sample", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, int) {
		var cmd *exec.Cmd
		if os.Geteuid() == 0 {
			cmd = exec.Command(c.Entrypoint[0], args...)
			cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: rootfs, Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
			cmd.Dir = c.WorkingDir
		} else {
			cmd = exec.Command(filepath.Join(rootfs, c.Entrypoint[0]), args...)
			cmd.Dir = filepath.Join(rootfs, "sample")
			for i, a := range args {
				if strings.HasPrefix(a, "/sample/") {
					args[i] = filepath.Join(rootfs, a)
				}
			}
			cmd.Args = append([]string{cmd.Path}, args...)
		}
		cmd.Env = c.Env
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("running /clearpack: %v", err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	if os.Geteuid() == 0 {
		t.Log("chroot into the extracted image as user 65532")
	} else {
		t.Log("not root: running the extracted binary without chroot")
	}
	if out, code := run("--version"); code != 0 || !strings.HasPrefix(out, "clearpack "+version+"\n") {
		t.Errorf("/clearpack --version: exit %d, %q; want clearpack %s", code, out, version)
	}
	out, code := run("validate", "--inventory", "/sample/inventory.csv", "--plan", "/sample/plan.yaml", "--clearances", "/sample/clearances.yaml")
	if code != 3 || !strings.Contains(out, sampleValidated) {
		t.Errorf("/clearpack validate of the sample: exit %d, want 3 and %q; output ends %q", code, sampleValidated, tail(out))
	}
}

func tail(s string) string {
	if len(s) > 600 {
		return "..." + s[len(s)-600:]
	}
	return s
}

// runPodman loads the docker-archive into podman and runs it with a
// read-only root filesystem, writing only to the volumes the README names.
func runPodman(t *testing.T, archivePath, ref, sample, version string) {
	podman, err := exec.LookPath("podman")
	if err != nil {
		testenv.Missing(t, "podman not installed (make apt-tools installs it): the image was not run by a container runtime")
	}
	if out, err := exec.Command(podman, "load", "-q", "-i", archivePath).CombinedOutput(); err != nil {
		t.Fatalf("podman load: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(podman, "rmi", "--ignore", ref).Run() })
	work := t.TempDir()
	if err := os.Chown(work, 65532, 65532); err != nil && os.Geteuid() == 0 {
		t.Fatal(err)
	}
	// Limits no higher than this process's own: a sandbox without
	// CAP_SYS_RESOURCE refuses the runtime's defaults (and, here, any
	// process limit near the host's).
	base := []string{"run", "--rm", "--pull", "never", "--read-only", "--network", "none",
		"-v", sample + ":/sample:ro", "-v", work + ":/var/lib/clearpack", "--tmpfs", "/tmp"}
	for _, l := range []struct {
		name string
		res  int
		max  uint64
	}{{"nofile", syscall.RLIMIT_NOFILE, 1 << 20}, {"nproc", 6 /* RLIMIT_NPROC */, 4096}} {
		var r syscall.Rlimit
		if err := syscall.Getrlimit(l.res, &r); err == nil {
			base = append(base, "--ulimit", fmt.Sprintf("%s=%d:%d", l.name, min(r.Cur, l.max), min(r.Cur, l.max)))
		}
	}
	run := func(runtime string, args ...string) (string, int, error) {
		a := slices.Clone(base)
		if runtime != "" {
			a = append(a, "--runtime", runtime)
		}
		cmd := exec.Command(podman, append(append(a, ref), args...)...)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return string(out), -1, err
		}
		return string(out), cmd.ProcessState.ExitCode(), nil
	}
	runtime := ""
	out, code, err := run(runtime, "--version")
	if err == nil && code >= 125 && strings.Contains(out, "OCI runtime") {
		// crun refuses a host whose cgroups are in hybrid mode; runc runs there.
		if _, lerr := exec.LookPath("runc"); lerr == nil {
			t.Logf("podman's default runtime failed (%s); trying runc", strings.TrimSpace(out))
			runtime = "runc"
			out, code, err = run(runtime, "--version")
		}
	}
	if err != nil || code >= 125 {
		testenv.Missing(t, "podman cannot run containers here (exit %d, %v): %s", code, err, strings.TrimSpace(out))
	}
	if code != 0 || !strings.HasPrefix(out, "clearpack "+version+"\n") {
		t.Fatalf("podman run --read-only %s --version: exit %d, %q", ref, code, out)
	}
	out, code, err = run(runtime, "validate", "--inventory", "/sample/inventory.csv", "--plan", "/sample/plan.yaml", "--clearances", "/sample/clearances.yaml")
	if err != nil || code != 3 || !strings.Contains(out, sampleValidated) {
		t.Errorf("podman run --read-only validate of the sample: exit %d (%v), want 3 and %q; output ends %q", code, err, sampleValidated, tail(out))
	}
	// Writing: a key into the working directory's volume.
	out, code, err = run(runtime, "keygen", "--out", "var/key.pem")
	if err != nil || code != 0 {
		t.Errorf("podman run --read-only keygen into /var/lib/clearpack: exit %d (%v): %s", code, err, out)
	} else if _, err := os.Stat(filepath.Join(work, "var", "key.pub")); err != nil {
		t.Errorf("keygen in the container wrote no var/key.pub in the volume: %v", err)
	}
}

var imageLine = regexp.MustCompile(`(?m)^\s*image:\s*(\S+)\s*$`)
var userLine = regexp.MustCompile(`(?m)^\s*(runAsUser|runAsGroup|fsGroup):\s*(\S+)\s*$`)

// The Kubernetes samples name the image as make image tags the next
// release, and run as the image's user.
func TestSamplesNameTheImage(t *testing.T) {
	root := repoRoot(t)
	next, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := makeVar(t, root, "IMAGE") + ":v" + strings.TrimSpace(string(next))
	samples, err := filepath.Glob(filepath.Join(root, "docs", "kubernetes", "*.yaml"))
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples in docs/kubernetes: %v", err)
	}
	for _, f := range samples {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		images := imageLine.FindAllStringSubmatch(string(b), -1)
		if len(images) == 0 {
			t.Errorf("%s names no image", f)
		}
		for _, m := range images {
			if m[1] != want {
				t.Errorf("%s: image %s, want %s (make image's tag of the next release)", f, m[1], want)
			}
		}
		for _, m := range userLine.FindAllStringSubmatch(string(b), -1) {
			if m[2] != "65532" {
				t.Errorf("%s: %s %s, want 65532 (the image's user)", f, m[1], m[2])
			}
		}
	}
}
