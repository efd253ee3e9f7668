// Package deliver hands a broker's bundle to the broker where they work: by
// e-mail (mailto:, SMTP with STARTTLS or implicit TLS, the bundle attached up
// to a size limit and otherwise sent as a time-limited download link) or by
// SFTP upload (sftp://). Credentials come from the environment only, never
// from flags, targets or error messages. Send retries a failed delivery with
// a growing pause and returns every attempt's error, so the caller records
// the delivery (or its failure) in the audit log; a delivery never touches
// the pack.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/clearpack/clearpack/archive"
)

// Parcel is one bundle to deliver.
type Parcel struct {
	// Name is the zip's file name ("APL26-VN-01-v0001-saigon-customs.zip").
	Name string
	Data []byte
	// SHA256 of Data, lowercase hex; said in the message.
	SHA256 string
	// Broker, Pack: to whom, and which pack ("programs/p/shipments/s/v0001").
	Broker, Pack string
	// Link, when set, stores the bundle and returns a time-limited download
	// link; mail uses it for a bundle larger than the attachment limit.
	Link func(ctx context.Context) (link string, until time.Time, err error)
}

// Receipt says how a parcel was delivered.
type Receipt struct {
	// Target is the destination as given, without any credential.
	Target string
	// Method: "attached", "link" (mail) or "uploaded" (sftp).
	Method string
	// MessageID of the mail (with angle brackets), RemotePath of the upload.
	MessageID  string
	RemotePath string
	// Link and LinkUntil when the mail carried a link instead of the file.
	Link      string
	LinkUntil time.Time
	// Attempts made, the successful one included.
	Attempts int
}

// Detail is the receipt in words, for the audit log.
func (r Receipt) Detail() string {
	switch r.Method {
	case "attached":
		return fmt.Sprintf("e-mailed to %s as an attachment, message id %s", strings.TrimPrefix(r.Target, "mailto:"), r.MessageID)
	case "link":
		return fmt.Sprintf("e-mailed to %s as a download link valid until %s, message id %s", strings.TrimPrefix(r.Target, "mailto:"), r.LinkUntil.UTC().Format(time.RFC3339), r.MessageID)
	default:
		return fmt.Sprintf("uploaded to %s", r.RemotePath)
	}
}

// Deliverer sends a parcel once.
type Deliverer interface {
	Deliver(ctx context.Context, p Parcel) (Receipt, error)
	// String is the target without credentials.
	String() string
}

// Permanent marks an error that retrying cannot fix (a refused recipient,
// a bad host key, a file that already exists).
type Permanent struct{ Err error }

func (p Permanent) Error() string { return p.Err.Error() }
func (p Permanent) Unwrap() error { return p.Err }

// Retry says how often and how patiently Send tries.
type Retry struct {
	Attempts int           // at least 1; 3 when 0
	Pause    time.Duration // before the second attempt, doubled after each; 2s when 0
	// OnFailure, when set, hears of every failed attempt.
	OnFailure func(attempt int, err error)
}

// Send delivers p with d, retrying as r says. On failure the error names
// every attempt.
func Send(ctx context.Context, d Deliverer, p Parcel, r Retry) (Receipt, error) {
	if r.Attempts <= 0 {
		r.Attempts = 3
	}
	if r.Pause <= 0 {
		r.Pause = 2 * time.Second
	}
	var errs []string
	pause := r.Pause
	for i := 1; ; i++ {
		rc, err := d.Deliver(ctx, p)
		if err == nil {
			rc.Attempts = i
			return rc, nil
		}
		if r.OnFailure != nil {
			r.OnFailure(i, err)
		}
		errs = append(errs, fmt.Sprintf("attempt %d: %v", i, err))
		var perm Permanent
		if i >= r.Attempts || errors.As(err, &perm) || ctx.Err() != nil {
			return Receipt{Target: d.String(), Attempts: i}, fmt.Errorf("delivering %s to %s failed after %d attempt(s): %s", p.Name, d, i, strings.Join(errs, "; "))
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// Config is what the targets need besides themselves. Secrets are read with
// Getenv (os.Getenv in production) and never stored in errors.
type Config struct {
	Mail MailConfig
	SFTP SFTPConfig
	// Getenv reads credentials; os.Getenv when nil.
	Getenv func(string) string
}

// Environment variables holding credentials.
const (
	EnvSMTPUser     = "CLEARPACK_SMTP_USERNAME"
	EnvSMTPPassword = "CLEARPACK_SMTP_PASSWORD"
	EnvSFTPKey      = "CLEARPACK_SFTP_KEY_FILE" // path of the SSH private key
	EnvSFTPPassword = "CLEARPACK_SFTP_PASSWORD"
)

// Parse reads a target: "mailto:broker@example.com[,other@example.com]" or
// "sftp://user@host[:port]/dir". Errors say what a valid target looks like.
func Parse(target string, cfg Config) (Deliverer, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("--deliver %q: not a URL: want mailto:broker@example.com or sftp://user@host/dir", target)
	}
	switch u.Scheme {
	case "mailto":
		addrs := strings.Split(u.Opaque, ",")
		if u.Opaque == "" || u.RawQuery != "" {
			return nil, fmt.Errorf("--deliver %q: want mailto:broker@example.com (addresses separated by commas, nothing after ?)", target)
		}
		var to []string
		for _, a := range addrs {
			a, err := url.PathUnescape(a)
			if err != nil {
				return nil, fmt.Errorf("--deliver %q: %v", target, err)
			}
			m, err := mail.ParseAddress(a)
			if err != nil || m.Name != "" {
				return nil, fmt.Errorf("--deliver %q: %q is not a bare e-mail address", target, a)
			}
			to = append(to, m.Address)
		}
		return newMailer(to, cfg)
	case "sftp":
		if u.User == nil || u.User.Username() == "" || u.Hostname() == "" {
			return nil, fmt.Errorf("--deliver %q: want sftp://user@host[:port]/dir", target)
		}
		if _, ok := u.User.Password(); ok {
			return nil, fmt.Errorf("--deliver: a password never goes in the target; set %s or %s instead", EnvSFTPKey, EnvSFTPPassword)
		}
		port := 22
		if p := u.Port(); p != "" {
			if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
				return nil, fmt.Errorf("--deliver %q: bad port %q", target, p)
			}
		}
		dir := path.Clean("/" + u.Path)
		if u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("--deliver %q: want sftp://user@host[:port]/dir (no ? or #)", target)
		}
		return newSFTP(u.User.Username(), u.Hostname(), port, dir, cfg)
	default:
		return nil, fmt.Errorf("--deliver %q: want mailto:broker@example.com or sftp://user@host/dir", target)
	}
}

// validName checks a bundle's file name before it reaches a server.
func validName(name string) error {
	if err := archive.ValidSegment(name); err != nil {
		return Permanent{fmt.Errorf("bundle name %q: %v", name, err)}
	}
	return nil
}
