package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SFTPConfig says how to reach SFTP servers.
type SFTPConfig struct {
	// KnownHosts is the OpenSSH known_hosts file that must list the server's
	// host key (~/.ssh/known_hosts when empty). An unknown or changed host
	// key is refused.
	KnownHosts string
	Timeout    time.Duration
}

// session is an open SFTP session and what closes it.
type session struct {
	c     *sftp.Client
	close func() error
}

type sftpTarget struct {
	user, host string
	port       int
	dir        string
	cfg        SFTPConfig
	auth       []ssh.AuthMethod
	// dial opens a session; SSH by default, a local sftp-server in tests.
	dial func(ctx context.Context) (*session, error)
}

func newSFTP(user, host string, port int, dir string, c Config) (*sftpTarget, error) {
	t := &sftpTarget{user: user, host: host, port: port, dir: dir, cfg: c.SFTP}
	if t.cfg.Timeout <= 0 {
		t.cfg.Timeout = 30 * time.Second
	}
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if kf := getenv(EnvSFTPKey); kf != "" {
		pem, err := os.ReadFile(kf)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvSFTPKey, err)
		}
		signer, err := ssh.ParsePrivateKey(pem)
		if err != nil {
			return nil, fmt.Errorf("%s %s: not an unencrypted OpenSSH/PEM private key: %v", EnvSFTPKey, kf, err)
		}
		t.auth = append(t.auth, ssh.PublicKeys(signer))
	}
	if pw := getenv(EnvSFTPPassword); pw != "" {
		t.auth = append(t.auth, ssh.Password(pw))
	}
	t.dial = t.dialSSH
	return t, nil
}

func (t *sftpTarget) String() string {
	hp := t.host
	if t.port != 22 {
		hp = net.JoinHostPort(t.host, strconv.Itoa(t.port))
	}
	return "sftp://" + t.user + "@" + hp + t.dir
}

func (t *sftpTarget) dialSSH(ctx context.Context) (*session, error) {
	if len(t.auth) == 0 {
		return nil, Permanent{fmt.Errorf("no SSH credentials: set %s (a private key file) or %s", EnvSFTPKey, EnvSFTPPassword)}
	}
	kh := t.cfg.KnownHosts
	if kh == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, Permanent{fmt.Errorf("known_hosts: %w", err)}
		}
		kh = filepath.Join(home, ".ssh", "known_hosts")
	}
	check, err := knownhosts.New(kh)
	if err != nil {
		return nil, Permanent{fmt.Errorf("known_hosts %s: %w (the server's host key must be listed there)", kh, err)}
	}
	addr := net.JoinHostPort(t.host, strconv.Itoa(t.port))
	d := net.Dialer{Timeout: t.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{
		User: t.user, Auth: t.auth, HostKeyCallback: check, Timeout: t.cfg.Timeout,
	})
	if err != nil {
		conn.Close()
		var ke *knownhosts.KeyError
		if errors.As(err, &ke) {
			return nil, Permanent{fmt.Errorf("ssh %s: host key not trusted: %w", addr, err)}
		}
		return nil, fmt.Errorf("ssh %s: %w", addr, err)
	}
	client := ssh.NewClient(sc, chans, reqs)
	c, err := sftp.NewClient(client)
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("sftp %s: %w", addr, err)
	}
	return &session{c: c, close: func() error { c.Close(); return client.Close() }}, nil
}

// Deliver uploads the bundle into the target directory under its own name:
// written as a hidden ".part" file first and renamed when complete, so the
// broker never sees half a zip. An existing file of that name is never
// replaced; if it holds these very bytes (a retry after a lost reply), the
// delivery stands.
func (t *sftpTarget) Deliver(ctx context.Context, p Parcel) (Receipt, error) {
	if err := validName(p.Name); err != nil {
		return Receipt{}, err
	}
	s, err := t.dial(ctx)
	if err != nil {
		return Receipt{}, err
	}
	var once sync.Once
	closeS := func() { once.Do(func() { s.close() }) }
	defer closeS()
	stop := context.AfterFunc(ctx, closeS) // a cancelled delivery stops at once
	defer stop()
	final := path.Join(t.dir, p.Name)
	rc := Receipt{Target: t.String(), Method: "uploaded", RemotePath: t.String() + "/" + p.Name}
	if same, err := sameFile(s.c, final, p.Data); err != nil {
		return Receipt{}, err
	} else if same {
		return rc, nil
	}
	part := path.Join(t.dir, "."+p.Name+".part")
	f, err := s.c.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return Receipt{}, fmt.Errorf("sftp: creating %s: %w", part, err)
	}
	if _, err := f.Write(p.Data); err != nil {
		f.Close()
		return Receipt{}, fmt.Errorf("sftp: writing %s: %w", part, err)
	}
	if err := f.Close(); err != nil {
		return Receipt{}, fmt.Errorf("sftp: closing %s: %w", part, err)
	}
	if fi, err := s.c.Stat(part); err != nil || fi.Size() != int64(len(p.Data)) {
		return Receipt{}, fmt.Errorf("sftp: %s is not the %d bytes written (%v)", part, len(p.Data), err)
	}
	// SFTP v3 rename (OpenSSH: link then unlink) refuses an existing target.
	if err := s.c.Rename(part, final); err != nil {
		if same, _ := sameFile(s.c, final, p.Data); same {
			s.c.Remove(part)
			return rc, nil
		}
		if _, serr := s.c.Stat(final); serr == nil {
			s.c.Remove(part)
			return Receipt{}, Permanent{fmt.Errorf("sftp: %s already exists with other content; not replaced", final)}
		}
		return Receipt{}, fmt.Errorf("sftp: renaming %s to %s: %w", part, final, err)
	}
	return rc, nil
}

// sameFile reports whether name exists holding exactly data.
func sameFile(c *sftp.Client, name string, data []byte) (bool, error) {
	fi, err := c.Stat(name)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sftp: %s: %w", name, err)
	}
	if fi.Size() != int64(len(data)) {
		return false, Permanent{fmt.Errorf("sftp: %s already exists with other content; not replaced", name)}
	}
	f, err := c.Open(name)
	if err != nil {
		return false, fmt.Errorf("sftp: %s: %w", name, err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil {
		return false, fmt.Errorf("sftp: reading %s: %w", name, err)
	}
	if !bytes.Equal(got, data) {
		return false, Permanent{fmt.Errorf("sftp: %s already exists with other content; not replaced", name)}
	}
	return true, nil
}
