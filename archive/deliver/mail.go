package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// MailConfig says how to send mail.
type MailConfig struct {
	// Server is "smtp://host[:587]" (STARTTLS, required) or
	// "smtps://host[:465]" (implicit TLS). Plain-text SMTP is not offered:
	// bundles and passwords never cross a network unencrypted.
	Server string
	// From is the sender address.
	From string
	// AttachMax is the largest bundle sent as an attachment; a larger one
	// goes as a download link (Parcel.Link), or is refused without one.
	AttachMax int64
	// CAFile, when set, is a PEM file of the CAs that sign the server's
	// certificate (a company CA); the system's otherwise.
	CAFile  string
	Timeout time.Duration
}

// DefaultAttachMax keeps a bundle within what most mail servers accept
// (10 MiB, before base64 adds a third).
const DefaultAttachMax = 10 << 20

type mailer struct {
	to   []string
	cfg  MailConfig
	host string
	port int
	ssl  bool
	user string
	pass string
	tls  *tls.Config
}

func newMailer(to []string, c Config) (*mailer, error) {
	mc := c.Mail
	if mc.Server == "" {
		return nil, errors.New("mail delivery needs --smtp smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS)")
	}
	u, err := url.Parse(mc.Server)
	if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("--smtp %q: want smtp://host:587 or smtps://host:465", mc.Server)
	}
	if u.User != nil {
		return nil, fmt.Errorf("--smtp: credentials never go in the server URL; set %s and %s", EnvSMTPUser, EnvSMTPPassword)
	}
	m := &mailer{to: to, cfg: mc, host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		m.port = 587
	case "smtps":
		m.port, m.ssl = 465, true
	default:
		return nil, fmt.Errorf("--smtp %q: want smtp:// (STARTTLS) or smtps:// (implicit TLS)", mc.Server)
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil || m.port < 1 || m.port > 65535 {
			return nil, fmt.Errorf("--smtp %q: bad port", mc.Server)
		}
	}
	if a, err := mail.ParseAddress(mc.From); err != nil || mc.From == "" {
		return nil, fmt.Errorf("--mail-from %q: want the sender's e-mail address", mc.From)
	} else {
		m.cfg.From = a.Address
	}
	if m.cfg.AttachMax <= 0 {
		m.cfg.AttachMax = DefaultAttachMax
	}
	if m.cfg.Timeout <= 0 {
		m.cfg.Timeout = 30 * time.Second
	}
	m.tls = &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}
	if mc.CAFile != "" {
		pem, err := os.ReadFile(mc.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--smtp-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--smtp-ca %s: no PEM certificate in it", mc.CAFile)
		}
		m.tls.RootCAs = pool
	}
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	m.user, m.pass = getenv(EnvSMTPUser), getenv(EnvSMTPPassword)
	if (m.user == "") != (m.pass == "") {
		return nil, fmt.Errorf("set both %s and %s, or neither", EnvSMTPUser, EnvSMTPPassword)
	}
	return m, nil
}

func (m *mailer) String() string { return "mailto:" + strings.Join(m.to, ",") }

// Deliver sends one message: the bundle attached, or a link to it when it is
// larger than AttachMax.
func (m *mailer) Deliver(ctx context.Context, p Parcel) (Receipt, error) {
	if err := validName(p.Name); err != nil {
		return Receipt{}, err
	}
	rc := Receipt{Target: m.String(), Method: "attached"}
	if int64(len(p.Data)) > m.cfg.AttachMax {
		if p.Link == nil {
			return Receipt{}, Permanent{fmt.Errorf("the bundle is %d bytes, over the %d-byte attachment limit, and this archive cannot make download links (use an s3:// archive or --deliver sftp://)", len(p.Data), m.cfg.AttachMax)}
		}
		link, until, err := p.Link(ctx)
		if err != nil {
			return Receipt{}, fmt.Errorf("making a download link: %w", err)
		}
		rc.Method, rc.Link, rc.LinkUntil = "link", link, until
	}
	msg := gomail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return Receipt{}, Permanent{fmt.Errorf("sender %q: %w", m.cfg.From, err)}
	}
	if err := msg.To(m.to...); err != nil {
		return Receipt{}, Permanent{fmt.Errorf("recipients: %w", err)}
	}
	msg.Subject("Customs documents " + strings.TrimSuffix(p.Name, ".zip"))
	msg.SetMessageID()
	msg.SetDate()
	msg.SetUserAgent("clearpack")
	var body strings.Builder
	fmt.Fprintf(&body, "Customs documents for %s: %s.\n\n", p.Broker, p.Pack)
	if rc.Method == "attached" {
		fmt.Fprintf(&body, "The bundle is attached: %s (%d bytes).\n", p.Name, len(p.Data))
	} else {
		fmt.Fprintf(&body, "The bundle (%s, %d bytes) is too large to attach. Download it before %s:\n\n%s\n",
			p.Name, len(p.Data), rc.LinkUntil.UTC().Format(time.RFC3339), rc.Link)
	}
	fmt.Fprintf(&body, "SHA-256 of the zip: %s\n\nREADME.txt inside the zip gives the commands to check every document's signature.\n", p.SHA256)
	msg.SetBodyString(gomail.TypeTextPlain, body.String())
	if rc.Method == "attached" {
		if err := msg.AttachReader(p.Name, bytes.NewReader(p.Data), gomail.WithFileContentType("application/zip")); err != nil {
			return Receipt{}, fmt.Errorf("attaching %s: %w", p.Name, err)
		}
	}
	opts := []gomail.Option{
		gomail.WithPort(m.port), gomail.WithTimeout(m.cfg.Timeout), gomail.WithTLSConfig(m.tls),
	}
	if m.ssl {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(m.user), gomail.WithPassword(m.pass))
	}
	c, err := gomail.NewClient(m.host, opts...)
	if err != nil {
		return Receipt{}, Permanent{fmt.Errorf("mail client: %w", err)}
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		err = m.scrub(err)
		// A 5xx reply (bad credentials, refused recipient) will not change
		// on retry; anything else (no answer, a dropped connection, 4xx) may.
		var se *gomail.SendError
		var te *textproto.Error
		if (errors.As(err, &se) && se.ErrorCode()/100 == 5) || (errors.As(err, &te) && te.Code/100 == 5) {
			return Receipt{}, Permanent{fmt.Errorf("the mail server %s:%d refused: %w", m.host, m.port, err)}
		}
		return Receipt{}, fmt.Errorf("sending mail via %s:%d: %w", m.host, m.port, err)
	}
	rc.MessageID = msg.GetMessageID()
	return rc, nil
}

// scrub makes sure no error carries the password.
func (m *mailer) scrub(err error) error {
	if m.pass != "" && strings.Contains(err.Error(), m.pass) {
		return errors.New(strings.ReplaceAll(err.Error(), m.pass, "[password]"))
	}
	return err
}
