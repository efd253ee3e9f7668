package deliver_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clearpack/clearpack/archive/deliver"
	"github.com/clearpack/clearpack/archive/deliver/delivertest"
	"github.com/clearpack/clearpack/internal/testenv"
)

const (
	smtpUser = delivertest.User
	smtpPass = delivertest.Password
)

var freePort = delivertest.FreePort

func parcel(n int) deliver.Parcel {
	data := bytes.Repeat([]byte("PK\x03\x04 not really a zip "), n)
	sum := sha256.Sum256(data)
	return deliver.Parcel{
		Name: "APL26-VN-01-v0001-saigon-customs.zip", Data: data, SHA256: hex.EncodeToString(sum[:]),
		Broker: "saigon-customs", Pack: "programs/p/shipments/APL26-VN-01/v0001",
	}
}

func env(vals map[string]string) func(string) string {
	return func(k string) string { return vals[k] }
}

var creds = env(map[string]string{deliver.EnvSMTPUser: smtpUser, deliver.EnvSMTPPassword: smtpPass})

// The bundle reaches the broker's mailbox through a real SMTP server that
// demands STARTTLS (or implicit TLS) and a password: the attachment is the
// bundle byte for byte, and the receipt's message id is the one received.
func TestMailAttachment(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		t.Run(map[bool]string{false: "starttls", true: "implicit-tls"}[implicit], func(t *testing.T) {
			mp := delivertest.StartMailpit(t, implicit)
			scheme := map[bool]string{false: "smtp", true: "smtps"}[implicit]
			d, err := deliver.Parse("mailto:despacho@broker.example", deliver.Config{Getenv: creds,
				Mail: deliver.MailConfig{Server: scheme + "://" + mp.SMTP, From: "customs@meridian.example", CAFile: mp.CA}})
			if err != nil {
				t.Fatal(err)
			}
			p := parcel(1000)
			rc, err := deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 1})
			if err != nil {
				t.Fatal(err)
			}
			if rc.Method != "attached" || rc.Attempts != 1 || rc.MessageID == "" {
				t.Errorf("receipt %+v", rc)
			}
			msgs := mp.Messages(t)
			if len(msgs) != 1 {
				t.Fatalf("%d messages received, want 1", len(msgs))
			}
			m := msgs[0]
			if "<"+m.MessageID+">" != rc.MessageID && m.MessageID != rc.MessageID {
				t.Errorf("received message id %q, receipt says %q", m.MessageID, rc.MessageID)
			}
			if len(m.To) != 1 || m.To[0].Address != "despacho@broker.example" || !strings.Contains(m.Subject, "APL26-VN-01-v0001") {
				t.Errorf("to %v, subject %q", m.To, m.Subject)
			}
			if !strings.Contains(m.Text, p.SHA256) || !strings.Contains(m.Text, "README.txt") {
				t.Errorf("body does not give the digest and the README: %q", m.Text)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].FileName != p.Name {
				t.Fatalf("attachments %+v", m.Attachments)
			}
			got := mp.Get(t, "/api/v1/message/"+m.ID+"/part/"+m.Attachments[0].PartID)
			if !bytes.Equal(got, p.Data) {
				t.Errorf("attachment is %d bytes, not the bundle's %d", len(got), len(p.Data))
			}
		})
	}
}

// A bundle over the attachment limit goes as a download link; without a way
// to make one it is refused, not truncated.
func TestMailLinkWhenTooLarge(t *testing.T) {
	mp := delivertest.StartMailpit(t, false)
	cfg := deliver.Config{Getenv: creds, Mail: deliver.MailConfig{Server: "smtp://" + mp.SMTP, From: "customs@meridian.example", CAFile: mp.CA, AttachMax: 1000}}
	d, err := deliver.Parse("mailto:despacho@broker.example", cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := parcel(1000)
	until := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	p.Link = func(context.Context) (string, time.Time, error) {
		return "https://s3.example/bundles/x.zip?X-Amz-Signature=abc", until, nil
	}
	rc, err := deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Method != "link" || !strings.Contains(rc.Detail(), "2026-12-03T10:00:00Z") {
		t.Errorf("receipt %+v: %s", rc, rc.Detail())
	}
	m := mp.Messages(t)[0]
	if len(m.Attachments) != 0 || !strings.Contains(m.Text, "https://s3.example/bundles/x.zip?X-Amz-Signature=abc") || !strings.Contains(m.Text, "2026-12-03T10:00:00Z") {
		t.Errorf("link mail: %d attachments, text %q", len(m.Attachments), m.Text)
	}
	p.Link = nil
	_, err = deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 3, Pause: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "over the 1000-byte attachment limit") || !strings.Contains(err.Error(), "after 1 attempt") {
		t.Errorf("too large without a link: %v", err)
	}
}

// A wrong password is refused at once (no point retrying) and the password
// appears in no error; a server that is down or drops the connection is
// retried and the failure names every attempt.
func TestMailFailures(t *testing.T) {
	mp := delivertest.StartMailpit(t, false)
	wrong := env(map[string]string{deliver.EnvSMTPUser: smtpUser, deliver.EnvSMTPPassword: "wrong-" + smtpPass})
	d, err := deliver.Parse("mailto:despacho@broker.example", deliver.Config{Getenv: wrong,
		Mail: deliver.MailConfig{Server: "smtp://" + mp.SMTP, From: "customs@meridian.example", CAFile: mp.CA}})
	if err != nil {
		t.Fatal(err)
	}
	var failures int
	_, err = deliver.Send(context.Background(), d, parcel(10), deliver.Retry{Attempts: 3, Pause: time.Millisecond,
		OnFailure: func(int, error) { failures++ }})
	if err == nil || strings.Contains(err.Error(), smtpPass) || failures != 1 || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("wrong password: %d attempts, %v", failures, err)
	}
	t.Logf("wrong password: %v", err)
	if len(mp.Messages(t)) != 0 {
		t.Error("a message was accepted with the wrong password")
	}

	// Nobody listening.
	down := freePort(t)
	d, _ = deliver.Parse("mailto:despacho@broker.example", deliver.Config{Getenv: creds,
		Mail: deliver.MailConfig{Server: "smtp://" + down, From: "customs@meridian.example", CAFile: mp.CA, Timeout: 2 * time.Second}})
	failures = 0
	_, err = deliver.Send(context.Background(), d, parcel(10), deliver.Retry{Attempts: 3, Pause: time.Millisecond,
		OnFailure: func(int, error) { failures++ }})
	if err == nil || failures != 3 || !strings.Contains(err.Error(), "after 3 attempt(s)") || !strings.Contains(err.Error(), "attempt 3:") {
		t.Errorf("server down: %d failures, %v", failures, err)
	}

	// A server that accepts and hangs up at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	d, _ = deliver.Parse("mailto:despacho@broker.example", deliver.Config{Getenv: creds,
		Mail: deliver.MailConfig{Server: "smtp://" + l.Addr().String(), From: "customs@meridian.example", CAFile: mp.CA, Timeout: 2 * time.Second}})
	_, err = deliver.Send(context.Background(), d, parcel(10), deliver.Retry{Attempts: 2, Pause: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "after 2 attempt(s)") || accepted.Load() != 2 {
		t.Errorf("dropped connection: %d connections, %v", accepted.Load(), err)
	}
}

// Targets and configuration that cannot work are refused before anything is
// sent, and a password is never accepted where it would be shown.
func TestParseTargets(t *testing.T) {
	mail := deliver.MailConfig{Server: "smtp://mail.example:587", From: "customs@meridian.example"}
	for _, c := range []struct {
		target string
		cfg    deliver.Config
		want   string
	}{
		{"mailto:", deliver.Config{Mail: mail}, "want mailto:"},
		{"mailto:Broker <b@x.example>", deliver.Config{Mail: mail}, "not a bare e-mail address"},
		{"mailto:b@x.example?subject=hi", deliver.Config{Mail: mail}, "nothing after ?"},
		{"mailto:b@x.example", deliver.Config{}, "needs --smtp"},
		{"mailto:b@x.example", deliver.Config{Mail: deliver.MailConfig{Server: "smtp://u:pw@mail.example", From: "a@b.example"}}, "credentials never go in the server URL"},
		{"mailto:b@x.example", deliver.Config{Mail: deliver.MailConfig{Server: "http://mail.example", From: "a@b.example"}}, "want smtp://"},
		{"mailto:b@x.example", deliver.Config{Mail: deliver.MailConfig{Server: "smtp://mail.example"}}, "--mail-from"},
		{"mailto:b@x.example", deliver.Config{Mail: mail, Getenv: env(map[string]string{deliver.EnvSMTPUser: "u"})}, "set both"},
		{"sftp://host/dir", deliver.Config{}, "want sftp://user@host"},
		{"sftp://u:hunter2@host/dir", deliver.Config{}, "a password never goes in the target"},
		{"sftp://u@host:99999/dir", deliver.Config{}, "bad port"},
		{"ftp://u@host/dir", deliver.Config{}, "want mailto:"},
	} {
		_, err := deliver.Parse(c.target, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%s: %v, want an error saying %q", c.target, err, c.want)
		}
	}
}

// The bundle lands in the broker's SFTP directory through OpenSSH's
// sftp-server: complete, under its own name, no .part file left; delivering
// the same bytes again stands; other bytes under that name are never
// written over.
func TestSFTPUpload(t *testing.T) {
	server := testenv.Tool(t, "/usr/lib/openssh/sftp-server")
	root := t.TempDir()
	inbox := filepath.Join(root, "inbox")
	os.Mkdir(inbox, 0o755)
	d, err := deliver.Parse("sftp://broker@sftp.broker.example"+inbox, deliver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	deliver.DialLocal(d, server, "-e", "-l", "ERROR")
	p := parcel(5000)
	rc, err := deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := "sftp://broker@sftp.broker.example" + inbox + "/" + p.Name
	if rc.Method != "uploaded" || rc.RemotePath != want || !strings.Contains(rc.Detail(), want) {
		t.Errorf("receipt %+v, want remote path %s", rc, want)
	}
	got, err := os.ReadFile(filepath.Join(inbox, p.Name))
	if err != nil || !bytes.Equal(got, p.Data) {
		t.Fatalf("uploaded file: %d bytes, %v", len(got), err)
	}
	ls, _ := os.ReadDir(inbox)
	if len(ls) != 1 {
		t.Errorf("inbox holds %d files, want only the bundle", len(ls))
	}
	if _, err := deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 1}); err != nil {
		t.Errorf("delivering the same bytes again: %v", err)
	}
	other := parcel(5001)
	other.Name = p.Name
	_, err = deliver.Send(context.Background(), d, other, deliver.Retry{Attempts: 3, Pause: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "already exists with other content") || !strings.Contains(err.Error(), "after 1 attempt") {
		t.Errorf("other bytes under the same name: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(inbox, p.Name)); !bytes.Equal(got, p.Data) {
		t.Error("the delivered bundle was written over")
	}

	// A directory that does not exist: retried, then reported.
	d2, _ := deliver.Parse("sftp://broker@sftp.broker.example"+filepath.Join(root, "missing"), deliver.Config{})
	deliver.DialLocal(d2, server)
	var fails []string
	_, err = deliver.Send(context.Background(), d2, p, deliver.Retry{Attempts: 2, Pause: time.Millisecond,
		OnFailure: func(n int, err error) { fails = append(fails, fmt.Sprint(n)) }})
	if err == nil || len(fails) != 2 || !strings.Contains(err.Error(), "creating") {
		t.Errorf("missing directory: %v (%v)", err, fails)
	}
}

// Over real SSH (OpenSSH's sshd with its sftp-server): the key comes from
// the environment and the host key must be in known_hosts; a server whose
// key is not listed is refused at once, never retried or trusted.
func TestSFTPOverSSH(t *testing.T) {
	sshd := delivertest.StartSSHD(t)
	inbox := t.TempDir()
	target := "sftp://" + sshd.User + "@" + sshd.Addr + inbox
	keyEnv := env(map[string]string{deliver.EnvSFTPKey: sshd.KeyFile})
	d, err := deliver.Parse(target, deliver.Config{Getenv: keyEnv, SFTP: deliver.SFTPConfig{KnownHosts: sshd.KnownHosts}})
	if err != nil {
		t.Fatal(err)
	}
	p := parcel(3000)
	rc, err := deliver.Send(context.Background(), d, p, deliver.Retry{Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(inbox, p.Name)); err != nil || !bytes.Equal(got, p.Data) || rc.RemotePath != target+"/"+p.Name {
		t.Fatalf("upload over ssh: %v, %d bytes, receipt %+v", err, len(got), rc)
	}

	empty := filepath.Join(t.TempDir(), "known_hosts")
	os.WriteFile(empty, nil, 0o600)
	d, _ = deliver.Parse(target, deliver.Config{Getenv: keyEnv, SFTP: deliver.SFTPConfig{KnownHosts: empty}})
	var n int
	_, err = deliver.Send(context.Background(), d, parcel(10), deliver.Retry{Attempts: 3, Pause: time.Millisecond, OnFailure: func(int, error) { n++ }})
	if err == nil || n != 1 || !strings.Contains(err.Error(), "host key not trusted") {
		t.Errorf("unknown host key: %d attempts, %v", n, err)
	}
	d, _ = deliver.Parse(target, deliver.Config{Getenv: env(nil), SFTP: deliver.SFTPConfig{KnownHosts: sshd.KnownHosts}})
	if _, err := deliver.Send(context.Background(), d, parcel(10), deliver.Retry{Attempts: 1}); err == nil || !strings.Contains(err.Error(), deliver.EnvSFTPKey) {
		t.Errorf("no credentials: %v", err)
	}
}
