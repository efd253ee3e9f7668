// Package docs_test checks the deployment samples people copy.
package docs_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/clearpack/clearpack/internal/testenv"
)

// podSpec finds the pod template's spec in a workload manifest.
func podSpec(doc map[string]any) (map[string]any, bool) {
	path := map[string][]string{
		"CronJob":    {"spec", "jobTemplate", "spec", "template", "spec"},
		"Job":        {"spec", "template", "spec"},
		"Deployment": {"spec", "template", "spec"},
	}[str(doc["kind"])]
	if path == nil {
		return nil, false
	}
	var cur any = doc
	for _, k := range path {
		m, _ := cur.(map[string]any)
		cur = m[k]
	}
	m, ok := cur.(map[string]any)
	return m, ok
}

func str(v any) string { s, _ := v.(string); return s }

func get(m any, keys ...string) any {
	for _, k := range keys {
		mm, _ := m.(map[string]any)
		m = mm[k]
	}
	return m
}

// The Kubernetes samples meet the "restricted" Pod Security Standard (the
// checks it makes of a pod, as kubernetes.io/docs/concepts/security/
// pod-security-standards lists them) and also run with a read-only root
// filesystem; and every workload kind the README promises is there.
func TestKubernetesSamplesRestricted(t *testing.T) {
	files, _ := filepath.Glob("kubernetes/*.yaml")
	kinds := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			spec, ok := podSpec(doc)
			if !ok {
				continue
			}
			name := f + " " + str(doc["kind"])
			kinds[str(doc["kind"])] = true
			checkRestricted(t, name, spec)
		}
	}
	for _, k := range []string{"CronJob", "Job", "Deployment"} {
		if !kinds[k] {
			t.Errorf("no %s sample in docs/kubernetes", k)
		}
	}
}

func checkRestricted(t *testing.T, name string, spec map[string]any) {
	t.Helper()
	for _, k := range []string{"hostNetwork", "hostPID", "hostIPC"} {
		if spec[k] == true {
			t.Errorf("%s: %s", name, k)
		}
	}
	for _, v := range asList(spec["volumes"]) {
		if get(v, "hostPath") != nil {
			t.Errorf("%s: a hostPath volume", name)
		}
	}
	podSC := spec["securityContext"]
	containers := append(asList(spec["containers"]), asList(spec["initContainers"])...)
	if len(containers) == 0 {
		t.Fatalf("%s: no containers", name)
	}
	for _, c := range containers {
		cn := name + " container " + str(get(c, "name"))
		sc := get(c, "securityContext")
		// Either level may set these; the container's wins.
		either := func(keys ...string) any {
			if v := get(sc, keys...); v != nil {
				return v
			}
			return get(podSC, keys...)
		}
		if either("runAsNonRoot") != true {
			t.Errorf("%s: runAsNonRoot is not true", cn)
		}
		if uid, ok := either("runAsUser").(int); ok && uid == 0 {
			t.Errorf("%s: runAsUser 0", cn)
		}
		if st := str(either("seccompProfile", "type")); st != "RuntimeDefault" && st != "Localhost" {
			t.Errorf("%s: seccompProfile.type %q, want RuntimeDefault", cn, st)
		}
		if get(sc, "allowPrivilegeEscalation") != false {
			t.Errorf("%s: allowPrivilegeEscalation is not false", cn)
		}
		if get(sc, "privileged") == true {
			t.Errorf("%s: privileged", cn)
		}
		if drop := asList(get(sc, "capabilities", "drop")); !slices.Contains(drop, any("ALL")) {
			t.Errorf("%s: capabilities.drop lacks ALL: %v", cn, drop)
		}
		for _, add := range asList(get(sc, "capabilities", "add")) {
			if add != "NET_BIND_SERVICE" {
				t.Errorf("%s: adds capability %v", cn, add)
			}
		}
		if get(sc, "readOnlyRootFilesystem") != true {
			t.Errorf("%s: readOnlyRootFilesystem is not true", cn)
		}
		if img := str(get(c, "image")); img == "" || strings.HasSuffix(img, ":latest") || !strings.Contains(img, ":") {
			t.Errorf("%s: image %q is not pinned to a version", cn, img)
		}
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }

var exposure = regexp.MustCompile(`Overall exposure level for clearpack\.service: ([0-9.]+)`)

// The systemd unit is hardened: systemd-analyze security rates it 3 or
// below (it was 8.5 "EXPOSED"), the units verify, and the user it runs as is
// created by the sysusers.d entry beside it.
func TestSystemdUnitHardened(t *testing.T) {
	sa := testenv.Tool(t, "systemd-analyze")
	out, err := exec.Command(sa, "security", "--offline=true", "systemd/clearpack.service").CombinedOutput()
	m := exposure.FindSubmatch(out)
	if m == nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	if score, _ := strconv.ParseFloat(string(m[1]), 64); score > 3 {
		t.Errorf("systemd-analyze security rates clearpack.service %.1f, want 3 or below\n%s", score, out)
	}
	// verify: the only complaint allowed is the binary not installed here.
	out, _ = exec.Command(sa, "verify", "systemd/clearpack.service", "systemd/clearpack.timer").CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" && !strings.Contains(line, "/usr/local/bin/clearpack is not executable") {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}

	unit, err := os.ReadFile("systemd/clearpack.service")
	if err != nil {
		t.Fatal(err)
	}
	sysusers, err := os.ReadFile("systemd/clearpack.sysusers")
	if err != nil {
		t.Fatal(err)
	}
	user := regexp.MustCompile(`(?m)^User=(\S+)$`).FindSubmatch(unit)
	if user == nil {
		t.Fatal("clearpack.service names no User=")
	}
	if !regexp.MustCompile(`(?m)^u ` + regexp.QuoteMeta(string(user[1])) + ` `).Match(sysusers) {
		t.Errorf("clearpack.sysusers does not create the unit's user %s:\n%s", user[1], sysusers)
	}
}

// make release builds, for every platform it ships, a static binary (no cgo)
// without build paths and with the version stamped, and the checksums.
// (Running it takes minutes; this checks the recipe it would run.)
func TestReleaseRecipe(t *testing.T) {
	mk := testenv.Tool(t, "make")
	cmd := exec.Command(mk, "-n", "release", "VERSION=v1.2.3")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n release: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{
		"CGO_ENABLED=0", "-trimpath", "-X github.com/clearpack/clearpack/pipeline.Version=v1.2.3",
		"linux/amd64", "linux/arm64", "clearpack_v1.2.3_", "sha256sum clearpack_* > SHA256SUMS",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("make release does not %q:\n%s", want, s)
		}
	}
}
