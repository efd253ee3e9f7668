package main

import (
	"io"
	"os"
	"strconv"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// outputFlag is -o/--output, for the commands that print tables.
type outputFlag struct {
	format string
}

func (o *outputFlag) register(fs *pflag.FlagSet) {
	fs.StringVarP(&o.format, "output", "o", "", "output format: wide (every table column in full) or json (as --json); default: tables fitted to the terminal's width ($COLUMNS, or 80 columns when not a terminal)")
}

// check refuses an unknown format.
func (o *outputFlag) check() error {
	switch o.format {
	case "", "wide", "json":
		return nil
	}
	return errorf(ExitUsage, "--output %q: want wide or json", o.format)
}

// json reports whether -o json was given.
func (o *outputFlag) json() bool { return o.format == "json" }

// width is the width tables are fitted to on out: 0 (every column in full)
// with -o wide; else $COLUMNS when set, the terminal's width, or 80.
func (o *outputFlag) width(out io.Writer) int {
	if o.format == "wide" {
		return 0
	}
	return outputWidth(out, os.Getenv("COLUMNS"))
}

func outputWidth(out io.Writer, columns string) int {
	if n, err := strconv.Atoi(columns); err == nil && n > 0 {
		return n
	}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}
