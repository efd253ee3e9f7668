package deliver

import (
	"context"
	"fmt"
	"os/exec"

	"github.com/pkg/sftp"
)

// DialLocal makes an sftp:// deliverer talk to a local sftp-server process
// (OpenSSH's, over its stdin and stdout, as `sftp -D` does) instead of SSH.
func DialLocal(d Deliverer, server string, args ...string) {
	t := d.(*sftpTarget)
	t.dial = func(ctx context.Context) (*session, error) {
		cmd := exec.Command(server, args...)
		w, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		r, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("starting %s: %w", server, err)
		}
		c, err := sftp.NewClientPipe(r, w)
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, err
		}
		return &session{c: c, close: func() error { c.Close(); w.Close(); return cmd.Wait() }}, nil
	}
}
