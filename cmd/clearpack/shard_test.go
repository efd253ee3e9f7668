package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive"
	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/archive/local"
	"github.com/clearpack/clearpack/archive/manifest"
	"github.com/clearpack/clearpack/archive/pack"
	"github.com/clearpack/clearpack/archive/s3"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/clearpack/clearpack/archive/signing"
	"github.com/clearpack/clearpack/pipeline"
	"gopkg.in/yaml.v3"
)

func TestShardFlags(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	for _, tc := range []struct {
		name  string
		flags shardFlags
		env   func(string) (string, bool)
		want  pipeline.Shard
		err   string
	}{
		{"none", shardFlags{}, env(), pipeline.Shard{}, ""},
		{"explicit", shardFlags{spec: "1/3"}, env(jobIndexEnv, "2"), pipeline.Shard{Index: 1, Count: 3}, ""},
		{"indexed job", shardFlags{count: 3}, env(jobIndexEnv, "2"), pipeline.Shard{Index: 2, Count: 3}, ""},
		{"index not set", shardFlags{count: 3}, env(), pipeline.Shard{}, "$JOB_COMPLETION_INDEX is not set"},
		{"index past count", shardFlags{count: 3}, env(jobIndexEnv, "3"), pipeline.Shard{}, "--shards 3 with $JOB_COMPLETION_INDEX=3: shard index 3 of 3"},
		{"index not a number", shardFlags{count: 3}, env(jobIndexEnv, "x"), pipeline.Shard{}, `$JOB_COMPLETION_INDEX is "x"`},
		{"both", shardFlags{spec: "0/3", count: 3}, env(jobIndexEnv, "0"), pipeline.Shard{}, "give one"},
		{"bad spec", shardFlags{spec: "3"}, env(), pipeline.Shard{}, "--shard: shard \"3\": want INDEX/COUNT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.flags.resolve(tc.env)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			var ee *exitError
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &ee) || ee.code != ExitUsage {
				t.Fatalf("got %v; want a usage error saying %q", err, tc.err)
			}
		})
	}
	// From the command line: the usage error, before any key or archive.
	if code, _, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--shard", "3/3"); code != ExitUsage || !strings.Contains(errOut, "want 0 to 2") {
		t.Errorf("run --shard 3/3: exit %d %q", code, errOut)
	}
	if code, _, errOut := clearpack(t, "run", "--once", "--shard", "0/2"); code != ExitUsage || !strings.Contains(errOut, "--once takes whole inbox batches") {
		t.Errorf("run --once --shard: exit %d %q", code, errOut)
	}
}

// A program spread over three machines as a Kubernetes Indexed Job does it:
// three processes of the built binary, shards 0/3 to 2/3 (one told its
// index by JOB_COMPLETION_INDEX), run at once against one MinIO bucket. The
// archive verifies as an auditor would, with every entry under a signed
// checkpoint; every pack and failure report is there once and recorded
// once; and shard by shard the shipments add up to a single run's, with the
// same outcome and the same documents as rendered.
func TestShardedRunsOneArchive(t *testing.T) {
	srv := s3test.Start(t, s3test.MinIO)
	t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	bin := buildBinary(t)
	ctx := context.Background()
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "key.pem"), filepath.Join(dir, "key.pub")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	inputs := []string{"--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--json"}

	// One run of the whole program, for comparison.
	single := filepath.Join(dir, "single")
	code, out, errOut := clearpack(t, append([]string{"run", "--archive", single}, inputs...)...)
	if code != ExitPartial {
		t.Fatalf("single run: exit %d\n%s", code, errOut)
	}
	var whole pipeline.Summary
	if err := json.Unmarshal([]byte(out), &whole); err != nil {
		t.Fatal(err)
	}

	arch := "s3://clearpack-shards/archive?endpoint=" + srv.Endpoint + "&insecure=true"
	if code, _, errOut := clearpack(t, "archive", "init", "--archive", arch, "--retention-days", "30"); code != ExitOK {
		t.Fatalf("archive init: %s", errOut)
	}
	const n = 3
	type proc struct {
		cmd      *exec.Cmd
		out, err bytes.Buffer
	}
	procs := make([]*proc, n)
	for i := range procs {
		args := append([]string{"run", "--archive", arch}, inputs...)
		p := &proc{}
		p.cmd = exec.Command(bin, args...)
		p.cmd.Env = os.Environ()
		if i == 1 {
			p.cmd.Env = append(p.cmd.Env, "CLEARPACK_SHARDS=3", jobIndexEnv+"=1")
		} else {
			p.cmd.Args = append(p.cmd.Args, "--shard", fmt.Sprintf("%d/%d", i, n))
		}
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
		procs[i] = p
	}
	for _, p := range procs {
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]pipeline.ShipmentResult{}
	for i, p := range procs {
		err := p.cmd.Wait()
		code := p.cmd.ProcessState.ExitCode()
		var sum pipeline.Summary
		if jerr := json.Unmarshal(p.out.Bytes(), &sum); jerr != nil {
			t.Fatalf("shard %d: exit %d (%v), summary: %v\n%s", i, code, err, jerr, p.err.String())
		}
		if want := fmt.Sprintf("%d/%d", i, n); sum.Shard != want || len(sum.Shipments)+sum.OtherShards != len(whole.Shipments) {
			t.Errorf("shard %d: summary says shard %q with %d shipments and %d left to others", i, sum.Shard, len(sum.Shipments), sum.OtherShards)
		}
		if len(sum.Shipments) == 0 {
			t.Errorf("shard %d processed nothing: the test would not show shards running at once", i)
		}
		// The sample's one bad shipment makes its shard's exit partial;
		// the other shards archived all they had.
		wantCode := ExitOK
		for _, s := range sum.Shipments {
			if _, dup := seen[s.ID]; dup {
				t.Errorf("%s processed by two shards", s.ID)
			}
			seen[s.ID] = s
			if s.Status == pipeline.Rejected {
				wantCode = ExitPartial
			}
		}
		if code != wantCode {
			t.Errorf("shard %d: exit %d, want %d\n%s", i, code, wantCode, p.err.String())
		}
	}
	if len(seen) != len(whole.Shipments) {
		t.Errorf("the shards processed %d shipments, a single run %d", len(seen), len(whole.Shipments))
	}
	for _, w := range whole.Shipments {
		s, ok := seen[w.ID]
		switch {
		case !ok:
			t.Errorf("%s: no shard processed it", w.ID)
		case s.Status != w.Status || s.Version != w.Version || s.Path != w.Path || s.InputDigest != w.InputDigest || !slices.Equal(s.Reasons, w.Reasons):
			t.Errorf("%s: sharded %s %d %s %v, single run %s %d %s %v", w.ID, s.Status, s.Version, s.Path, s.Reasons, w.Status, w.Version, w.Path, w.Reasons)
		}
	}

	// The auditor's view: one consistent log, all of it under the latest
	// checkpoint, every pack proved in it.
	code, out, errOut = clearpack(t, "verify", "--archive", arch, "--pub", pub)
	if code != ExitOK {
		t.Fatalf("verify: exit %d\n%s%s", code, tail(out), errOut)
	}
	m := regexp.MustCompile(`(\d+) packs, (\d+) log entries \(latest checkpoint (\d+)\)`).FindStringSubmatch(out)
	if m == nil || m[1] != fmt.Sprint(whole.Count(pipeline.Archived)) || m[2] != m[3] {
		t.Errorf("verify: want %d packs and every log entry under the latest checkpoint: %q", whole.Count(pipeline.Archived), m)
	}

	// Each pack and failure report recorded once, and the same documents as
	// the single run rendered (their first revisions: the embedded
	// signatures differ on every signing).
	st, err := s3.New(ctx, mustParse(t, arch), srv.Creds())
	if err != nil {
		t.Fatal(err)
	}
	lst, err := local.New(single)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := signing.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	known, _, err := auditlog.TrustedVerifiers(ctx, st, pk)
	if err != nil {
		t.Fatal(err)
	}
	state, err := auditlog.Audit(ctx, st, known)
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, w := range whole.Shipments {
		n := 0
		for _, e := range state.Entries {
			if (e.Event == auditlog.EventPackArchived || e.Event == auditlog.EventValidationRejected) && strings.HasPrefix(e.Object+"/", w.Path) {
				n++
			}
		}
		if recorded += n; n != 1 {
			t.Errorf("%s: %d audit entries for %s, want 1", w.ID, n, w.Path)
		}
		if w.Status != pipeline.Archived {
			continue
		}
		ref := pack.Ref{Program: e2eProgram, Shipment: w.ID, Version: w.Version}
		got, want := firstRevisions(ctx, t, st, ref, pk), firstRevisions(ctx, t, lst, ref, pk)
		if got == "" || got != want {
			t.Errorf("%s: the sharded run archived\n%s\nthe single run\n%s", w.ID, got, want)
		}
	}
	if recorded != len(whole.Shipments) {
		t.Errorf("the log records %d packs and reports, the program has %d shipments", recorded, len(whole.Shipments))
	}
}

// firstRevisions describes a pack by its input and its documents as
// rendered: the manifest's first revisions, or the document's digest when
// it carries no embedded signature.
func firstRevisions(ctx context.Context, t *testing.T, st archive.Store, ref pack.Ref, pub crypto.PublicKey) string {
	t.Helper()
	env, err := archive.ReadAll(ctx, st, ref.ManifestKey())
	if err != nil {
		t.Errorf("%s: %v", ref, err)
		return ""
	}
	s, err := manifest.Open(env, pub)
	if err != nil {
		t.Errorf("%s: %v", ref, err)
		return ""
	}
	docs := map[string]string{}
	for _, sub := range s.Subject {
		docs[sub.Name] = sub.SHA256
	}
	for _, u := range s.Predicate.Unsigned {
		docs[u.Name] = "rendered " + u.SHA256
	}
	var b strings.Builder
	fmt.Fprintf(&b, "input %s\n", s.Predicate.InputDigest)
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		fmt.Fprintf(&b, "%s %s\n", name, docs[name])
	}
	return b.String()
}

// The Indexed Job sample works as written: its config file holds only run's
// settings, its shard count is its completions, each pod gets its shard from
// the index Kubernetes sets, and the pod meets the restricted pod security
// standard's fields.
func TestIndexedJobSample(t *testing.T) {
	b, err := os.ReadFile("../../docs/kubernetes/indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type secCtx struct {
		RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	}
	type doc struct {
		Kind string            `yaml:"kind"`
		Data map[string]string `yaml:"data"`
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					SecurityContext secCtx `yaml:"securityContext"`
					Containers      []struct {
						Args            []string `yaml:"args"`
						Env             []struct{ Name, Value string }
						SecurityContext secCtx `yaml:"securityContext"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	var config, job *doc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var d doc
		if err := dec.Decode(&d); err != nil {
			break
		}
		switch d.Kind {
		case "ConfigMap":
			config = &d
		case "Job":
			job = &d
		}
	}
	if config == nil || job == nil || len(job.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("want a ConfigMap and a Job of one container: %v %v", config, job)
	}
	if job.Spec.CompletionMode != "Indexed" {
		t.Errorf("completionMode %q", job.Spec.CompletionMode)
	}
	c := job.Spec.Template.Spec.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	if env["CLEARPACK_SHARDS"] != fmt.Sprint(job.Spec.Completions) {
		t.Errorf("CLEARPACK_SHARDS %q, completions %d", env["CLEARPACK_SHARDS"], job.Spec.Completions)
	}
	pod, ctr := job.Spec.Template.Spec.SecurityContext, c.SecurityContext
	if pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot || pod.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and seccompProfile RuntimeDefault", pod)
	}
	if ctr.AllowPrivilegeEscalation == nil || *ctr.AllowPrivilegeEscalation || !slices.Equal(ctr.Capabilities.Drop, []string{"ALL"}) || ctr.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("container securityContext %+v: want allowPrivilegeEscalation false, drop ALL, seccompProfile RuntimeDefault", ctr)
	}

	// The pod's command line, config file and environment, as run reads them.
	cfg := filepath.Join(t.TempDir(), "clearpack.yaml")
	if err := os.WriteFile(cfg, []byte(config.Data["clearpack.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(c.Args) < 3 || c.Args[0] != "run" || c.Args[1] != "--config" {
		t.Fatalf("args %q: want run --config FILE", c.Args)
	}
	index := fmt.Sprint(job.Spec.Completions - 1)
	lookup := func(k string) (string, bool) {
		if k == jobIndexEnv {
			return index, true
		}
		v, ok := env[k]
		return v, ok && v != ""
	}
	fs, err := configuredFlags([]string{"run", "--config", cfg}, lookup)
	if err != nil {
		t.Fatalf("the sample's config and environment: %v", err)
	}
	var sf shardFlags
	sf.spec, sf.count = fs.Lookup("shard").Value.String(), 0
	fmt.Sscan(fs.Lookup("shards").Value.String(), &sf.count)
	got, err := sf.resolve(lookup)
	if want := (pipeline.Shard{Index: job.Spec.Completions - 1, Count: job.Spec.Completions}); err != nil || got != want {
		t.Errorf("the last pod runs shard %v (%v), want %v", got, err, want)
	}
}

// A shard checks the whole plan: a model classified one way in another
// shard's shipment stops this shard's shipment, which is what a single run
// would do. Here the storage array of APL26-ID-01 (shard 2 of 3) is given
// another HS subheading than the same model in APL26-BR-01 (shard 1 of 3).
func TestShardSeesWholePlan(t *testing.T) {
	if pipeline.Of("APL26-BR-01", 3) != 1 || pipeline.Of("APL26-ID-01", 3) != 2 || pipeline.Of("APL26-PH-01", 3) != 2 {
		t.Fatal("the sample's shipments moved shards; choose others for this test")
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatalf("keygen: %s", errOut)
	}
	b, err := os.ReadFile(sampleInv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	changed := false
	for i, l := range lines {
		if strings.HasPrefix(l, "MC-STO-00001,") {
			if !strings.Contains(l, ",84717099,") {
				t.Fatalf("MC-STO-00001 has no HS code 84717099: %s", l)
			}
			lines[i], changed = strings.Replace(l, ",84717099,", ",84733020,", 1), true
		}
	}
	if !changed {
		t.Fatal("MC-STO-00001 not in the sample inventory")
	}
	inv := filepath.Join(dir, "inventory.csv")
	if err := os.WriteFile(inv, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := clearpack(t, "run", "--inventory", inv, "--plan", samplePlan, "--clearances", sampleClear, "--key", key,
		"--archive", filepath.Join(dir, "archive"), "--shard", "1/3", "--json")
	var sum pipeline.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("run --shard 1/3: exit %d: %v\n%s", code, err, errOut)
	}
	if code != ExitPartial {
		t.Errorf("run --shard 1/3: exit %d, want %d (a shipment rejected)", code, ExitPartial)
	}
	var br *pipeline.ShipmentResult
	for i, s := range sum.Shipments {
		if s.ID == "APL26-ID-01" || s.ID == "APL26-PH-01" {
			t.Errorf("shard 1/3 processed %s, shard 2's", s.ID)
		}
		if s.ID == "APL26-BR-01" {
			br = &sum.Shipments[i]
		}
	}
	if br == nil {
		t.Fatalf("shard 1/3 did not process APL26-BR-01: %+v", sum.Shipments)
	}
	reasons := strings.Join(br.Reasons, "\n")
	if br.Status != pipeline.Rejected || !strings.Contains(reasons, "same-model-classification") || !strings.Contains(reasons, "APL26-ID-01") {
		t.Errorf("APL26-BR-01 %s, want rejected naming the classification in APL26-ID-01:\n%s", br.Status, reasons)
	}
}
