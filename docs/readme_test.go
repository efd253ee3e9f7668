package docs_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/deliver/delivertest"
	"github.com/clearpack/clearpack/archive/s3/s3test"
	"github.com/clearpack/clearpack/internal/testenv"
)

// A shell block of the README: its first line's number, its commands, and
// why it is not run ("" when it is).
type readmeBlock struct {
	line     int
	commands []readmeCommand
	skip     string
}

// A command as bash reads it: continuation lines and for/while/if bodies
// joined; want is the exit code its comment states ("# exit 3"), else 0.
type readmeCommand struct {
	line int
	text string
	want int
}

var (
	skipMarker  = regexp.MustCompile(`^<!--\s*readme-test:\s*skip\s*\((.+)\)\s*-->$`)
	anyMarker   = regexp.MustCompile(`^<!--\s*readme-test:`)
	statedExit  = regexp.MustCompile(`#.*\bexit (\d+)\b`)
	openKeyword = regexp.MustCompile(`^(for|while|until|if|case)\b`)
	shutKeyword = regexp.MustCompile(`^(done|fi|esac)\b`)
)

// readmeBlocks extracts the ```sh and ```console blocks of a Markdown file.
// In a console block only the lines starting with "$ " are commands.
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []readmeBlock
	var cur *readmeBlock
	console := false
	prev := "" // the last non-blank line before a fence
	var pending *readmeCommand
	depth := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		trimmed := strings.TrimSpace(l)
		if cur == nil {
			if strings.HasPrefix(trimmed, "```") {
				lang := strings.TrimPrefix(trimmed, "```")
				if lang == "sh" || lang == "console" || lang == "bash" || lang == "shell" {
					cur = &readmeBlock{line: n}
					console = lang == "console"
					if m := skipMarker.FindStringSubmatch(prev); m != nil {
						cur.skip = m[1]
					} else if anyMarker.MatchString(prev) {
						t.Errorf("README.md:%d: marker %q: want <!-- readme-test: skip (why) -->", n-1, prev)
					}
				} else {
					cur = &readmeBlock{line: -1} // another language: not run
				}
			} else if trimmed != "" {
				prev = trimmed
			}
			continue
		}
		if trimmed == "```" {
			if pending != nil {
				t.Errorf("README.md:%d: block ends inside a command (unclosed continuation or loop)", n)
			}
			if cur.line > 0 {
				blocks = append(blocks, *cur)
			}
			cur, pending, depth, prev = nil, nil, 0, ""
			continue
		}
		if cur.line < 0 {
			continue
		}
		if console {
			if !strings.HasPrefix(l, "$ ") && pending == nil {
				continue // output shown in the README
			}
			l = strings.TrimPrefix(l, "$ ")
		}
		code := strings.TrimSpace(stripComment(l))
		if pending == nil {
			if code == "" {
				continue
			}
			pending = &readmeCommand{line: n}
		}
		pending.text += l + "\n"
		if m := statedExit.FindStringSubmatch(l); m != nil {
			pending.want, _ = strconv.Atoi(m[1])
		}
		if openKeyword.MatchString(code) {
			depth++
		}
		if shutKeyword.MatchString(code) || strings.HasSuffix(code, "; done") || strings.HasSuffix(code, "; fi") {
			depth--
		}
		if depth > 0 || strings.HasSuffix(code, "\\") || strings.HasSuffix(code, "|") || strings.HasSuffix(code, "&&") {
			continue
		}
		cur.commands = append(cur.commands, *pending)
		pending = nil
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if cur != nil {
		t.Errorf("README.md: a code block is not closed")
	}
	return blocks
}

// stripComment drops a shell comment (a # at a word start, outside quotes).
func stripComment(l string) string {
	var q byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return l[:i]
		}
	}
	return l
}

// script is the block as one bash script: each command must exit as the
// README states, else the script stops and says which.
//
// A command that starts `clearpack serve` runs until stopped: it is started
// in the background, must answer health (a URL, e.g.
// http://127.0.0.1:9464/healthz) within 20 s, and is then stopped with
// SIGTERM, after which it must exit as the README states.
func (b readmeBlock) script(health string) string {
	var s strings.Builder
	s.WriteString("set -o pipefail\n")
	for _, c := range b.commands {
		if strings.HasPrefix(strings.TrimSpace(c.text), "clearpack serve") {
			fmt.Fprintf(&s, "( exec %s) &\n__pid=$!\n", c.text)
			fmt.Fprintf(&s, "for __i in $(seq 200); do curl -fsS -o /dev/null %q 2>/dev/null && break; kill -0 $__pid 2>/dev/null || break; sleep 0.1; done\n", health)
			fmt.Fprintf(&s, "if ! curl -fsS -o /dev/null %q; then echo \"readme-test: README.md:%d: %s did not answer\" >&2; kill $__pid 2>/dev/null; wait $__pid; exit 97; fi\n", health, c.line, health)
			fmt.Fprintf(&s, "kill -TERM $__pid\n__rc=0\nwait $__pid || __rc=$?\n")
			fmt.Fprintf(&s, "if [ \"$__rc\" != %d ]; then echo \"readme-test: README.md:%d exited $__rc after SIGTERM; the README says %d\" >&2; exit 97; fi\n", c.want, c.line, c.want)
			continue
		}
		fmt.Fprintf(&s, "__rc=0\n{\n%s} || __rc=$?\n", c.text)
		fmt.Fprintf(&s, "if [ \"$__rc\" != %d ]; then echo \"readme-test: README.md:%d exited $__rc; the README says %d\" >&2; exit 97; fi\n", c.want, c.line, c.want)
	}
	return s.String()
}

// Every shell block of the README, run in order as a reader would, with the
// binary built from this tree as clearpack, in a directory set up as make
// demo leaves it (var/dev-signing-key.pem, the sample in var/archive), and
// the AWS environment pointing at a MinIO started here. A block that cannot
// run here carries <!-- readme-test: skip (why) --> right before it.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands (builds clearpack, starts MinIO)")
	}
	blocks := readmeBlocks(t, filepath.Join("..", "README.md"))
	if len(blocks) == 0 {
		t.Fatal("no shell blocks in README.md")
	}
	bash := testenv.Tool(t, "bash")
	for _, tool := range []string{"sha256sum", "base64", "openssl", "cosign"} {
		testenv.Tool(t, tool)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}

	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "clearpack"), "./cmd/clearpack")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// The reader's directory: the sample where the README names it, and
	// what make demo makes (its keygen and run, as the Makefile runs them).
	work := t.TempDir()
	for _, f := range []string{"inventory.csv", "plan.yaml", "clearances.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "sample", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(work, "testdata", "sample"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "testdata", "sample", f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A reader's environment: none of this machine's AWS or clearpack
	// settings, a fresh HOME.
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "CLEARPACK_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"PATH="+bin+string(os.PathListSeparator)+filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home, "TUF_ROOT="+filepath.Join(home, "tuf"))
	runScript := func(script string) (string, int) {
		cmd := exec.Command(bash, "-c", script)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatalf("bash: %v", err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	demo := readmeBlock{commands: []readmeCommand{
		{text: "clearpack keygen --if-missing --out var/dev-signing-key.pem\n"},
		{text: "clearpack run --inventory testdata/sample/inventory.csv --plan testdata/sample/plan.yaml --clearances testdata/sample/clearances.yaml --key var/dev-signing-key.pem --archive var/archive\n", want: 3},
	}}
	if out, code := runScript(demo.script("")); code != 0 {
		t.Fatalf("make demo's steps: exit %d\n%s", code, out)
	}

	// S3 for the blocks that name an s3:// archive: MinIO, reached the way
	// the README says the AWS environment is read.
	needsS3 := false
	for _, b := range blocks {
		for _, c := range b.commands {
			needsS3 = needsS3 || (b.skip == "" && strings.Contains(c.text, "s3://"))
		}
	}
	if needsS3 {
		srv := s3test.Start(t, s3test.MinIO)
		env = append(env, "AWS_ACCESS_KEY_ID="+srv.AccessKey, "AWS_SECRET_ACCESS_KEY="+srv.SecretKey,
			"AWS_ENDPOINT_URL=http://"+srv.Endpoint, "AWS_REGION=us-east-1")
	}

	// What a deployment has and the README leaves to the reader, for the
	// blocks that use it: their clearpack.yaml (docs/clearpack.yaml with
	// this directory's inbox, archive and key, and a free port to listen
	// on), the broker's mail server (mailpit, STARTTLS and a password) and
	// SFTP server (OpenSSH), reached through the environment variables the
	// README names.
	uses := func(s string) bool {
		for _, b := range blocks {
			for _, c := range b.commands {
				if b.skip == "" && strings.Contains(c.text, s) {
					return true
				}
			}
		}
		return false
	}
	health := ""
	inbox := filepath.Join(work, "inbox")
	if uses("--config clearpack.yaml") {
		testenv.Tool(t, "curl")
		listen := delivertest.FreePort(t)
		health = "http://" + listen + "/healthz"
		conf := deploymentConfig(t, filepath.Join(root, "docs", "clearpack.yaml"), map[string]string{
			"inbox": inbox, "archive": "var/archive", "key": "var/dev-signing-key.pem", "listen": listen,
		})
		// serve waits for its schedules' next slot; one falling in the
		// second it runs would take the batch before run --once does.
		for _, spec := range []string{`"*/15 * * * *"`, `"CRON_TZ=Asia/Singapore 0 2 * * *"`} {
			if !bytes.Contains(conf, []byte(spec)) {
				t.Fatalf("docs/clearpack.yaml has no schedule %s", spec)
			}
			conf = bytes.ReplaceAll(conf, []byte(spec), []byte(`"@yearly"`))
		}
		if err := os.WriteFile(filepath.Join(work, "clearpack.yaml"), conf, 0o644); err != nil {
			t.Fatal(err)
		}
		// One batch waiting: the sample, complete (READY).
		batch := filepath.Join(inbox, "2026-02-06-sample")
		if err := os.MkdirAll(batch, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"inventory.csv", "plan.yaml", "clearances.yaml", "READY"} {
			b := []byte{}
			if f != "READY" {
				if b, err = os.ReadFile(filepath.Join(root, "testdata", "sample", f)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(batch, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var mp *delivertest.Mailpit
	if uses("$SMTP_SERVER") {
		mp = delivertest.StartMailpit(t, false)
		env = append(env, "SMTP_SERVER=smtp://"+mp.SMTP, "CLEARPACK_SMTP_CA="+mp.CA,
			deliver.EnvSMTPUser+"="+delivertest.User, deliver.EnvSMTPPassword+"="+delivertest.Password)
	}
	brokerInbox := ""
	if uses("$BROKER_SFTP") {
		sshd := delivertest.StartSSHD(t)
		brokerInbox = t.TempDir()
		// The reader's ~/.ssh: the key the README exports, and the
		// server's host key in known_hosts (the default --sftp-known-hosts).
		ssh := filepath.Join(home, ".ssh")
		if err := os.MkdirAll(ssh, 0o700); err != nil {
			t.Fatal(err)
		}
		for src, dst := range map[string]string{sshd.KeyFile: "broker_ed25519", sshd.KnownHosts: "known_hosts"} {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(ssh, dst), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		env = append(env, "BROKER_SFTP=sftp://"+sshd.User+"@"+sshd.Addr+brokerInbox)
	}

	ran := 0
	for _, b := range blocks {
		if b.skip != "" {
			t.Logf("README.md:%d: not run: %s", b.line, b.skip)
			continue
		}
		if len(b.commands) == 0 {
			t.Errorf("README.md:%d: a shell block without commands", b.line)
			continue
		}
		out, code := runScript(b.script(health))
		if code != 0 {
			t.Errorf("README.md:%d: the block fails as written (exit %d):\n%s\n%s", b.line, code, b.script(health), out)
			continue
		}
		ran++
		t.Logf("README.md:%d: %d commands ran as stated", b.line, len(b.commands))
	}
	if ran == 0 {
		t.Error("no README block ran")
	}
	// What the broker sees: the bundle in their mailbox and SFTP directory.
	const zip = "APL26-VN-01-v0001-saigon-customs.zip"
	if mp != nil {
		msgs := mp.Messages(t)
		if len(msgs) != 1 || len(msgs[0].Attachments) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0].Address != "despacho@broker.example" {
			t.Errorf("mailpit received %+v, want one mail to despacho@broker.example with the bundle attached", msgs)
		}
	}
	if health != "" {
		if _, err := os.Stat(filepath.Join(inbox, "done", "2026-02-06-sample", "run-report.json")); err != nil {
			t.Errorf("the inbox's batch after run --once: %v", err)
		}
	}
	if brokerInbox != "" {
		if _, err := os.Stat(filepath.Join(brokerInbox, zip)); err != nil {
			t.Errorf("the broker's SFTP directory: %v", err)
		}
	}
}

// deploymentConfig is the sample config with the given top-level keys (and
// serve's listen) set, each at its first mention (schedule has an inbox:
// too), and no key password file (the demo key has none).
func deploymentConfig(t *testing.T, sample string, set map[string]string) []byte {
	t.Helper()
	b, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	done := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		key, _, ok := strings.Cut(strings.TrimSpace(l), ":")
		if v, want := set[key]; ok && want && !done[key] && !strings.HasPrefix(strings.TrimSpace(l), "#") {
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			l = indent + key + ": " + strconv.Quote(v)
			done[key] = true
		}
		if ok && key == "key-password-file" {
			continue
		}
		out = append(out, l)
	}
	for k := range set {
		if !done[k] {
			t.Fatalf("%s has no %s: key", sample, k)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// The block parser: continuation lines, loops and stated exit codes.
func TestReadmeBlockParsing(t *testing.T) {
	md := filepath.Join(t.TempDir(), "README.md")
	text := "intro\n\n```sh\nclearpack run \\\n    --x    # exit 3: stopped\nfor f in a b; do\n  echo \"$f # not a comment\"\ndone\n```\n\n" +
		"<!-- readme-test: skip (needs a cluster) -->\n```sh\nkubectl apply -f x\n```\n```yaml\nnot: run\n```\n" +
		"```console\n$ echo hi\nhi\n```\n"
	if err := os.WriteFile(md, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b := readmeBlocks(t, md)
	if len(b) != 3 {
		t.Fatalf("%d blocks, want 3: %+v", len(b), b)
	}
	if c := b[0].commands; len(c) != 2 || c[0].want != 3 || c[0].line != 4 || c[1].want != 0 || !strings.Contains(c[1].text, "done") {
		t.Errorf("first block: %+v", c)
	}
	if b[1].skip != "needs a cluster" {
		t.Errorf("second block skip %q", b[1].skip)
	}
	if c := b[2].commands; len(c) != 1 || c[0].text != "echo hi\n" {
		t.Errorf("console block: %+v", c)
	}
}

// A command that exits other than the README states stops its block.
func TestReadmeScriptChecksExitCodes(t *testing.T) {
	bash := testenv.Tool(t, "bash")
	run := func(b readmeBlock) (string, int) {
		out, _ := exec.Command(bash, "-c", b.script("")).CombinedOutput()
		return string(out), func() int {
			c := exec.Command(bash, "-c", b.script(""))
			_ = c.Run()
			return c.ProcessState.ExitCode()
		}()
	}
	if out, code := run(readmeBlock{commands: []readmeCommand{{line: 7, text: "(exit 3)  # exit 3\n", want: 3}, {line: 8, text: "true\n"}}}); code != 0 {
		t.Errorf("stated exit codes: exit %d %s", code, out)
	}
	out, code := run(readmeBlock{commands: []readmeCommand{{line: 7, text: "(exit 2)  # exit 3\n", want: 3}, {line: 8, text: "echo after\n"}}})
	if code == 0 || !strings.Contains(out, "README.md:7 exited 2; the README says 3") || strings.Contains(out, "after") {
		t.Errorf("a command exiting 2 where the README says 3: exit %d %q", code, out)
	}
	out, code = run(readmeBlock{commands: []readmeCommand{{line: 9, text: "false | true\n"}}})
	if code == 0 || !strings.Contains(out, "README.md:9 exited 1") {
		t.Errorf("a failing pipeline: exit %d %q", code, out)
	}
}
