package main

import (
	"io"

	"github.com/spf13/pflag"
)

// configuredFlags parses args (a command and its flags) as Main does, fills
// them from lookupEnv and the config file, and returns the command's flags
// without running it.
func configuredFlags(args []string, lookupEnv func(string) (string, bool)) (*pflag.FlagSet, error) {
	root, st := newRoot(commands(), io.Discard, io.Discard)
	st.lookupEnv = lookupEnv
	c, rest, err := root.Find(args)
	if err != nil {
		return nil, err
	}
	if err := c.ParseFlags(rest); err != nil {
		return nil, err
	}
	if err := st.configure(c, c.Name()); err != nil {
		return nil, err
	}
	return c.Flags(), nil
}
