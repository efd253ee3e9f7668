//go:build !linux

package local

import (
	"errors"
	"os"
)

func stageAnon(string) (*os.File, bool, error) { return nil, false, nil }

func linkAnon(*os.File, string) error { return errors.ErrUnsupported }

func anonWorks(string) bool { return false }
