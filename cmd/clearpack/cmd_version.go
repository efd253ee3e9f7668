package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/clearpack/clearpack/pipeline"
)

func newVersionCmd() *command {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	return &command{
		name:    "version",
		summary: "print clearpack's version",
		flags:   fs,
		run: func(_ context.Context, _ []string, out, _ io.Writer) error {
			_, err := fmt.Fprintf(out, "clearpack %s\n", pipeline.Version)
			return err
		},
	}
}
