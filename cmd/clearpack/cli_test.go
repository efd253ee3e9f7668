package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/clearpack/clearpack/archive/auditlog"
	"github.com/clearpack/clearpack/internal/testenv"
	"github.com/clearpack/clearpack/pipeline/schedule"
)

// The stdlib parser stopped at the first positional argument: what came
// after it was dropped silently. Now a stray word is an error, flags after
// a command's arguments count, and -- ends the flags.
func TestFlagOrderTraps(t *testing.T) {
	base := []string{"validate", "--plan", samplePlan, "--inventory", sampleInv}
	code, out, errOut := clearpack(t, append(base, "extra", "--json")...)
	if code != ExitUsage || !strings.Contains(errOut, `unexpected argument "extra"`) || out != "" {
		t.Errorf("validate ... extra --json: exit %d, want %d naming \"extra\" and printing nothing\nstdout: %.200s\nstderr: %s", code, ExitUsage, out, errOut)
	}
	// --json after every other flag, and before them: JSON either way.
	for _, args := range [][]string{append(append([]string{}, base...), "--json"), append([]string{"validate", "--json"}, base[1:]...)} {
		code, out, _ := clearpack(t, args...)
		var doc struct{ Shipments []json.RawMessage }
		if code != ExitPartial || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Shipments) != 20 {
			t.Errorf("%q: exit %d, want %d and JSON of 20 shipments:\n%.300s", args, code, ExitPartial, out)
		}
	}
	// After --, everything is an argument, flags' look-alikes included.
	code, out, errOut = clearpack(t, append(base, "--", "--json")...)
	if code != ExitUsage || !strings.Contains(errOut, `unexpected argument "--json"`) || out != "" {
		t.Errorf("validate ... -- --json: exit %d, want %d: %s", code, ExitUsage, errOut)
	}

	// bundle SHIPMENT --config FILE: the file is read (its --for is
	// refused by name, before any archive is touched). It used to be
	// ignored, and bundle complained that --program was missing.
	cfg := writeConfig(t, "bundle:\n  program: some-program\n  for: \"bad broker!\"\n  pub: x.pub\n")
	code, _, errOut = clearpack(t, "bundle", "APL26-VN-01", "--config", cfg)
	if code != ExitUsage || !strings.Contains(errOut, `--for "bad broker!"`) {
		t.Errorf("bundle SHIP --config: exit %d, want %d about the file's --for:\n%s", code, ExitUsage, errOut)
	}
	// -- then a shipment id that looks like a flag.
	code, _, errOut = clearpack(t, "bundle", "--config", cfg, "--", "-odd")
	if code != ExitUsage || !strings.Contains(errOut, `--for "bad broker!"`) {
		t.Errorf("bundle --config F -- -odd: exit %d: %s", code, errOut)
	}
}

// bundle --out - writes the zip to standard output (and no file named
// "-"), and the audit log records it as issued.
func TestBundleToStdout(t *testing.T) {
	_, key, arch, pub, want := bundleEnv(t)
	before := len(logEntries(t, arch))
	code, out, errOut := clearpack(t, "bundle", "APL26-VN-01", "--program", deliverProgram, "--for", "saigon-customs",
		"--pub", pub, "--archive", arch, "--key", key, "--out", "-")
	if code != ExitOK {
		t.Fatalf("bundle --out -: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat("-"); err == nil {
		os.Remove("-")
		t.Fatal(`bundle --out - wrote a file named "-"`)
	}
	if out != string(want) {
		t.Errorf("stdout is not the bundle --out FILE writes (%d bytes, want %d)", len(out), len(want))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(out)), int64(len(out)))
	if err != nil || len(zr.File) == 0 {
		t.Fatalf("stdout is not a zip: %v", err)
	}
	if !strings.Contains(errOut, "written to standard output, sha256 ") {
		t.Errorf("stderr does not say where the bundle went:\n%s", errOut)
	}
	entries := logEntries(t, arch)
	if len(entries) <= before {
		t.Fatal("no audit-log entry for the bundle")
	}
	var issued bool
	for _, e := range entries[before:] {
		issued = issued || (e.Event == auditlog.EventBundleIssued && strings.Contains(e.Detail, "standard output"))
	}
	if !issued {
		t.Errorf("the audit log has no bundle.issued to standard output: %+v", entries[before:])
	}
}

// Help is asked for, so it goes to stdout with exit 0, the same from
// 'help CMD' and 'CMD --help'; each command lists its own flags only.
func TestHelpAndVersion(t *testing.T) {
	code, viaHelp, _ := clearpack(t, "help", "run")
	code2, viaFlag, _ := clearpack(t, "run", "--help")
	if code != ExitOK || code2 != ExitOK || viaHelp != viaFlag {
		t.Errorf("help run (exit %d) and run --help (exit %d) differ:\n%s\n----\n%s", code, code2, viaHelp, viaFlag)
	}
	for _, want := range []string{"--inventory", "--once", "--log-format", "--log-level", "--config", "CLEARPACK_LOG_LEVEL", "Exit codes:", "130  interrupted"} {
		if !strings.Contains(viaFlag, want) {
			t.Errorf("run --help lacks %q", want)
		}
	}
	serveOnly := []string{"--listen", "--schedule", "--starting-deadline", "--audit-tokens", "--state-dir", "--tls-cert", "--tls-key", "--idle-timeout"}
	_, serveHelp, _ := clearpack(t, "serve", "--help")
	for _, f := range serveOnly {
		if strings.Contains(viaFlag, f+" ") {
			t.Errorf("run --help lists serve's %s", f)
		}
		if !strings.Contains(serveHelp, f+" ") {
			t.Errorf("serve --help lacks %s", f)
		}
		if code, _, errOut := clearpack(t, "run", "--once", f, "x"); code != ExitUsage || !strings.Contains(errOut, "unknown flag: "+f) {
			t.Errorf("run --once %s x: exit %d, want %d: %s", f, code, ExitUsage, errOut)
		}
	}
	_, validateHelp, _ := clearpack(t, "validate", "--help")
	for _, f := range []string{"--key ", "--archive ", "--inbox "} {
		if strings.Contains(validateHelp, f) {
			t.Errorf("validate --help lists %s", f)
		}
	}

	code, out, _ := clearpack(t, "--version")
	if code != ExitOK || !strings.HasPrefix(out, "clearpack ") || !strings.Contains(out, "commit ") {
		t.Errorf("--version: exit %d %q", code, out)
	}
	if _, v, _ := clearpack(t, "version"); v != out {
		t.Errorf("version %q and --version %q differ", v, out)
	}

	code, out, errOut := clearpack(t, "valdate")
	if code != ExitUsage || !strings.Contains(errOut, "Did you mean this?") || !strings.Contains(errOut, "validate") || out != "" {
		t.Errorf("valdate: exit %d, want %d with a suggestion:\n%s", code, ExitUsage, errOut)
	}
	code, out, errOut = clearpack(t, "run", "--inventroy", "x")
	if code != ExitUsage || !strings.Contains(errOut, "unknown flag: --inventroy") || out != "" {
		t.Errorf("run --inventroy: exit %d, want %d, error on stderr only:\nstdout %q\nstderr %q", code, ExitUsage, out, errOut)
	}
	code, _, errOut = clearpack(t, "verify", "--pack-version", "two")
	if code != ExitUsage || !strings.Contains(errOut, "--pack-version") {
		t.Errorf("verify --pack-version two: exit %d: %s", code, errOut)
	}
}

// The completion scripts are valid shell and complete clearpack's
// commands; bash is run for real, as a user's shell would.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := clearpack(t, "completion", sh)
		if code != ExitOK || !strings.Contains(out, "clearpack") {
			t.Errorf("completion %s: exit %d %s", sh, code, errOut)
		}
	}
	_, script, _ := clearpack(t, "completion", "bash")
	dir := t.TempDir()
	file := filepath.Join(dir, "clearpack.bash")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	bash := testenv.Tool(t, "bash")
	if out, err := exec.Command(bash, "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	const bashCompletion = "/usr/share/bash-completion/bash_completion" // what cobra's script builds on
	if _, err := os.Stat(bashCompletion); err != nil {
		testenv.Missing(t, "bash-completion is not installed (make apt-tools installs it)")
	}
	bin := buildBinary(t)
	complete := func(words ...string) []string {
		t.Helper()
		line := strings.Join(words, " ")
		quoted := `"` + strings.Join(words, `" "`) + `"`
		sh := `source ` + bashCompletion + `; source "$1"; COMP_WORDS=(` + quoted + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE="` + line + `"; COMP_POINT=${#COMP_LINE}; __start_clearpack; printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, "-c", sh, "bash", file)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
		out, err := cmd.Output() // stderr: bash's complaint that compopt runs outside completion
		if err != nil {
			t.Fatalf("completing %q: %v\n%s", line, err, out)
		}
		return strings.Fields(string(out))
	}
	if got := complete("clearpack", "va"); strings.Join(got, " ") != "validate" {
		t.Errorf("clearpack va<TAB>: %q, want validate", got)
	}
	got := strings.Join(complete("clearpack", "run", "--once", "--met"), " ")
	if got != "--metrics-file" {
		t.Errorf("clearpack run --once --met<TAB>: %q", got)
	}
	all := strings.Join(complete("clearpack", ""), " ")
	for _, c := range []string{"run", "serve", "validate", "verify", "bundle", "hold", "keygen", "completion"} {
		if !strings.Contains(all, c) {
			t.Errorf("clearpack <TAB> lacks %s: %s", c, all)
		}
	}
}

// clearpack man DIR writes a page per command; each names the command's
// flags, and man renders it.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := clearpack(t, "man", dir); code != ExitOK {
		t.Fatalf("man: %s", errOut)
	}
	page, err := os.ReadFile(filepath.Join(dir, "clearpack-run.1"))
	if err != nil {
		t.Fatal(err)
	}
	page = bytes.ReplaceAll(page, []byte(`\-`), []byte("-")) // roff's minus
	fs, err := configuredFlags([]string{"run"}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"inventory", "plan", "once", "metrics-file", "log-format"} {
		if fs.Lookup(name) == nil {
			t.Fatalf("run has no --%s", name)
		}
		if !regexp.MustCompile(`--` + regexp.QuoteMeta(name) + `[^a-z-]`).Match(page) {
			t.Errorf("clearpack-run.1 does not name --%s", name)
		}
	}
	if bytes.Contains(page, []byte("--listen")) {
		t.Error("clearpack-run.1 names serve's --listen")
	}
	for _, c := range []string{"clearpack.1", "clearpack-serve.1", "clearpack-verify.1", "clearpack-bundle.1"} {
		if _, err := os.Stat(filepath.Join(dir, c)); err != nil {
			t.Errorf("no %s", c)
		}
	}
	man := testenv.Tool(t, "man")
	cmd := exec.Command(man, "-l", filepath.Join(dir, "clearpack-run.1"))
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=100")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("man -l: %v", err)
	}
	text := string(out)
	for _, want := range []string{"clearpack-run", "--inventory", "--metrics-file", "CLEARPACK_LOG_LEVEL", "Exit codes:", "5    the archive or the signing key could not be used"} {
		if !strings.Contains(text, want) {
			t.Errorf("man -l clearpack-run.1 does not show %q:\n%.600s", want, text)
		}
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clearpack.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func noEnv(string) (string, bool) { return "", false }

// The config file: lists, maps, YAML 1.1 booleans, per-command sections, and
// the precedence flag > environment > section > top level > default.
func TestConfigFile(t *testing.T) {
	val := func(t *testing.T, args []string, env map[string]string, name string) string {
		t.Helper()
		fs, err := configuredFlags(args, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return fs.Lookup(name).Value.String()
	}

	t.Run("list", func(t *testing.T) {
		cfg := writeConfig(t, "also-trust: [a.pub, b.pub]\nwitness:\n  - https://w1.example/\n  - https://w2.example/a,b\n")
		fromFlags := val(t, []string{"run", "--also-trust", "a.pub", "--also-trust", "b.pub"}, nil, "also-trust")
		if got := val(t, []string{"run", "--config", cfg}, nil, "also-trust"); got != fromFlags || got != "[a.pub,b.pub]" {
			t.Errorf("also-trust from the file %s, from flags %s", got, fromFlags)
		}
		fs, err := configuredFlags([]string{"hold", "--config", cfg}, noEnv)
		if err != nil {
			t.Fatal(err)
		}
		got := fs.Lookup("witness").Value.(pflag.SliceValue).GetSlice()
		if len(got) != 2 || got[0] != "https://w1.example/" || got[1] != "https://w2.example/a,b" {
			t.Errorf("witness list: %q", got)
		}
		if got := val(t, []string{"verify", "--config", cfg}, nil, "also-trust"); got != "[a.pub,b.pub]" {
			t.Errorf("verify's also-trust: %s", got)
		}
	})

	t.Run("map", func(t *testing.T) {
		cfg := writeConfig(t, "serve:\n  schedule:\n    inbox: \"@every 15m\"\n    nightly: CRON_TZ=Asia/Singapore 0 2 * * *\n")
		got := val(t, []string{"serve", "--config", cfg}, nil, "schedule")
		if got != "inbox=@every 15m; nightly=CRON_TZ=Asia/Singapore 0 2 * * *" {
			t.Fatalf("schedule map: %q", got)
		}
		scheds, err := schedule.ParseSchedules(got, 0)
		if err != nil || len(scheds) != 2 {
			t.Errorf("the map's schedules: %v %v", scheds, err)
		}
	})

	t.Run("booleans", func(t *testing.T) {
		for in, want := range map[string]string{"yes": "true", "no": "false", "on": "true", "off": "false", "True": "true", "n": "false"} {
			cfg := writeConfig(t, "verify:\n  quiet: "+in+"\n")
			if got := val(t, []string{"verify", "--config", cfg}, nil, "quiet"); got != want {
				t.Errorf("quiet: %s -> %s, want %s", in, got, want)
			}
			if got := val(t, []string{"verify"}, map[string]string{"CLEARPACK_QUIET": in}, "quiet"); got != want {
				t.Errorf("CLEARPACK_QUIET=%s -> %s, want %s", in, got, want)
			}
		}
		cfg := writeConfig(t, "verify:\n  quiet: maybe\n")
		if _, err := configuredFlags([]string{"verify", "--config", cfg}, noEnv); err == nil || !strings.Contains(err.Error(), cfg+":2") {
			t.Errorf("quiet: maybe: %v", err)
		}
	})

	t.Run("precedence", func(t *testing.T) {
		cfg := writeConfig(t, "workers: 1\nrun:\n  workers: 2\nserve:\n  workers: 7\n")
		env := map[string]string{"CLEARPACK_WORKERS": "3"}
		for _, c := range []struct {
			args []string
			env  map[string]string
			want string
		}{
			{[]string{"run"}, nil, "0"},
			{[]string{"validate", "--config", cfg}, nil, ""}, // validate has no --workers
			{[]string{"serve", "--config", writeConfig(t, "workers: 1\n")}, nil, "1"},
			{[]string{"run", "--config", cfg}, nil, "2"},
			{[]string{"serve", "--config", cfg}, nil, "7"},
			{[]string{"run", "--config", cfg}, env, "3"},
			{[]string{"run", "--config", cfg, "--workers", "4"}, env, "4"},
			{[]string{"run", "--workers", "4", "--config", cfg}, env, "4"},
		} {
			fs, err := configuredFlags(c.args, func(k string) (string, bool) { v, ok := c.env[k]; return v, ok })
			if err != nil {
				t.Fatalf("%q: %v", c.args, err)
			}
			got := ""
			if f := fs.Lookup("workers"); f != nil {
				got = f.Value.String()
			}
			if got != c.want {
				t.Errorf("%q env %v: workers %q, want %q", c.args, c.env, got, c.want)
			}
		}
		// CLEARPACK_CONFIG names the file when --config does not.
		if got := val(t, []string{"run"}, map[string]string{"CLEARPACK_CONFIG": cfg}, "workers"); got != "2" {
			t.Errorf("CLEARPACK_CONFIG: workers %s, want 2", got)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct{ body, args, want string }{
			{"archive: x\narchiv: y\n", "validate", `:2: unknown setting "archiv" (did you mean "archive"?)`},
			{"# a comment\nrun:\n  workers: 2\n  listen: 127.0.0.1:1\n", "run", `:4: run has no setting "listen"`},
			{"run:\n  wokers: 2\n", "run", `:2: run has no setting "wokers" (did you mean "workers"?)`},
			{"workers: [1, 2]\n", "run", `:1: workers: takes one value, not a list`},
			{"lease: soon\n", "serve", `:1: lease:`},
			{"archive: a\narchive: b\n", "verify", `:2: "archive" is set twice (first on line 1)`},
			{"- archive\n", "verify", `:1: expected a mapping`},
		} {
			cfg := writeConfig(t, c.body)
			code, out, errOut := clearpack(t, c.args, "--config", cfg)
			if code != ExitUsage || !strings.Contains(errOut, cfg+c.want) || out != "" {
				t.Errorf("%s with\n%s: exit %d, want %d and %q:\n%s", c.args, c.body, code, ExitUsage, cfg+c.want, errOut)
			}
		}
	})
}

// The shipped sample config is accepted by every command: each takes the
// settings it has and skips those of the others.
func TestSampleConfigEveryCommand(t *testing.T) {
	const sample = "../../docs/clearpack.yaml"
	for _, c := range commands() {
		fs, err := configuredFlags([]string{c.name, "--config", sample}, noEnv)
		if err != nil {
			t.Errorf("%s --config %s: %v", c.name, sample, err)
			continue
		}
		if f := fs.Lookup("archive"); f != nil && !strings.HasPrefix(f.Value.String(), "s3://clearpack-archive/") {
			t.Errorf("%s did not take archive from the sample: %s", c.name, f.Value)
		}
	}
	// As a user runs them: validate and verify fail on what they are
	// given, not on the config.
	code, _, errOut := clearpack(t, "validate", "--config", sample, "--plan", samplePlan, "--inventory", sampleInv)
	if code != ExitPartial {
		t.Errorf("validate with the sample config: exit %d, want %d\n%s", code, ExitPartial, errOut)
	}
	code, _, errOut = clearpack(t, "token", "--config", sample, "--name", "auditor-1")
	if code != ExitOK {
		t.Errorf("token with the sample config: exit %d\n%s", code, errOut)
	}
}

// The key's password, as the README and --help say: --key-password-file
// wins over CLEARPACK_KEY_PASSWORD; naming another variable as well is a
// usage error.
func TestKeyPasswordRule(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "key.pem")
	if code, out, errOut := clearpack(t, "keygen", "--out", key, "--password-file", pw); code != ExitOK {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	ctx := context.Background()
	t.Setenv("CLEARPACK_KEY_PASSWORD", "wrong")
	t.Setenv("OTHER_PASSWORD", "correct horse")
	if _, err := (&keyFlags{path: key, passwordEnv: defaultPasswordEnv, passwordFile: pw}).load(ctx); err != nil {
		t.Errorf("--key-password-file with CLEARPACK_KEY_PASSWORD set: %v", err)
	}
	if _, err := (&keyFlags{path: key, passwordEnv: defaultPasswordEnv}).load(ctx); err == nil {
		t.Error("the wrong CLEARPACK_KEY_PASSWORD alone opened the key")
	}
	if _, err := (&keyFlags{path: key, passwordEnv: "OTHER_PASSWORD"}).load(ctx); err != nil {
		t.Errorf("--key-password-env OTHER_PASSWORD: %v", err)
	}
	_, err := (&keyFlags{path: key, passwordEnv: "OTHER_PASSWORD", passwordFile: pw}).load(ctx)
	if code := exitCode(err); code != ExitUsage || !strings.Contains(err.Error(), "give one of them") {
		t.Errorf("--key-password-env OTHER_PASSWORD with --key-password-file: exit %d, %v", code, err)
	}
	// Through a command, as a user meets it: the password file and the
	// (wrong) default variable together run.
	arch := filepath.Join(dir, "archive")
	code, out, errOut := clearpack(t, "run", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear,
		"--key", key, "--key-password-file", pw, "--archive", arch)
	if code != ExitPartial {
		t.Errorf("run with --key-password-file and CLEARPACK_KEY_PASSWORD set: exit %d, want %d\n%s%s", code, ExitPartial, out, errOut)
	}
}

func exitCode(err error) int {
	var ee *exitError
	if err == nil {
		return ExitOK
	}
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitFailure
}

// "-" (and /dev/stdin) read standard input, for the binary as a user runs
// it in a pipe: validate's report is the one for the file itself, and the
// private copy is gone afterwards.
func TestStdinInputs(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	run := func(stdinFile string, args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		if stdinFile != "" {
			b, err := os.ReadFile(stdinFile)
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdin = bytes.NewReader(b) // a pipe, as in cat file | clearpack ...
		}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errOut.String()
	}
	_, want, _ := run("", "validate", "--inventory", sampleInv, "--plan", samplePlan, "--clearances", sampleClear, "--json")
	if !strings.Contains(want, `"shipments"`) {
		t.Fatalf("validate from files: %s", want)
	}
	// Messages about an input read from stdin name its copy, whose name
	// says so: ".../plan-from-stdin.yaml:LINE: ...".
	copyName := regexp.MustCompile(`[^"\s]*/clearpack-stdin-[0-9]+/[a-z]+-from-stdin\.[a-z]+`)
	for _, c := range []struct {
		file string
		args []string
	}{
		{sampleInv, []string{"--inventory", "-", "--plan", samplePlan, "--clearances", sampleClear}},
		{samplePlan, []string{"--inventory", sampleInv, "--plan", "-", "--clearances", sampleClear}},
		{sampleClear, []string{"--inventory", sampleInv, "--plan", samplePlan, "--clearances", "/dev/stdin"}},
		{samplePlan, []string{"--inventory", sampleInv, "--plan", "/dev/stdin", "--clearances", sampleClear}},
	} {
		code, out, errOut := run(c.file, append([]string{"validate", "--json"}, c.args...)...)
		if c.file == samplePlan && !regexp.MustCompile(`plan-from-stdin\.yaml:[0-9]+: shipment APL26-`).MatchString(out) {
			t.Errorf("validate %q: a finding in the plan does not name its line in standard input:\n%.300s", c.args, out)
		}
		out = copyName.ReplaceAllString(out, c.file)
		if code != ExitPartial || out != want {
			t.Errorf("validate %q with %s on stdin: exit %d, want %d and the report of the files\n%s\n%.300s", c.args, c.file, code, ExitPartial, errOut, out)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("the copies of standard input were left behind: %v", ents)
	}
	code, _, errOut := run(sampleInv, "validate", "--inventory", "-", "--plan", "-")
	if code != ExitUsage || !strings.Contains(errOut, "--inventory and --plan both name standard input") {
		t.Errorf("two inputs from stdin: exit %d %s", code, errOut)
	}
	code, _, errOut = run(sampleInv, "validate", "--inventory", "-", "--plan", samplePlan, "--max-input-bytes", "100")
	if code != ExitInput || !strings.Contains(errOut, "larger than --max-input-bytes") {
		t.Errorf("stdin over --max-input-bytes: exit %d %s", code, errOut)
	}

	// run reads its inventory from a pipe too.
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := run("", "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	code, out, errOut := run(sampleInv, "run", "--inventory", "-", "--plan", samplePlan, "--clearances", sampleClear, "--key", key, "--archive", filepath.Join(dir, "archive"))
	if code != ExitPartial || !strings.Contains(out, "19 archived") {
		t.Errorf("run --inventory -: exit %d\n%s%s", code, out, errOut)
	}
}

// --log-format and --log-level hold for every command: a plain run logs
// JSON when asked (it used to ignore --log-format), and its error is the
// log's last record; a command without a log of its own writes its
// warnings as records too.
func TestLogFlags(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if code, _, errOut := clearpack(t, "keygen", "--out", key); code != ExitOK {
		t.Fatal(errOut)
	}
	records := func(t *testing.T, stderr string) []map[string]any {
		t.Helper()
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("a stderr line is not JSON: %q", line)
			}
			out = append(out, rec)
		}
		return out
	}
	args := []string{"run", "--inventory", sampleInv, "--plan", samplePlan, "--key", key, "--archive", filepath.Join(dir, "a")}
	code, _, errOut := clearpack(t, append(args, "--log-format", "json")...)
	recs := records(t, errOut)
	if code != ExitPartial || len(recs) < 2 || recs[0]["msg"] != "shipment rejected" {
		t.Fatalf("run --log-format json: exit %d\n%s", code, errOut)
	}
	if last := recs[len(recs)-1]; last["level"] != "ERROR" || last["exit_code"] != float64(ExitPartial) {
		t.Errorf("the last record is not the error with its exit code: %v", last)
	}
	// --log-level error: the rejection warning is left out; the error stays.
	code, _, errOut = clearpack(t, append(args, "--log-format", "json", "--log-level", "error")...)
	if recs := records(t, errOut); code != ExitPartial || len(recs) != 1 || recs[0]["level"] != "ERROR" {
		t.Errorf("run --log-level error: exit %d\n%s", code, errOut)
	}
	// From the environment and the config file, as every flag.
	cfg := writeConfig(t, "log-format: json\n")
	args[len(args)-1] = filepath.Join(dir, "b") // a new archive: the rejection is logged again
	code, _, errOut = clearpack(t, append(args, "--config", cfg)...)
	if recs := records(t, errOut); code != ExitPartial || len(recs) < 2 {
		t.Errorf("log-format from the config file: exit %d\n%s", code, errOut)
	}

	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("secret password\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = clearpack(t, "keygen", "--out", filepath.Join(dir, "k2.pem"), "--password-file", pw, "--log-format", "json")
	if recs := records(t, errOut); code != ExitOK || len(recs) != 1 || recs[0]["level"] != "WARN" || !strings.Contains(recs[0]["msg"].(string), "chmod 600") {
		t.Errorf("keygen's warning with --log-format json: exit %d\n%s", code, errOut)
	}
	code, _, errOut = clearpack(t, "validate", "--inventory", filepath.Join(dir, "missing.csv"), "--plan", samplePlan, "--log-format", "json")
	if recs := records(t, errOut); code != ExitInput || len(recs) != 1 || recs[0]["exit_code"] != float64(ExitInput) {
		t.Errorf("validate's error with --log-format json: exit %d\n%s", code, errOut)
	}
	for _, bad := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}} {
		code, _, errOut := clearpack(t, append([]string{"token", "--name", "a"}, bad...)...)
		if code != ExitUsage || !strings.Contains(errOut, bad[0]) {
			t.Errorf("%q: exit %d %s", bad, code, errOut)
		}
	}
}
