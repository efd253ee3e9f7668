package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// isStdin tells whether an input flag names standard input: "-", or one of
// its device names (a pipe there would otherwise read as refused or empty).
func isStdin(p string) bool {
	switch p {
	case "-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0":
		return true
	}
	return false
}

// stdinSpool copies standard input, for the one input flag that names it,
// into a private (0600) temporary file, so that the pipeline reads a file
// by its path as it does every other input. remove deletes the copy.
type stdinSpool struct {
	stdin io.Reader
	dir   string
	flag  string // the flag that took standard input
}

func newStdinSpool() *stdinSpool { return &stdinSpool{stdin: os.Stdin} }

// path returns p, or for standard input the path of its copy. kind is the
// extension the input has when it is not JSON (.csv, .yaml, or "" to let
// the reader tell); max is the largest input accepted.
func (s *stdinSpool) path(flag, p, kind string, max int64) (string, error) {
	if !isStdin(p) {
		return p, nil
	}
	if s.flag != "" {
		return "", errorf(ExitUsage, "--%s and --%s both name standard input; only one input can come from it", s.flag, flag)
	}
	s.flag = flag
	dir, err := os.MkdirTemp("", "clearpack-stdin-")
	if err != nil {
		return "", withCode(ExitInput, fmt.Errorf("--%s %s: %w", flag, p, err))
	}
	s.dir = dir
	br := bufio.NewReader(s.stdin)
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	switch {
	case len(head) > 0 && (head[0] == '{' || head[0] == '['):
		kind = ".json"
	case kind == "":
		kind = csvOrYAML(head)
	}
	name := filepath.Join(dir, flag+"-from-stdin"+kind)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", withCode(ExitInput, fmt.Errorf("--%s %s: %w", flag, p, err))
	}
	n, err := io.Copy(f, io.LimitReader(br, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return "", withCode(ExitInput, fmt.Errorf("--%s %s: reading standard input: %w", flag, p, err))
	case n > max:
		return "", errorf(ExitInput, "--%s %s: standard input is larger than --max-input-bytes (%d bytes)", flag, p, max)
	}
	return name, nil
}

// remove deletes the copy of standard input, if one was made.
func (s *stdinSpool) remove() {
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// csvOrYAML tells a YAML document from a CSV table by its first line that is
// not a comment: "- " or "name:" begins YAML.
func csvOrYAML(head []byte) string {
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if bytes.HasPrefix(line, []byte("- ")) || bytes.HasPrefix(line, []byte("---")) || yamlKey.Match(line) {
			return ".yaml"
		}
		return ".csv"
	}
	return ""
}

var yamlKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ -]*:(\s|$)`)
